//! Naming a private room: what a name may be, and which of two names wins.

use natter_model::room_name::{check, is_private, RoomName};
use natter_protocol::LabelProblem;

fn named(text: &str, by: &str, at: u64) -> RoomName {
    RoomName { text: text.into(), by: by.into(), at }
}

#[test]
fn a_typed_name_is_trimmed_and_checked() {
    assert_eq!(check("  Book club \t"), Ok("Book club".into()));
    assert_eq!(check("<b>読書会</b> 📚"), Ok("<b>読書会</b> 📚".into()));
    assert_eq!(check("   "), Err(LabelProblem::Empty));
    assert_eq!(check(&"x".repeat(64)), Ok("x".repeat(64)));
    assert_eq!(check(&"x".repeat(65)), Err(LabelProblem::TooLong));
    assert_eq!(check("Book\nclub"), Err(LabelProblem::Control));
    assert_eq!(check("Book\u{202E}club"), Err(LabelProblem::Hidden));
}

#[test]
fn a_peers_name_is_refused_unless_it_could_have_been_typed_here() {
    let now = 1_000_000_000;
    assert_eq!(
        RoomName::from_peer("Club".into(), "bob".into(), now, now),
        Some(named("Club", "bob", now))
    );
    assert_eq!(RoomName::from_peer(" Club".into(), "bob".into(), now, now), None);
    assert_eq!(RoomName::from_peer("".into(), "bob".into(), now, now), None);
    assert_eq!(RoomName::from_peer("a\u{7}b".into(), "bob".into(), now, now), None);
    assert_eq!(RoomName::from_peer("Club".into(), "".into(), now, now), None);
    assert_eq!(RoomName::from_peer("Club".into(), "b".repeat(33), now, now), None);
    // Clocks differ a little; a name dated far ahead would win forever.
    assert!(RoomName::from_peer("Club".into(), "bob".into(), now + 600_000, now).is_some());
    assert_eq!(RoomName::from_peer("Club".into(), "bob".into(), now + 600_001, now), None);
    assert_eq!(
        RoomName::from_peer("Club".into(), "bob".into(), u64::MAX, u64::MAX - 1).map(|n| n.at),
        Some(u64::MAX)
    );
}

#[test]
fn the_latest_name_wins_then_the_greater_author_then_the_greater_text() {
    let first = named("Book club", "bob", 10);
    assert!(first.wins_over(None));
    assert!(named("Readers", "alice", 11).wins_over(Some(&first)));
    assert!(!named("Readers", "carol", 9).wins_over(Some(&first)));
    // At the same moment: whatever order they arrive in, everyone keeps carol's.
    let (bobs, carols) = (named("B", "bob", 10), named("A", "carol", 10));
    assert!(carols.wins_over(Some(&bobs)));
    assert!(!bobs.wins_over(Some(&carols)));
    assert!(named("Z", "bob", 10).wins_over(Some(&bobs)));
    // The same name again is no news.
    assert!(!first.clone().wins_over(Some(&first)));
}

#[test]
fn only_private_rooms_are_named() {
    assert!(is_private("0123456789abcdef0123"));
    assert!(!is_private("0123456789ABCDEF0123"));
    assert!(!is_private("0123456789abcdef012"));
    assert!(!is_private("book club"));
    assert!(!is_private(""));
}
