//! Editing and deleting one's own line: who may, what a receiver applies, how the line goes
//! out again, and what an edit signs.

use natter_model::conversation::{Conversation, Delivery, Proof};
use natter_model::i18n::Lang;
use natter_model::proof::signed_bytes;
use natter_protocol::{ChatLine, MAX_TEXT_CHARS};

fn line(id: &str, name: &str, text: &str) -> ChatLine {
    ChatLine {
        time: "2026-12-05T09:00:00.000Z".into(),
        message: text.into(),
        name: name.into(),
        id: Some(id.into()),
        reply_to: None,
        edited: None,
    }
}

fn edit(id: &str, name: &str, text: &str, at: &str) -> ChatLine {
    ChatLine { edited: Some(at.into()), ..line(id, name, text) }
}

fn texts(chat: &Conversation) -> Vec<(String, Option<String>)> {
    chat.messages().iter().map(|m| (m.text.clone(), m.edited.clone())).collect()
}

#[test]
fn our_line_is_edited_and_goes_out_again_after_being_delivered() {
    let mut chat = Conversation::default();
    chat.write(line("1", "me", "helo"));
    chat.sent_to("bob", "1");
    chat.delivered_to("bob", "1");
    let edited = chat.edited_line("1", Some(" hello "), "u".into()).expect("ours to edit");
    assert_eq!((edited.message.as_str(), edited.edited.as_deref()), ("hello", Some("u")));
    assert_eq!(texts(&chat), [("helo".into(), None)], "nothing changes before it is sent");
    chat.revise_own(edited.clone(), None, None);
    assert_eq!(texts(&chat), [("hello".into(), Some("u".into()))]);
    assert_eq!(chat.messages()[0].delivery, Delivery::Queued);
    assert_eq!(chat.to_send(false), [edited], "the edit rides the line's own path");
    assert_eq!(chat.last_editable().map(|m| m.id.as_str()), Some("1"));
}

#[test]
fn an_edit_refuses_blank_unchanged_too_long_and_others_lines() {
    let mut chat = Conversation::default();
    chat.write(line("1", "me", "mine"));
    chat.receive("bob", line("2", "bob", "his"), true, Lang::En);
    for words in ["", "  ", "mine"] {
        assert_eq!(chat.edited_line("1", Some(words), "u".into()), None, "{words:?}");
    }
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    assert_eq!(chat.edited_line("1", Some(&long), "u".into()), None);
    assert_eq!(chat.edited_line("2", Some("forged"), "u".into()), None, "not ours");
    assert_eq!(chat.edited_line("3", Some("x"), "u".into()), None);
}

#[test]
fn a_reply_keeps_its_quote_and_a_deletion_keeps_nothing() {
    let mut chat = Conversation::default();
    chat.write(ChatLine { reply_to: Some("0".into()), ..line("1", "me", "> hi\nyes") });
    let edited = chat.edited_line("1", Some("no"), "u".into()).unwrap();
    assert_eq!(edited.message, "> hi\nno");
    chat.revise_own(edited, None, None);
    assert_eq!(chat.messages()[0].words(), "no");
    chat.react("1", "bob", "👍", true);
    let gone = chat.edited_line("1", None, "v".into()).unwrap();
    assert_eq!((gone.message.as_str(), gone.reply_to.as_deref()), ("", None));
    chat.revise_own(gone, None, None);
    let message = &chat.messages()[0];
    assert!(message.deleted() && !message.editable() && message.reactions.is_empty());
    assert_eq!(chat.last_editable(), None);
    assert!(!chat.react("1", "bob", "❤️", true), "no reaction to a deleted line");
    assert_eq!(chat.edited_line("1", Some("back"), "w".into()), None, "deleted for good");
}

