//! Consecutive messages grouped under one name and time.

use natter_model::call::CallKind;
use natter_model::conversation::{Conversation, Message};
use natter_model::grouping::joins_group;
use natter_model::i18n::Lang;
use natter_model::time::LocalTime;
use natter_protocol::ChatLine;

/// 2026-11-30T10:00:00Z.
const TEN: i64 = 1_796_032_800_000;
const MINUTE: i64 = 60_000;

/// Messages: ours as "alice", bob's, and a notice.
fn messages() -> Vec<Message> {
    let line = |id: &str, name: &str| ChatLine {
        time: String::new(),
        message: "hi".into(),
        name: name.into(),
        id: Some(id.into()),
        reply_to: None,
        edited: None,
    };
    let mut chat = Conversation::default();
    chat.write(line("1", "alice"));
    chat.receive("bob", line("2", "bob"), true, Lang::En);
    chat.receive("bob", line("3", "bob"), true, Lang::En);
    chat.note("bob's safety code changed".into(), String::new());
    chat.messages().to_vec()
}

fn at(offset: i64) -> LocalTime {
    LocalTime::at(TEN + offset, 0).unwrap()
}

#[test]
fn the_same_person_within_five_minutes_is_one_group() {
    let all = messages();
    let (bob, again) = (&all[1], &all[2]);
    assert!(joins_group((bob, at(0)), (again, at(0))));
    assert!(joins_group((bob, at(0)), (again, at(5 * MINUTE))));
    assert!(!joins_group((bob, at(0)), (again, at(6 * MINUTE))), "a pause starts a new group");
    assert!(!joins_group((bob, at(MINUTE)), (again, at(0))), "never backwards");
}

#[test]
fn another_person_a_notice_or_another_day_starts_a_group() {
    let all = messages();
    let (ours, bob, again, notice) = (&all[0], &all[1], &all[2], &all[3]);
    assert!(!joins_group((ours, at(0)), (bob, at(0))));
    assert!(!joins_group((again, at(0)), (notice, at(0))));
    assert!(!joins_group((notice, at(0)), (notice, at(0))));
    // 23:58 and 00:01 in the viewer's zone: two minutes apart, two days.
    let late = LocalTime::at(TEN + 13 * 60 * MINUTE + 58 * MINUTE, 0).unwrap();
    let early = LocalTime::at(TEN + 14 * 60 * MINUTE + MINUTE, 0).unwrap();
    assert!(!joins_group((bob, late), (again, early)));
}

#[test]
fn a_missed_call_stands_alone() {
    let all = messages();
    let bob = &all[1];
    let mut chat = Conversation::default();
    chat.missed_call("bob", CallKind::Voice, "Missed voice call".into(), String::new(), true);
    let missed = &chat.messages()[0];
    assert!(!joins_group((bob, at(0)), (missed, at(0))));
    assert!(!joins_group((missed, at(0)), (bob, at(0))));
}
