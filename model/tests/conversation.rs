//! Queueing, receipts and de-duplication of a conversation.

use natter_model::call::CallKind;
use natter_model::conversation::{
    Changes, Conversation, Delivery, Received, MAX_MESSAGES, MAX_TEXT_BYTES,
};
use natter_model::i18n::Lang;
use natter_protocol::{ChatLine, MAX_TEXT_CHARS};

fn line(id: Option<&str>, text: &str, name: &str) -> ChatLine {
    ChatLine {
        time: "2026-11-23T10:00:00.000Z".into(),
        message: text.into(),
        name: name.into(),
        id: id.map(Into::into),
        reply_to: None,
        edited: None,
    }
}

#[test]
fn written_messages_wait_until_acknowledged() {
    let mut chat = Conversation::default();
    chat.write(line(Some("1"), "first", "alice"));
    chat.write(line(Some("2"), "second", "alice"));
    assert_eq!(chat.messages()[0].delivery, Delivery::Queued);
    let pending: Vec<_> = chat.to_send(false).into_iter().map(|l| l.message).collect();
    assert_eq!(pending, ["first", "second"]);

    chat.sent_to("peer", "1");
    chat.sent_to("peer", "2");
    chat.delivered_to("peer", "1");
    chat.sent_to("peer", "1"); // a late mark never goes back
    assert_eq!(chat.messages()[0].delivery, Delivery::Delivered);
    assert!(chat.to_send(false).is_empty(), "a peer without acks gets each line once");
    let pending: Vec<_> = chat.to_send(true).into_iter().map(|l| l.id.unwrap()).collect();
    assert_eq!(pending, ["2"], "a sent but unacknowledged message is resent on reconnect");
}

#[test]
fn a_failed_message_waits_for_retry_and_holds_nothing_back() {
    let mut chat = Conversation::default();
    chat.write(line(Some("1"), "refused", "alice"));
    chat.write(line(Some("2"), "next", "alice"));
    chat.failed_for("peer", "1");
    chat.sent_to("peer", "2");
    assert_eq!(chat.messages()[0].delivery, Delivery::Failed);
    assert!(chat.to_send(true).iter().all(|l| l.id.as_deref() != Some("1")));
    chat.retry("1");
    let pending: Vec<_> = chat.to_send(false).into_iter().map(|l| l.id.unwrap()).collect();
    assert_eq!(pending, ["1"]);
    chat.delivered_to("peer", "2");
    chat.failed_for("peer", "2");
    assert_eq!(chat.messages()[1].delivery, Delivery::Delivered, "a delivered line stays so");
}

#[test]
fn a_text_over_the_limit_is_not_shown() {
    let mut chat = Conversation::default();
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    assert_eq!(chat.receive("bob", line(None, &long, "bob"), true, Lang::En), Received::TooLong);
    let notice = &chat.messages()[0];
    assert!(notice.notice);
    assert!(notice.text.contains("32000"), "{}", notice.text);
    let longest = "y".repeat(MAX_TEXT_CHARS);
    assert_eq!(chat.receive("bob", line(None, &longest, "bob"), true, Lang::En), Received::New);
    assert_eq!(chat.messages()[1].text, longest);
}

#[test]
fn a_resent_message_is_shown_once() {
    let mut chat = Conversation::default();
    assert_eq!(chat.receive("bob", line(Some("a"), "hi", "bob"), false, Lang::En), Received::New);
    assert_eq!(
        chat.receive("bob", line(Some("a"), "hi", "bob"), false, Lang::En),
        Received::Duplicate
    );
    assert_eq!(chat.messages().len(), 1);
    assert_eq!(chat.unread(), 1);
    chat.mark_read(true);
    assert_eq!(chat.unread(), 0);
}

#[test]
fn the_sender_is_the_channel_owner_not_the_claimed_name() {
    let mut chat = Conversation::default();
    chat.receive("bob", line(Some("x"), "I am alice", "alice"), true, Lang::En);
    assert_eq!(chat.messages()[0].from, "bob");
    assert_eq!(chat.unread(), 0, "a message read as it arrives is not unread");
}

