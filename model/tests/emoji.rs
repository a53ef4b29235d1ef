//! Messages of only a few emoji, shown larger.

use natter_model::emoji::is_few_emoji;

#[test]
fn one_to_three_emoji_are_few() {
    for text in ["😀", "👍", "😀😀😀", "😀 🎉 ❤️", " 🙂 ", "☕", "✨", "⭐"]
    {
        assert!(is_few_emoji(text), "{text}");
    }
}

#[test]
fn sequences_count_as_one_emoji() {
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    let skin = "👍🏽";
    let flag = "🇫🇷";
    let heart = "❤\u{FE0F}";
    let keycap_free_rainbow = "🏳\u{FE0F}\u{200D}🌈";
    for text in [family, skin, flag, heart, keycap_free_rainbow] {
        assert!(is_few_emoji(text), "{text}");
        assert!(is_few_emoji(&[text, text, text].concat()), "three of {text}");
        assert!(!is_few_emoji(&[text, text, text, text].concat()), "four of {text}");
    }
}

#[test]
fn text_or_more_than_three_is_not() {
    for text in
        ["", "   ", "hi 😀", "😀!", "😀😀😀😀", "1", "\u{FE0F}", "\u{200D}", "🏽", "a\u{FE0F}"]
    {
        assert!(!is_few_emoji(text), "{text:?}");
    }
}
