//! When two user names are one: names that differ only in case, in compatibility forms
//! (fullwidth letters, ligatures, superscripts) or in invisible characters, or that look
//! alike (Latin `a` and Cyrillic `а`, capital `I` and small `l`), cannot both be in a room,
//! or one person could pass for another. Room ids are one when they differ only in case,
//! compatibility forms, invisible characters or spacing.

use caseless::Caseless;
use natter_protocol::{check_label, LabelProblem, MAX_NAME_CHARS, MAX_ROOM_CHARS};
use unicode_normalization::UnicodeNormalization;
use unicode_security::skeleton;

/// A user name as typed, which others see, and the keys it holds in its room.
#[derive(Debug)]
pub struct UserName {
    pub shown: String,
    pub keys: NameKeys,
}

impl UserName {
    /// Checks `name` by the protocol's rules and computes its keys, which must not be
    /// empty (a name of nothing but joiners or variation selectors).
    pub fn parse(name: String) -> Result<Self, LabelProblem> {
        check_label(&name, MAX_NAME_CHARS)?;
        let keys = NameKeys::of(&name);
        if keys.caseless.is_empty() {
            return Err(LabelProblem::NothingVisible);
        }
        Ok(Self { shown: name, keys })
    }
}

/// A room as a login names it: its id, which folds case, compatibility forms and spacing
/// ([`fold`]), and the spelling typed, which the room shows if this login opens it.
#[derive(Debug, Clone)]
pub struct RoomName {
    pub id: String,
    pub spelled: String,
}

impl RoomName {
    /// Checks `room` by the protocol's rules; its id must not be empty.
    pub fn parse(room: String) -> Result<Self, LabelProblem> {
        check_label(&room, MAX_ROOM_CHARS)?;
        let id = fold(&room);
        if id.is_empty() {
            return Err(LabelProblem::NothingVisible);
        }
        Ok(Self { id, spelled: room })
    }

    /// The room's id and spelling, both none for the lobby.
    pub fn split(room: Option<Self>) -> (Option<String>, Option<String>) {
        room.map(|Self { id, spelled }| (id, spelled)).unzip()
    }
}

/// The keys a name holds in its room: two names clash when they share one. Each is a
/// confusable skeleton (Unicode Technical Standard #39): strings that look alike have
/// the same one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    /// The skeleton of the name's caseless form ([`fold`]): every spelling of the name in
    /// any case has it, and so does every name that looks like one of those.
    pub caseless: String,
    /// The skeleton of the name as typed, where it differs: "aIice" (capital I) looks like
    /// "alice", though its caseless form is "aiice".
    pub as_typed: Option<String>,
}

impl NameKeys {
    pub fn of(name: &str) -> Self {
        let caseless = spaced(skeleton(&fold(name)));
        let visible: String = name.chars().filter(|c| !is_default_ignorable(*c)).collect();
        let as_typed = Some(spaced(skeleton(&visible))).filter(|key| *key != caseless);
        Self { caseless, as_typed }
    }
}

/// The compatibility caseless form of a name or room id (Unicode section 3.13: NFKC with
/// full case folding, as NFKC_Casefold), without default-ignorable code points (dropped
/// first, so that a joiner cannot keep a letter from its accent), and with runs of white
/// space made one space and trimmed. The rooms "Book Club" and "book  club" are one.
pub fn fold(text: &str) -> String {
    let folded = text
        .chars()
        .filter(|c| !is_default_ignorable(*c))
        .nfd()
        .default_case_fold()
        .nfkd()
        .default_case_fold()
        .nfkc();
    spaced(folded)
}

