//! Who is typing, in words.

use natter_model::i18n::Lang;
use natter_model::typing::who_is_typing;

#[test]
fn one_two_or_more_people_typing_in_both_languages() {
    assert_eq!(who_is_typing(Lang::En, &[]), None);
    assert_eq!(who_is_typing(Lang::En, &["bob"]).as_deref(), Some("bob is typing…"));
    assert_eq!(
        who_is_typing(Lang::En, &["bob", "carol"]).as_deref(),
        Some("bob and carol are typing…")
    );
    assert_eq!(
        who_is_typing(Lang::En, &["bob", "carol", "dave"]).as_deref(),
        Some("bob, carol and others are typing…")
    );
    assert_eq!(who_is_typing(Lang::Zh, &["小明", "bob"]).as_deref(), Some("小明 和 bob 正在输入…"));
}
