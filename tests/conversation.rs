//! Queueing, receipts and de-duplication of a conversation, in a real browser.

use natter::conversation::{Conversation, Delivery, Received};
use natter_protocol::ChatLine;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn line(id: Option<&str>, text: &str, name: &str) -> ChatLine {
    ChatLine {
        time: "2026-11-23T10:00:00.000Z".into(),
        message: text.into(),
        name: name.into(),
        id: id.map(Into::into),
    }
}

#[wasm_bindgen_test]
fn written_messages_wait_until_acknowledged() {
    let mut chat = Conversation::default();
    chat.write(line(Some("1"), "first", "alice"));
    chat.write(line(Some("2"), "second", "alice"));
    assert_eq!(chat.messages()[0].delivery, Delivery::Queued);
    let pending: Vec<_> = chat.unacknowledged().into_iter().map(|l| l.message).collect();
    assert_eq!(pending, ["first", "second"]);

    chat.set_delivery("1", Delivery::Sent);
    chat.set_delivery("1", Delivery::Delivered);
    chat.set_delivery("1", Delivery::Sent); // a late mark never goes back
    assert_eq!(chat.messages()[0].delivery, Delivery::Delivered);
    let pending: Vec<_> = chat.unacknowledged().into_iter().map(|l| l.id.unwrap()).collect();
    assert_eq!(pending, ["2"], "a sent but unacknowledged message is resent on reconnect");
}

#[wasm_bindgen_test]
fn a_resent_message_is_shown_once() {
    let mut chat = Conversation::default();
    assert_eq!(chat.receive("bob", line(Some("a"), "hi", "bob"), false), Received::New);
    assert_eq!(chat.receive("bob", line(Some("a"), "hi", "bob"), false), Received::Duplicate);
    assert_eq!(chat.messages().len(), 1);
    assert_eq!(chat.unread(), 1);
    chat.mark_read();
    assert_eq!(chat.unread(), 0);
}

#[wasm_bindgen_test]
fn the_sender_is_the_channel_owner_not_the_claimed_name() {
    let mut chat = Conversation::default();
    chat.receive("bob", line(Some("x"), "I am alice", "alice"), true);
    assert_eq!(chat.messages()[0].from, "bob");
    assert_eq!(chat.unread(), 0, "a message read as it arrives is not unread");
}

#[wasm_bindgen_test]
fn old_clients_without_ids_are_never_merged() {
    let mut chat = Conversation::default();
    chat.receive("old", line(None, "same", "old"), true);
    chat.receive("old", line(None, "same", "old"), true);
    assert_eq!(chat.messages().len(), 2);
    assert_ne!(chat.messages()[0].id, chat.messages()[1].id);
}
