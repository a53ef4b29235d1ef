//! When two user names are one: names that differ only in case, in compatibility forms
//! (fullwidth letters, ligatures, superscripts) or in invisible characters cannot both be
//! in a room, or one person could pass for another.

use caseless::Caseless;
use natter_protocol::validate_name;
use unicode_normalization::UnicodeNormalization;

/// A user name as typed, which others see, and the key that must be unique in its room.
#[derive(Debug)]
pub struct UserName {
    pub shown: String,
    pub key: String,
}

impl UserName {
    /// Checks `name` by the protocol's rules and computes its key, which must not be empty
    /// (a name of nothing but joiners or variation selectors). The error is for the user.
    pub fn parse(name: String) -> Result<Self, String> {
        validate_name(&name)?;
        let key = name_key(&name);
        if key.is_empty() {
            return Err("Name must contain a visible character".to_owned());
        }
        Ok(Self { shown: name, key })
    }
}

/// The uniqueness key of a name: its compatibility caseless form (Unicode section 3.13:
/// NFKC with full case folding, as NFKC_Casefold), without default-ignorable code points
/// (dropped first, so that a joiner cannot keep a letter from its accent), and with runs of
/// white space made one space and trimmed.
pub fn name_key(name: &str) -> String {
    let folded = name
        .chars()
        .filter(|c| !is_default_ignorable(*c))
        .nfd()
        .default_case_fold()
        .nfkd()
        .default_case_fold()
        .nfkc();
    let mut key = String::with_capacity(name.len());
    for c in folded {
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

    fn same(a: &str, b: &str) -> bool {
        name_key(a) == name_key(b)
    }

    #[test]
    fn case_does_not_make_another_name() {
        assert_eq!(name_key("Alice"), "alice");
        assert!(same("alice", "ALICE"));
        assert!(same("Élodie", "éLODIE"));
        // Full case folding, not just lowercase: ß is ss, final sigma is sigma.
        assert!(same("Straße", "STRASSE"));
        assert!(same("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));
        assert!(same("Ὀδυσσεύς", "ὀδυσσεύσ"));
        // Turkish dotted and dotless i fold as in every other language.
        assert!(!same("I", "ı"));
    }

    #[test]
    fn compatibility_forms_are_the_same_name() {
        assert!(same("ａｌｉｃｅ", "alice"), "fullwidth");
        assert!(same("Ａｌｉｃｅ", "ALICE"), "fullwidth capitals");
        assert!(same("ﬁona", "fiona"), "ligature");
        assert!(same("bob²", "bob2"), "superscript");
        assert!(same("ℌ𝔢𝔩𝔩𝔬", "hello"), "mathematical letters");
        assert!(same("ｶﾀｶﾅ", "カタカナ"), "halfwidth katakana");
        // Composed or decomposed accents.
        assert!(same("Zoe\u{0308}", "zoë"));
        assert!(same("\u{212B}ngstr\u{F6}m", "\u{C5}ngstro\u{308}m"), "angstrom sign");
    }

    #[test]
    fn invisible_characters_and_spacing_do_not_count() {
        assert!(same("al\u{200D}ice", "alice"), "zero-width joiner");
        assert!(same("al\u{200C}ice", "alice"), "zero-width non-joiner");
        assert!(same("alice\u{FE0F}", "alice"), "variation selector");
        assert!(same("e\u{200D}\u{301}", "é"), "a joiner between a letter and its accent");
        assert!(same("Ada  Lovelace", "ada lovelace"), "double space");
        assert!(same("Ada\u{3000}Lovelace", "ada lovelace"), "ideographic space");
        assert!(same("Ada\u{A0}Lovelace", "ada lovelace"), "no-break space");
        assert_eq!(name_key("\u{200D}\u{FE0F}"), "");
    }

    #[test]
    fn different_names_stay_different() {
        assert!(!same("alice", "alicia"));
        assert!(!same("ali ce", "alice"));
        assert!(!same("名前", "名"));
        // Look-alikes from other scripts are beyond this rule (Cyrillic а).
        assert!(!same("\u{430}lice", "alice"));
        assert!(!same("e\u{301}", "e"));
    }

    #[test]
    fn a_key_is_its_own_key() {
        for name in ["Alice", "ａｌｉｃｅ", "Straße", "ﬁ  ona", "Ὀδυσσεύς", "ǅemal", "ﾊﾟ"]
        {
            let key = name_key(name);
            assert_eq!(name_key(&key), key, "{name}");
        }
    }

    #[test]
    fn parsing_keeps_the_name_as_typed() {
        let name = UserName::parse("Ａlice".to_owned()).unwrap();
        assert_eq!((name.shown.as_str(), &*name.key), ("Ａlice", "alice"));
    }

    #[test]
    fn parsing_refuses_unusable_names() {
        let refused = |name: &str| UserName::parse(name.to_owned()).unwrap_err();
        assert_eq!(refused("\u{200D}"), "Name must contain a visible character");
        assert_eq!(refused("\u{FE0F}\u{200C}"), "Name must contain a visible character");
        assert_eq!(refused(""), "Name must not be empty");
        assert!(refused("\u{202E}ecila").contains("invisible"), "bidi override");
    }
}
