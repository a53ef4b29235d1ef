//! Files in the timeline of a conversation.

use natter_model::conversation::{Conversation, Delivery, FileRef};
use natter_model::transfer::name_parts;
use natter_protocol::ChatLine;

fn file(id: &str) -> FileRef {
    FileRef { id: id.into(), size: 8_400_000, mime: "application/pdf".into() }
}

fn line(id: &str, text: &str) -> ChatLine {
    ChatLine {
        time: "t".into(),
        message: text.into(),
        name: "alice".into(),
        id: Some(id.into()),
        reply_to: None,
        edited: None,
    }
}

#[test]
fn an_offer_stands_in_the_timeline_between_lines() {
    let mut chat = Conversation::default();
    chat.write(line("1", "here it comes"));
    chat.offer_file("alice".into(), "report.pdf".into(), file("f1"), "t".into());
    chat.write(line("2", "did you get it?"));
    let texts: Vec<_> = chat.messages().iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["here it comes", "report.pdf", "did you get it?"]);
    let offer = &chat.messages()[1];
    assert_eq!((offer.id.as_str(), offer.file.as_ref()), ("file:f1", Some(&file("f1"))));
    assert!(chat.messages()[0].file.is_none());
    let lines: Vec<_> = chat.to_send(true).into_iter().map(|l| l.message).collect();
    assert_eq!(lines, ["here it comes", "did you get it?"], "the offer is not a chat line");
    assert_eq!(chat.take_changes().saved, [0, 1, 2], "kept in history like a line");
}

#[test]
fn a_peers_offer_is_read_like_a_line() {
    let mut chat = Conversation::default();
    chat.offered_file("bob".into(), "cat.png".into(), file("f2"), "t".into(), false);
    let offer = &chat.messages()[0];
    assert!(!offer.outgoing && !offer.notice);
    assert_eq!(chat.unread(), 1);
    assert_eq!(chat.mark_read(true).as_deref(), Some("file:f2"));
    assert_eq!(chat.unread(), 0);

    // The sender's copy has the same id: the receipt marks it and what came before.
    let mut sender = Conversation::default();
    sender.write(line("1", "look"));
    sender.sent_to("alice", "1");
    sender.offer_file("alice".into(), "cat.png".into(), file("f2"), "t".into());
    sender.read_by_peer("file:f2");
    assert_eq!(sender.messages()[0].delivery, Delivery::Read);
}

#[test]
fn a_long_file_name_keeps_its_end() {
    assert_eq!(
        name_parts("very-long-name-of-a-report.pdf"),
        ("very-long-name-of-a-r", "eport.pdf")
    );
    assert_eq!(name_parts("a.pdf"), ("", "a.pdf"));
    assert_eq!(name_parts("ééééééééé.txt"), ("éééé", "ééééé.txt"));
    assert_eq!(name_parts(""), ("", ""));
}

#[test]
fn a_received_file_is_found_by_its_sender_and_id() {
    let mut conversation = Conversation::default();
    conversation.offered_file("bob".into(), "a.txt".into(), file("f1"), "t".into(), false);
    conversation.offer_file("me".into(), "mine.txt".into(), file("f2"), "t".into());
    let name = |from, id| conversation.received_file(from, id).map(|m| m.text.as_str());
    assert_eq!(name("bob", "f1"), Some("a.txt"));
    assert_eq!(name("me", "f2"), None, "ours, not received");
    assert_eq!(name("carol", "f1"), None, "another sender's id");
    assert_eq!(name("bob", "f9"), None);
}

#[test]
fn an_offer_made_again_after_a_reload_keeps_its_one_place() {
    let mut chat = Conversation::default();
    chat.offered_file("bob".into(), "cat.png".into(), file("f2"), "t".into(), false);
    chat.write(line("1", "after"));
    chat.offered_file("bob".into(), "cat.png".into(), file("f2"), "t2".into(), false);
    assert_eq!(chat.messages().len(), 2, "no second place");
    assert_eq!(chat.unread(), 1, "nor a second unread");
    chat.offered_file("carol".into(), "cat.png".into(), file("f2"), "t".into(), false);
    assert_eq!(chat.messages().len(), 3, "another sender's id is another file");
}
