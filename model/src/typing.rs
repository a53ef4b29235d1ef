//! Who is typing, in words: one person, two, or more.

use crate::i18n::{Lang, K};

/// "bob is typing…", "bob and carol are typing…", "bob, carol and others are typing…";
/// `None` while nobody is.
pub fn who_is_typing(lang: Lang, names: &[&str]) -> Option<String> {
    let key = match names.len() {
        0 => return None,
        1 => K::IsTyping,
        2 => K::TwoTyping,
        _ => K::SeveralTyping,
    };
    let other = names.get(1).copied().unwrap_or_default();
    Some(lang.fill(key, &[("peer", names[0]), ("other", other)]))
}