#[test]
fn old_clients_without_ids_are_never_merged() {
    let mut chat = Conversation::default();
    chat.receive("old", line(None, "same", "old"), true, Lang::En);
    chat.receive("old", line(None, "same", "old"), true, Lang::En);
    assert_eq!(chat.messages().len(), 2);
    assert_ne!(chat.messages()[0].id, chat.messages()[1].id);
}

#[test]
fn a_flood_keeps_the_newest_messages_only() {
    let mut chat = Conversation::default();
    chat.write(line(Some("mine"), "hello", "alice"));
    for n in 0..MAX_MESSAGES + 10 {
        chat.receive("old", line(None, &format!("spam {n}"), "old"), false, Lang::En);
    }
    assert_eq!(chat.messages().len(), MAX_MESSAGES);
    assert!(chat.trimmed());
    assert_eq!(chat.messages()[0].text, "spam 10", "the oldest went first");
    assert_eq!(chat.messages().last().unwrap().text, format!("spam {}", MAX_MESSAGES + 9));
    assert_eq!(chat.unread(), MAX_MESSAGES);
    let mut ids: Vec<_> = chat.messages().iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), MAX_MESSAGES, "ids stay unique as old ones go");
}

#[test]
fn huge_messages_keep_the_text_within_bounds() {
    let mut chat = Conversation::default();
    let big = "x".repeat(MAX_TEXT_CHARS);
    for n in 0..400 {
        chat.receive("bob", line(Some(&n.to_string()), &big, "bob"), true, Lang::En);
    }
    let kept: usize = chat.messages().iter().map(|m| m.text.len()).sum();
    assert!(kept <= MAX_TEXT_BYTES);
    assert_eq!(chat.messages().len(), MAX_TEXT_BYTES / big.len());
    assert_eq!(chat.messages().last().unwrap().id, "399");
    assert!(!Conversation::default().trimmed());
}

#[test]
fn read_receipts_go_both_ways() {
    let mut theirs = Conversation::default();
    theirs.receive("alice", line(Some("a1"), "one", "alice"), false, Lang::En);
    theirs.receive("alice", line(Some("a2"), "two", "alice"), false, Lang::En);
    assert_eq!(theirs.unread(), 2);
    assert_eq!(theirs.mark_read(false), None, "not said before the peer reads receipts");
    assert_eq!(theirs.unread(), 0);
    assert_eq!(theirs.mark_read(true).as_deref(), Some("a2"), "the newest message shown");
    assert_eq!(theirs.unread(), 0);
    assert_eq!(theirs.mark_read(true), None, "told once");
    theirs.receive("alice", line(None, "classic", "alice"), true, Lang::En);
    assert_eq!(theirs.mark_read(true), None, "a classic line reads no receipt");

    let mut ours = Conversation::default();
    for id in ["a1", "a2", "a3"] {
        ours.write(line(Some(id), id, "alice"));
    }
    ours.sent_to("peer", "a1");
    ours.delivered_to("peer", "a1");
    ours.sent_to("peer", "a2");
    ours.read_by_peer("a2");
    let marks: Vec<_> = ours.messages().iter().map(|m| m.delivery).collect();
    assert_eq!(marks, [Delivery::Read, Delivery::Read, Delivery::Queued]);
    ours.delivered_to("peer", "a1");
    assert_eq!(ours.messages()[0].delivery, Delivery::Read, "a late ack takes nothing back");
}

