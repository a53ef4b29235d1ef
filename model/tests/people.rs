//! The people list: reach in words, the order, previews, colours and initials.

use natter_model::i18n::Lang;
use natter_model::people::{
    colour, initial, order, preview, said, Last, Person, Reach, PALETTE, PREVIEW_CHARS,
};

fn person(name: &str, reach: Reach, at_ms: Option<i64>) -> Person {
    let last = at_ms.map(|at_ms| Last { at_ms, preview: String::new(), when: String::new() });
    Person { name: name.into(), reach, last }
}

#[test]
fn a_working_connection_or_the_server_says_online() {
    use Reach::*;
    assert_eq!(Reach::of(true, true, true, true), InCall);
    assert_eq!(Reach::of(false, false, true, true), Online);
    // During an outage: the link still carries messages, so the person is online...
    assert_eq!(Reach::of(false, true, true, false), Online);
    // ...and after it, before the server lists them again.
    assert_eq!(Reach::of(false, true, false, true), Online);
    assert_eq!(Reach::of(false, false, true, false), ServerAway);
    assert_eq!(Reach::of(false, false, false, true), Offline);
    assert_eq!(Reach::of(false, false, false, false), Offline);
    for reach in [InCall, Online, ServerAway, Offline] {
        assert!(!reach.words(Lang::En).contains("closed"));
    }
    assert!(!ServerAway.words(Lang::En).contains("offline"), "not offline: the server is");
}

#[test]
fn the_composer_says_when_messages_wait() {
    assert_eq!(
        Reach::Offline.waiting_note(Lang::En, "carol").as_deref(),
        Some("carol is offline: messages will wait and go when they are back.")
    );
    assert!(Reach::ServerAway
        .waiting_note(Lang::En, "carol")
        .unwrap()
        .contains("until it is back"));
    assert_eq!(Reach::Online.waiting_note(Lang::En, "carol"), None);
    assert_eq!(Reach::InCall.waiting_note(Lang::En, "carol"), None);
}

#[test]
fn latest_activity_first_then_reachable_then_name() {
    use Reach::*;
    let mut people = vec![
        person("dave", Online, None),
        person("Bob", Offline, None),
        person("carol", Offline, Some(2_000)),
        person("alice", Online, Some(1_000)),
        person("erin", ServerAway, None),
        person("bob", Online, None),
        person("frank", InCall, Some(3_000)),
        person("ann", Offline, None),
    ];
    order(&mut people);
    let names: Vec<_> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["frank", "carol", "alice", "bob", "dave", "erin", "ann", "Bob"]);
}

#[test]
fn names_tie_without_regard_to_case() {
    let mut people = vec![
        person("bob", Reach::Online, None),
        person("Alice", Reach::Online, None),
        person("Bob", Reach::Online, None),
    ];
    order(&mut people);
    let names: Vec<_> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Alice", "Bob", "bob"]);
}

#[test]
fn a_preview_is_the_first_words_on_one_line() {
    assert_eq!(preview("hi"), "hi");
    assert_eq!(preview("  two\nlines\t here "), "two lines here");
    let long = "the quick brown fox jumps over the lazy dog and keeps running";
    assert_eq!(preview(long), "the quick brown fox jumps over the lazy…");
    assert!(preview(long).chars().count() <= PREVIEW_CHARS + 1);
    let word = "x".repeat(100);
    assert_eq!(preview(&word), format!("{}…", "x".repeat(PREVIEW_CHARS)));
    assert_eq!(preview("ééééé"), "ééééé", "counted in characters, not bytes");
    assert_eq!(preview(""), "");
}

#[test]
fn colour_and_initial_are_stable_and_spread() {
    assert_eq!(colour("alice"), colour("alice"));
    // Fixed by the hash, whatever the build: the same on every page.
    assert_eq!(colour("alice"), PALETTE[fnv("alice") as usize % PALETTE.len()]);
    let names = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "jack"];
    let mut used: Vec<_> = names.iter().map(|n| colour(n)).collect();
    used.sort();
    used.dedup();
    assert!(used.len() >= 5, "ten names share only {} colours", used.len());
    assert_eq!(initial("alice"), "a");
    assert_eq!(initial("Émile"), "É");
    assert_eq!(initial("😀 smiley"), "😀");
    assert_eq!(initial("_zed"), "z", "punctuation is skipped");
    assert_eq!(initial(""), "?");
    assert_eq!(initial(""), "?");
}

fn fnv(text: &str) -> u32 {
    let mut hash = 2_166_136_261_u32;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(16_777_619);
    }
    hash
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[test]
fn every_colour_reads_in_both_themes() {
    // The panels behind the list in style/main.css: light, then dark.
    let (light_panel, dark_panel) = ("#ffffff", "#1a1d27");
    for colour in PALETTE {
        let initial = contrast(colour, "#ffffff");
        assert!(initial >= 4.5, "white on {colour}: {initial:.2}");
        let on_light = contrast(colour, light_panel);
        let on_dark = contrast(colour, dark_panel);
        assert!(on_light >= 3.0 && on_dark >= 3.0, "{colour}: {on_light:.2} / {on_dark:.2}");
    }
}

#[test]
fn what_was_said_is_ours_or_named_where_asked() {
    use natter_model::conversation::Conversation;
    use natter_protocol::ChatLine;
    let mut chat = Conversation::default();
    let text = "see  you\nsoon".to_owned();
    let line = ChatLine {
        time: "t".into(),
        message: text,
        name: "bob".into(),
        id: Some("1".into()),
        reply_to: None,
        edited: None,
    };
    chat.receive("bob", line, false, Lang::En);
    let theirs = chat.last_said().unwrap();
    assert_eq!(said(theirs, false, Lang::En), "see you soon");
    assert_eq!(said(theirs, true, Lang::En), "bob: see you soon");
    let mut ours = theirs.clone();
    ours.outgoing = true;
    assert_eq!(said(&ours, true, Lang::En), "You: see you soon");
    assert_eq!(said(&ours, false, Lang::Zh), "我：see you soon");
    // A reply is previewed by its own words, not its quote.
    ours.text = "> see you soon\nfine".into();
    ours.reply_to = Some("1".into());
    assert_eq!(said(&ours, false, Lang::En), "You: fine");
}
