//! The room's recent lines passed on to a newcomer: signed bytes, de-duplication, and
//! whose words a relayed line is shown as.

use natter_model::conversation::{Conversation, Proof};
use natter_model::proof::{from_hex, signed_bytes, to_hex, MAX_PAST_LINES};
use natter_protocol::ChatLine;

fn line(id: &str, name: &str, text: &str) -> ChatLine {
    ChatLine {
        time: "2026-12-05T04:00:00.000Z".into(),
        message: text.into(),
        name: name.into(),
        id: Some(id.into()),
        reply_to: None,
        edited: None,
    }
}

fn shown(room: &Conversation) -> Vec<(String, String, Proof)> {
    room.messages().iter().map(|m| (m.from.clone(), m.text.clone(), m.proof.clone())).collect()
}

#[test]
fn the_signed_bytes_name_every_field_once_and_the_room_in_any_case() {
    let bytes = signed_bytes("Ab", &line("i", "al", "hi"));
    let mut expected = b"natter room line 1\n".to_vec();
    for field in ["ab", "al", "i", "2026-12-05T04:00:00.000Z", "hi"] {
        expected.extend_from_slice(&(field.len() as u32).to_be_bytes());
        expected.extend_from_slice(field.as_bytes());
    }
    assert_eq!(bytes, expected);
    // Moving a character from one field to the next changes the bytes.
    assert_ne!(signed_bytes("ab", &line("i", "a", "lhi")), bytes);
    assert_ne!(signed_bytes("other", &line("i", "al", "hi")), bytes);
    // A reply signs the line it answers too: a relay cannot point it at another.
    let reply = ChatLine { reply_to: Some("j".into()), ..line("i", "al", "hi") };
    let mut answering = expected.clone();
    answering.extend_from_slice(&1u32.to_be_bytes());
    answering.extend_from_slice(b"j");
    assert_eq!(signed_bytes("ab", &reply), answering);
}

#[test]
fn hex_round_trips_and_refuses_what_is_not_hex() {
    assert_eq!(to_hex(&[0, 171, 255]), "00abff");
    assert_eq!(from_hex("00ABff"), Some(vec![0, 171, 255]));
    for bad in ["0", "+f", "zz", "0g"] {
        assert_eq!(from_hex(bad), None, "{bad}");
    }
}

#[test]
fn a_relayed_line_is_unverified_until_a_genuine_copy_checks_out() {
    let mut room = Conversation::default();
    // No key from alice yet: shown, but as relayed by bob.
    assert!(!room.receive_past("bob", line("1", "alice", "altered"), "s1".into(), false));
    assert_eq!(shown(&room), [("alice".into(), "altered".into(), Proof::Unverified("bob".into()))]);
    assert_eq!(room.unread(), 0, "history is not news");
    // Her key arrives: the copy is checked, and fails.
    let recheck = room.unverified_of("alice");
    assert_eq!(recheck, [(line("1", "alice", "altered"), "s1".to_owned(), "bob".to_owned())]);
    room.past_checked("bob", line("1", "alice", "altered"), "s1".into(), false);
    assert_eq!(room.messages()[0].proof, Proof::Unverified("bob".into()));
    // Another member's copy of the same line is worth checking; it checks out: her words.
    assert!(room.receive_past("carol", line("1", "alice", "genuine"), "s2".into(), true));
    assert_eq!(room.messages().len(), 1);
    room.past_checked("carol", line("1", "alice", "genuine"), "s2".into(), true);
    assert_eq!(shown(&room), [("alice".into(), "genuine".into(), Proof::Authentic)]);
    assert_eq!(room.sig("1").as_deref(), Some("s2"));
    // Once hers, a later bad copy changes nothing, and is not even checked.
    assert!(!room.receive_past("bob", line("1", "alice", "altered"), "s1".into(), true));
    room.past_checked("bob", line("1", "alice", "altered"), "s1".into(), false);
    assert_eq!(shown(&room), [("alice".into(), "genuine".into(), Proof::Authentic)]);
    assert!(room.unverified_of("alice").is_empty());
}

#[test]
fn a_checked_copy_that_fails_is_unverified_and_one_with_a_key_is_checking() {
    let mut room = Conversation::default();
    assert!(room.receive_past("bob", line("1", "alice", "x"), "s".into(), true));
    assert_eq!(room.messages()[0].proof, Proof::Checking("bob".into()));
    // Another relayer's verdict on its own copy does not speak for bob's.
    room.past_checked("carol", line("1", "alice", "x"), "s".into(), false);
    assert_eq!(room.messages()[0].proof, Proof::Checking("bob".into()));
    room.past_checked("bob", line("1", "alice", "x"), "s".into(), false);
    assert_eq!(room.messages()[0].proof, Proof::Unverified("bob".into()));
}

#[test]
fn a_line_we_have_from_its_author_is_not_replaced_by_a_relayed_one() {
    let mut room = Conversation::default();
    room.receive("alice", line("1", "alice", "mine"), true, natter_model::i18n::Lang::En);
    room.signed("1", "s".into());
    assert!(!room.receive_past("bob", line("1", "alice", "altered"), "t".into(), true));
    assert_eq!(shown(&room), [("alice".into(), "mine".into(), Proof::Authentic)]);
}

#[test]
fn the_past_passed_on_is_the_newest_signed_lines_oldest_first() {
    let mut room = Conversation::default();
    for n in 0..MAX_PAST_LINES + 5 {
        let id = n.to_string();
        room.receive("alice", line(&id, "alice", &id), true, natter_model::i18n::Lang::En);
        if n != MAX_PAST_LINES {
            room.signed(&id, format!("s{n}"));
        }
    }
    assert!(room.has_past());
    let past = room.past(true);
    assert_eq!(past.len(), MAX_PAST_LINES);
    assert_eq!(past[0].0.message, "4");
    assert_eq!(past.last().unwrap().1, format!("s{}", MAX_PAST_LINES + 4));
    assert!(past.iter().all(|(line, _)| line.message != MAX_PAST_LINES.to_string()));
}

#[test]
fn a_relayed_line_too_long_or_without_an_id_is_dropped() {
    let mut room = Conversation::default();
    let long = "x".repeat(natter_protocol::MAX_TEXT_CHARS + 1);
    assert!(!room.receive_past("bob", line("1", "alice", &long), "s".into(), true));
    let mut no_id = line("2", "alice", "x");
    no_id.id = None;
    assert!(!room.receive_past("bob", no_id, "s".into(), true));
    assert!(room.messages().is_empty());
}

#[test]
fn a_relayed_line_not_verified_stands_alone_under_its_name() {
    use natter_model::grouping::joins_group;
    use natter_model::time::LocalTime;
    let mut room = Conversation::default();
    room.receive("alice", line("1", "alice", "mine"), true, natter_model::i18n::Lang::En);
    room.receive_past("bob", line("2", "alice", "relayed"), "s".into(), false);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let at = LocalTime { day, hour: 4, minute: 0 };
    let [first, second] = room.messages() else { panic!() };
    assert!(!joins_group((first, at), (second, at)));
}