#[test]
fn changes_say_what_to_save_and_what_went() {
    let mut chat = Conversation::default();
    chat.write(line(Some("1"), "first", "alice"));
    chat.receive("bob", line(Some("2"), "second", "bob"), true, Lang::En);
    chat.sent_to("peer", "1");
    chat.delivered_to("peer", "1");
    assert_eq!(chat.take_changes(), Changes { saved: vec![0, 1], removed: vec![], state: false });
    assert_eq!(chat.take_changes(), Changes::default());
    for n in 0..MAX_MESSAGES {
        chat.receive("bob", line(Some(&format!("m{n}")), "spam", "bob"), true, Lang::En);
    }
    let changes = chat.take_changes();
    assert_eq!(changes.removed, [0, 1], "the two oldest went");
    assert_eq!(changes.saved.len(), MAX_MESSAGES);
    assert_eq!(chat.by_seq(2).map(|m| m.id.as_str()), Some("m0"));
    assert_eq!(chat.by_seq(1), None);
}

#[test]
fn a_restored_conversation_goes_on_where_it_stopped() {
    let mut before = Conversation::default();
    before.write(line(Some("1"), "queued before the reload", "alice"));
    before.receive("bob", line(None, "classic", "bob"), false, Lang::En);
    let kept = before.messages().to_vec();
    let mut after = Conversation::restore(kept.clone(), before.unread(), false);
    assert_eq!(after.messages(), &kept[..]);
    assert_eq!(after.unread(), 1);
    after.receive("bob", line(None, "classic again", "bob"), true, Lang::En);
    let seqs: Vec<_> = after.messages().iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [0, 1, 2], "numbering goes on");
    assert_ne!(after.messages()[1].id, after.messages()[2].id, "made-up ids stay unique");
    let pending: Vec<_> = after.to_send(false).into_iter().map(|l| l.message).collect();
    assert_eq!(pending, ["queued before the reload"]);
}

#[test]
fn the_app_can_say_things_in_a_conversation() {
    let mut chat = Conversation::default();
    chat.note("carol's safety code changed".into(), "2026-11-30T10:00:00Z".into());
    let note = &chat.messages()[0];
    assert!(note.notice && !note.outgoing);
    assert_eq!(chat.unread(), 0);
    assert_eq!(chat.mark_read(true), None);
}

#[test]
fn the_unread_count_is_saved_as_it_changes() {
    let mut chat = Conversation::default();
    chat.receive("bob", line(Some("1"), "hi", "bob"), false, Lang::En);
    assert!(chat.take_changes().state);
    chat.receive("bob", line(Some("2"), "seen", "bob"), true, Lang::En);
    assert!(!chat.take_changes().state, "read as it arrived");
    chat.mark_read(true);
    assert!(chat.take_changes().state);
    chat.mark_read(true);
    assert!(chat.take_changes().is_empty());
}

#[test]
fn a_conversation_sheds_its_oldest_text_to_a_budget() {
    let mut chat = Conversation::default();
    for n in 0..10 {
        chat.receive("bob", line(Some(&n.to_string()), &"x".repeat(100), "bob"), true, Lang::En);
    }
    chat.take_changes();
    assert_eq!(chat.shed(450), 6);
    assert_eq!(chat.text_bytes(), 400);
    assert!(chat.trimmed());
    assert_eq!(chat.take_changes().removed, [0, 1, 2, 3, 4, 5]);
    chat.touch_all();
    assert_eq!(chat.take_changes().saved, [6, 7, 8, 9]);
}

#[test]
fn the_last_thing_said_is_a_person_s_not_the_app_s() {
    let mut chat = Conversation::default();
    assert!(chat.last_said().is_none());
    chat.note("carol left".into(), "2026-11-30T10:00:00.000Z".into());
    assert!(chat.last_said().is_none(), "a note alone is nothing said");
    chat.receive("carol", line(Some("1"), "hi", "carol"), false, Lang::En);
    chat.write(line(Some("2"), "hello", "alice"));
    chat.note("carol left".into(), "2026-11-30T10:01:00.000Z".into());
    let last = chat.last_said().unwrap();
    assert_eq!((last.text.as_str(), last.outgoing), ("hello", true));
}