/// `chars` with each run of white space made one space, and none at either end.
fn spaced(chars: impl Iterator<Item = char>) -> String {
    let mut key = String::new();
    for c in chars {
        if !c.is_whitespace() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with(' ') {
            key.push(' ');
        }
    }
    if key.ends_with(' ') {
        key.pop();
    }
    key
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, stable since 6.0):
/// characters that render as nothing. The protocol refuses the ones no script needs in a
/// name; the rest (joiners, variation selectors, tags of flag emoji) are kept in the name
/// shown and left out of its key.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `a` and `b` cannot both be in one room.
    fn clash(a: &str, b: &str) -> bool {
        let keys = |name| {
            let NameKeys { caseless, as_typed } = NameKeys::of(name);
            [Some(caseless), as_typed].into_iter().flatten().collect::<Vec<_>>()
        };
        let theirs = keys(b);
        keys(a).iter().any(|key| theirs.contains(key))
    }

    #[test]
    fn case_does_not_make_another_name() {
        assert_eq!(fold("Alice"), "alice");
        assert!(clash("alice", "ALICE"));
        assert!(clash("Élodie", "éLODIE"));
        // Full case folding, not just lowercase: ß is ss, final sigma is sigma.
        assert!(clash("Straße", "STRASSE"));
        assert!(clash("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));
        assert!(clash("Ὀδυσσεύς", "ὀδυσσεύσ"));
        assert!(clash("ILL", "ill"));
    }

    #[test]
    fn compatibility_forms_are_the_same_name() {
        assert!(clash("ａｌｉｃｅ", "alice"), "fullwidth");
        assert!(clash("Ａｌｉｃｅ", "ALICE"), "fullwidth capitals");
        assert!(clash("ﬁona", "fiona"), "ligature");
        assert!(clash("bob²", "bob2"), "superscript");
        assert!(clash("ℌ𝔢𝔩𝔩𝔬", "hello"), "mathematical letters");
        assert!(clash("ｶﾀｶﾅ", "カタカナ"), "halfwidth katakana");
        // Composed or decomposed accents.
        assert!(clash("Zoe\u{0308}", "zoë"));
        assert!(clash("\u{212B}ngstr\u{F6}m", "\u{C5}ngstro\u{308}m"), "angstrom sign");
    }

    #[test]
    fn invisible_characters_and_spacing_do_not_count() {
        assert!(clash("al\u{200D}ice", "alice"), "zero-width joiner");
        assert!(clash("al\u{200C}ice", "alice"), "zero-width non-joiner");
        assert!(clash("alice\u{FE0F}", "alice"), "variation selector");
        assert!(clash("e\u{200D}\u{301}", "é"), "a joiner between a letter and its accent");
        assert!(clash("Ada  Lovelace", "ada lovelace"), "double space");
        assert!(clash("Ada\u{3000}Lovelace", "ada lovelace"), "ideographic space");
        assert!(clash("Ada\u{A0}Lovelace", "ada lovelace"), "no-break space");
        assert_eq!(NameKeys::of("\u{200D}\u{FE0F}").caseless, "");
    }

    #[test]
    fn names_that_look_alike_across_scripts_are_one() {
        for impostor in [
            "\u{410}lice", // Cyrillic capital A
            "\u{391}lice", // Greek capital alpha
            "al\u{456}ce", // Cyrillic small byelorussian-ukrainian i
            "alic\u{435}", // Cyrillic small ie
            "aIice",       // capital I for small l
            "\u{430}lice", // Cyrillic small a
            "ALICE",
        ] {
            assert!(clash(impostor, "Alice"), "{impostor}");
            assert!(clash(impostor, "alice"), "{impostor}");
        }
        assert!(clash("Ill", "lll"), "capital I looks like small l");
        assert!(clash("bob1", "bobl"), "the digit one looks like small l");
        assert!(clash("m\u{43e}\u{43e}n", "moon"), "Cyrillic o");
    }

    #[test]
    fn different_names_stay_different() {
        assert!(!clash("alice", "alicia"));
        assert!(!clash("ali ce", "alice"));
        assert!(!clash("名前", "名"));
        assert!(!clash("e\u{301}", "e"));
        // Small i and small l look different; only capital I is the look-alike.
        assert!(!clash("ill", "lll"));
        assert!(!clash("Bili", "Bill"));
        // Names wholly in another script are names like any other.
        assert!(!clash("вася", "Alice"));
        assert!(!clash("вася", "петя"));
        assert!(!clash("小明", "小红"));
    }

    #[test]
    fn every_spelling_in_any_case_shares_a_key() {
        for name in ["Alice", "ａｌｉｃｅ", "Straße", "ﬁ  ona", "Ὀδυσσεύς", "ǅemal", "ﾊﾟ", "ILL"]
        {
            assert_eq!(fold(&fold(name)), fold(name), "{name}");
            assert_eq!(NameKeys::of(&fold(name)).caseless, NameKeys::of(name).caseless, "{name}");
        }
    }

    #[test]
    fn rooms_fold_without_the_look_alike_rule() {
        assert_eq!(fold("Book Club"), fold("book  club"));
        assert_eq!(fold("ＢＯＯＫ club"), "book club");
        assert_ne!(fold("b\u{43e}\u{43e}k club"), fold("book club"));
    }

    #[test]
    fn rooms_keep_their_spelling_beside_their_id() {
        let room = RoomName::parse("Book  Club".to_owned()).unwrap();
        assert_eq!((room.id.as_str(), room.spelled.as_str()), ("book club", "Book  Club"));
        let refused = |room: &str| RoomName::parse(room.to_owned()).unwrap_err();
        assert_eq!(refused("\u{200D}"), LabelProblem::NothingVisible);
        assert_eq!(refused(" club"), LabelProblem::Spaces);
        assert_eq!(refused(&"x".repeat(65)), LabelProblem::TooLong);
    }

    #[test]
    fn parsing_keeps_the_name_as_typed() {
        let name = UserName::parse("Ａlice".to_owned()).unwrap();
        assert_eq!(name.shown, "Ａlice");
        assert_eq!(name.keys, NameKeys::of("Alice"));
    }

    #[test]
    fn parsing_refuses_unusable_names() {
        let refused = |name: &str| UserName::parse(name.to_owned()).unwrap_err();
        assert_eq!(refused("\u{200D}"), LabelProblem::NothingVisible);
        assert_eq!(refused("\u{FE0F}\u{200C}"), LabelProblem::NothingVisible);
        assert_eq!(refused(""), LabelProblem::Empty);
        assert_eq!(refused("\u{202E}ecila"), LabelProblem::Hidden, "bidi override");
    }
}