#[test]
fn a_receiver_applies_only_the_authors_newer_edits() {
    let mut chat = Conversation::default();
    chat.receive("bob", line("1", "bob", "helo"), false, Lang::En);
    assert_eq!(chat.unread(), 1);
    // From someone else (a room member editing bob's line), or blank, or too long: refused.
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    for (from, text) in [("carol", "forged"), ("bob", " "), ("bob", long.as_str())] {
        chat.receive(from, edit("1", from, text, "u"), false, Lang::En);
    }
    assert_eq!(texts(&chat), [("helo".into(), None)]);
    chat.receive("bob", edit("1", "bob", "hello", "u"), false, Lang::En);
    assert_eq!(texts(&chat), [("hello".into(), Some("u".into()))]);
    assert_eq!(chat.unread(), 1, "an edit is no new line");
    // A resent older edit changes nothing; the deletion is final.
    chat.receive("bob", edit("1", "bob", "older", "t"), false, Lang::En);
    chat.receive("bob", edit("1", "bob", "", "v"), false, Lang::En);
    chat.receive("bob", edit("1", "bob", "again", "w"), false, Lang::En);
    assert_eq!(texts(&chat), [(String::new(), Some("v".into()))]);
    assert!(chat.messages()[0].deleted());
    // The edit of a line never had shows it as edited; a deletion of one shows nothing.
    chat.receive("bob", edit("2", "bob", "late", "u"), false, Lang::En);
    chat.receive("bob", edit("3", "bob", "", "u"), false, Lang::En);
    assert_eq!(texts(&chat)[1..], [("late".into(), Some("u".into()))]);
    // Our own line is ours alone to edit.
    chat.write(line("4", "me", "mine"));
    chat.receive("bob", edit("4", "me", "forged", "u"), false, Lang::En);
    assert_eq!(chat.messages()[2].text, "mine");
}

#[test]
fn a_room_edit_goes_to_everyone_the_line_was_for_and_those_present() {
    let mut room = Conversation::default();
    room.write_to_room(line("1", "me", "hi"), vec!["bob".into()]);
    room.sent_to("bob", "1");
    room.delivered_to("bob", "1");
    let edited = room.edited_line("1", Some("hi all"), "u".into()).unwrap();
    room.revise_own(edited, Some("sig2".into()), Some(vec!["bob".into(), "carol".into()]));
    let message = &room.messages()[0];
    let each: Vec<_> = message.recipients.each().map(|(n, d)| (n.to_owned(), d)).collect();
    assert_eq!(each, [("bob".into(), Delivery::Queued), ("carol".into(), Delivery::Queued)]);
    assert_eq!(message.sig.as_deref(), Some("sig2"), "the edit's signature, to pass on");
    assert_eq!(room.past(true).len(), 1);
    assert!(room.past(false).is_empty(), "an app without edits would show it as said");
}

#[test]
fn an_edit_signs_its_own_form_with_the_time_of_the_edit() {
    let said = line("i", "al", "hi");
    let edited = edit("i", "al", "hi", "u");
    let mut expected = b"natter room edit 1\n".to_vec();
    for field in ["ab", "al", "i", "2026-12-05T09:00:00.000Z", "hi", "u"] {
        expected.extend_from_slice(&(field.len() as u32).to_be_bytes());
        expected.extend_from_slice(field.as_bytes());
    }
    assert_eq!(signed_bytes("Ab", &edited), expected);
    assert_ne!(signed_bytes("ab", &said), expected, "a line's signature proves no edit");
}

#[test]
fn a_relayed_edit_changes_a_verified_line_only_if_it_checks_out() {
    let mut room = Conversation::default();
    room.receive("alice", line("1", "alice", "lunch?"), true, Lang::En);
    // carol passes on a newer edit by alice: checked, since it would change the line.
    let forged = edit("1", "alice", "forged", "u");
    assert!(room.receive_past("carol", forged.clone(), "bad".into(), true));
    room.past_checked("carol", forged, "bad".into(), false);
    assert_eq!(texts(&room), [("lunch?".into(), None)], "a forged edit is not applied");
    let genuine = edit("1", "alice", "lunch at noon?", "u");
    assert!(room.receive_past("dan", genuine.clone(), "good".into(), true));
    room.past_checked("dan", genuine, "good".into(), true);
    assert_eq!(texts(&room), [("lunch at noon?".into(), Some("u".into()))]);
    assert_eq!(room.messages()[0].proof, Proof::Authentic);
    // An older copy, the line as first said, is not checked again.
    assert!(!room.receive_past("carol", line("1", "alice", "lunch?"), "s".into(), true));
}