#[test]
fn looking_puts_the_divider_above_the_first_unread_line_until_opened_anew() {
    let mut chat = Conversation::default();
    chat.receive("bob", line(Some("a"), "seen", "bob"), true, Lang::En);
    chat.write(line(Some("1"), "mine", "alice"));
    chat.receive("bob", line(Some("b"), "first unread", "bob"), false, Lang::En);
    chat.note("bob left".into(), "2026-11-23T10:01:00.000Z".into());
    chat.receive("bob", line(Some("c"), "second unread", "bob"), false, Lang::En);
    assert_eq!(chat.divider(), None, "no divider before the person looks");
    chat.open();
    assert_eq!(chat.mark_read(true).as_deref(), Some("c"));
    let first_unread = chat.messages()[2].seq;
    assert_eq!(chat.divider(), Some(first_unread));
    // Lines read as they come leave it where it is.
    chat.receive("bob", line(Some("d"), "read at once", "bob"), true, Lang::En);
    chat.mark_read(true);
    assert_eq!(chat.divider(), Some(first_unread));
    // Opened again with nothing unread: no divider.
    chat.open();
    chat.mark_read(true);
    assert_eq!(chat.divider(), None);
}

#[test]
fn a_missed_call_is_unread_and_offers_to_call_back_but_is_no_read_receipt() {
    let mut chat = Conversation::default();
    chat.receive("bob", line(Some("a"), "call you?", "bob"), false, Lang::En);
    let at = "2026-11-23T10:05:00.000Z".to_owned();
    chat.missed_call("bob", CallKind::Video, "Missed video call".into(), at.clone(), false);
    assert_eq!(chat.unread(), 2);
    let missed = chat.messages().last().unwrap();
    assert_eq!((missed.from.as_str(), missed.time.as_str()), ("bob", at.as_str()));
    assert_eq!(missed.missed_call, Some(CallKind::Video));
    assert!(!missed.notice && !missed.outgoing);
    assert_eq!(chat.last_said().map(|m| m.text.as_str()), Some("Missed video call"));
    // Read: the peer hears of its own line, and the divider is above the first unread.
    chat.open();
    assert_eq!(chat.mark_read(true).as_deref(), Some("a"));
    assert_eq!(chat.divider(), Some(chat.messages()[0].seq));
    // Missed while looking at the conversation: on screen, so not unread.
    chat.missed_call("bob", CallKind::Voice, "Missed voice call".into(), at, true);
    assert_eq!(chat.unread(), 0);
}

#[test]
fn the_newest_of_two_notes_is_found_among_lines_and_other_notes() {
    let mut chat = Conversation::default();
    assert!(!chat.last_note_is("bob left", "bob is back"), "no note yet");
    chat.note("bob left".into(), "t1".into());
    chat.note("Forgotten".into(), "t2".into());
    assert!(chat.last_note_is("bob left", "bob is back"));
    chat.note("bob is back".into(), "t3".into());
    chat.receive("bob", line(Some("1"), "hi again", "bob"), false, Lang::En);
    assert!(!chat.last_note_is("bob left", "bob is back"));
    assert!(chat.last_note_is("bob is back", "bob left"));
    // A line that reads like a note is not one.
    chat.receive("bob", line(Some("2"), "bob left", "bob"), false, Lang::En);
    assert!(chat.last_note_is("bob is back", "bob left"));
}

#[test]
fn a_conversation_begun_before_the_stored_one_was_read_back_goes_on_after_it() {
    let mut stored = Conversation::default();
    stored.receive("bob", line(Some("1"), "before", "bob"), false, Lang::En);
    let stored = Conversation::restore(stored.messages().to_vec(), 1, false);
    let mut fresh = Conversation::default();
    fresh.receive("bob", line(Some("2"), "meanwhile", "bob"), false, Lang::En);
    fresh.take_changes();

    let mut merged = fresh.after_stored(stored);
    let texts: Vec<_> = merged.messages().iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["before", "meanwhile"]);
    let seqs: Vec<_> = merged.messages().iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [0, 1], "numbered on from the stored ones");
    assert_eq!(merged.unread(), 2);
    // Saved anew, all of it: the page wrote "meanwhile" under 0 before it read "before".
    assert_eq!(merged.take_changes().saved, [0, 1]);
}
