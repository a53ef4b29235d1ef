//! The messaging part alone, against a fake peer outlet: lines handed to a channel with
//! their delivery marks, acks and resends, what a peer's texts are, and a room line's marks
//! per person.

use super::{Heard, Messaging};
use crate::client::testing::{state_and_dispatch, Channel, FakeOutlet, Recorder};
use crate::i18n::{tf, K};
use crate::state::ChatState;
use leptos::prelude::*;
use natter_model::conversation::{Delivery, Proof};
use natter_model::peer_app::PeerApp;
use natter_model::talk::Talk;
use natter_protocol::{ChatLine, PeerMessage};
use std::rc::Rc;
use wasm_bindgen_test::wasm_bindgen_test;

/// The part under test, the state it writes, and the engine keeping its events.
fn messaging() -> (Messaging, ChatState, Rc<Recorder>) {
    let recorder = Rc::new(Recorder::default());
    let (state, dispatch) = state_and_dispatch(&recorder);
    (Messaging::new(state, dispatch), state, recorder)
}

/// Each line of the conversation `talk`, with its delivery mark.
fn marks(state: ChatState, talk: Talk<&str>) -> Vec<(String, Delivery)> {
    state.conversations.with_untracked(|all| {
        let messages = all.get(talk).map(|c| c.messages().to_vec()).unwrap_or_default();
        messages.into_iter().map(|m| (m.text, m.delivery)).collect()
    })
}

/// Each person the room's line `text` is for, with how far it has come with them.
fn room_marks(state: ChatState, text: &str) -> (Vec<(String, Delivery)>, Delivery) {
    state.conversations.with_untracked(|all| {
        let room = all.get(Talk::Room).expect("the room's conversation");
        let line = room.messages().iter().find(|m| m.text == text).expect("the line");
        let each = line.recipients.each().map(|(name, d)| (name.to_owned(), d)).collect();
        (each, line.delivery)
    })
}

/// The texts of the lines sent, and their ids.
fn lines(sent: Vec<PeerMessage>) -> Vec<(String, String)> {
    sent.into_iter()
        .map(|message| match message {
            PeerMessage::Line(line) | PeerMessage::RoomLine(line, _) => {
                (line.message, line.id.unwrap_or_default())
            }
            other => panic!("a line was due, not {other:?}"),
        })
        .collect()
}

fn ack(id: &str) -> String {
    PeerMessage::Ack { id: id.to_owned() }.to_json()
}

fn line_from(peer: &str, id: &str, text: &str) -> ChatLine {
    ChatLine {
        time: "2026-11-30T10:00:00.000Z".into(),
        message: text.into(),
        name: peer.into(),
        id: Some(id.into()),
        reply_to: None,
        edited: None,
    }
}

/// alice writes `text` to the room, unsigned, for `people`.
fn write_room(messaging: &Messaging, text: &str, people: Vec<String>) {
    let line = messaging.room_line("alice".into(), text, None).expect("a line");
    messaging.write_room_line(line, None, people);
}

/// `messaging`'s conversation with `peer` belongs to the identity the outlet announces.
fn meet(messaging: &Messaging, peer: &str) {
    messaging.identify(peer, &format!("id-{peer}"));
}

#[wasm_bindgen_test]
fn a_line_waits_for_the_channel_goes_once_it_opens_and_is_delivered_when_acked() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["bob"]);
    out.set_channel("bob", Channel::Closed);
    meet(&messaging, "bob");
    assert!(messaging.write("bob", "alice".into(), "hello bob", None));
    assert!(!messaging.write("bob", "alice".into(), "   ", None), "nothing to send");

    messaging.flush("bob", false, &out);
    assert_eq!(marks(state, Talk::With("bob")), [("hello bob".into(), Delivery::Queued)]);

    out.set_channel("bob", Channel::Open);
    messaging.flush("bob", false, &out);
    let sent = lines(out.take_messages());
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "hello bob");
    assert_eq!(marks(state, Talk::With("bob")), [("hello bob".into(), Delivery::Sent)]);

    assert!(matches!(messaging.hear("bob", &ack(&sent[0].1)), Heard::Receipt));
    assert_eq!(marks(state, Talk::With("bob")), [("hello bob".into(), Delivery::Delivered)]);
    messaging.flush("bob", true, &out);
    assert!(out.take_sent().is_empty(), "a delivered line is never resent");
}

#[wasm_bindgen_test]
fn lines_not_acknowledged_are_resent_and_only_to_an_app_that_acks() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["bob"]);
    meet(&messaging, "bob");
    messaging.write("bob", "alice".into(), "one", None);
    messaging.write("bob", "alice".into(), "two", None);
    messaging.flush("bob", false, &out);
    let sent = lines(out.take_messages());
    messaging.hear("bob", &ack(&sent[0].1));

    messaging.flush("bob", false, &out);
    assert!(out.take_sent().is_empty(), "without resend, only queued lines go");
    messaging.flush("bob", true, &out);
    assert_eq!(lines(out.take_messages()), [sent[1].clone()], "the unacknowledged one again");

    // The classic client acknowledges nothing: a resend would show the line twice.
    out.set_app("bob", PeerApp::Classic);
    messaging.flush("bob", true, &out);
    assert!(out.take_sent().is_empty());
    let expected = [("one".into(), Delivery::Delivered), ("two".into(), Delivery::Sent)];
    assert_eq!(marks(state, Talk::With("bob")), expected);
}

#[wasm_bindgen_test]
fn a_line_the_channel_refuses_fails_the_next_still_goes_and_a_retry_sends_it() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["bob"]);
    meet(&messaging, "bob");
    messaging.write("bob", "alice".into(), &"long ".repeat(40), None);
    messaging.write("bob", "alice".into(), "short", None);
    out.set_channel("bob", Channel::RefusesOver(150));
    messaging.flush("bob", false, &out);
    let (long, _) = marks(state, Talk::With("bob"))[0].clone();
    let expected = [(long.clone(), Delivery::Failed), ("short".into(), Delivery::Sent)];
    assert_eq!(marks(state, Talk::With("bob")), expected);
    assert_eq!(lines(out.take_messages()).len(), 1);

    let id =
        state.conversations.with_untracked(|all| all.with("bob").unwrap().messages()[0].id.clone());
    messaging.retry(Talk::With("bob"), &id);
    assert_eq!(marks(state, Talk::With("bob"))[0], (long.clone(), Delivery::Queued));
    out.set_channel("bob", Channel::Open);
    messaging.flush("bob", false, &out);
    assert_eq!(lines(out.take_messages()), [(long.clone(), id)]);
    assert_eq!(marks(state, Talk::With("bob"))[0], (long, Delivery::Sent));
}

#[wasm_bindgen_test]
fn lines_written_for_a_name_never_go_to_another_identity_under_it() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["bob"]);
    meet(&messaging, "bob");
    messaging.write("bob", "alice".into(), "for the bob I know", None);
    out.set_identity("bob", "id-stranger");
    messaging.flush("bob", false, &out);
    assert!(out.take_sent().is_empty());

    // The stranger gets a conversation of its own, saying so; the line stays behind.
    messaging.identify("bob", "id-stranger");
    messaging.flush("bob", true, &out);
    assert!(out.take_sent().is_empty());
    let note = tf(K::SafetyCodeChangedNote, &[("peer", "bob")]);
    let texts: Vec<String> = marks(state, Talk::With("bob")).into_iter().map(|(t, _)| t).collect();
    assert_eq!(texts, [note], "only the note about the change");
}

#[wasm_bindgen_test]
fn a_line_heard_twice_is_kept_once_and_acknowledged_each_time() {
    let (messaging, state, _events) = messaging();
    let text = PeerMessage::Line(line_from("bob", "x1", "hi alice")).to_json();
    let heard = messaging.hear("bob", &text);
    assert!(matches!(
        heard,
        Heard::Line { ack: Some(ref id), shown: Some(ref shown), room: false }
            if id == "x1" && shown == "hi alice"
    ));
    let again = messaging.hear("bob", &text);
    assert!(matches!(again, Heard::Line { ack: Some(ref id), shown: None, .. } if id == "x1"));
    assert_eq!(marks(state, Talk::With("bob")).len(), 1);

    let room = PeerMessage::RoomLine(line_from("bob", "r1", "hi all"), None).to_json();
    assert!(matches!(messaging.hear("bob", &room), Heard::Line { room: true, .. }));
    assert_eq!(marks(state, Talk::Room).len(), 1);

    let hello = PeerMessage::Hello { features: vec!["calls".into()] }.to_json();
    assert!(
        matches!(messaging.hear("bob", &hello), Heard::Hello(features) if features == ["calls"])
    );
    let call = PeerMessage::Call { video: true }.to_json();
    assert!(matches!(
        messaging.hear("bob", &call),
        Heard::Other(PeerMessage::Call { video: true })
    ));
    assert!(matches!(messaging.hear("bob", "{\"not\":\"ours\"}"), Heard::Unknown));
}

#[wasm_bindgen_test]
fn a_room_line_is_marked_per_person_and_delivered_once_everyone_has_it() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["bob", "carol"]);
    let people = vec!["bob".to_owned(), "carol".to_owned()];
    write_room(&messaging, "hi all", people);
    let queued = |name: &str, d| (name.to_owned(), d);
    let expected = vec![queued("bob", Delivery::Queued), queued("carol", Delivery::Queued)];
    assert_eq!(room_marks(state, "hi all"), (expected, Delivery::Queued));

    messaging.flush_room("bob", false, &out);
    let sent = out.take_sent();
    assert_eq!(sent.len(), 1);
    assert!(matches!(&sent[0], (to, PeerMessage::RoomLine(..)) if to == "bob"));
    let id = lines(vec![sent[0].1.clone()])[0].1.clone();
    let expected = vec![queued("bob", Delivery::Sent), queued("carol", Delivery::Queued)];
    assert_eq!(room_marks(state, "hi all"), (expected, Delivery::Sent));

    messaging.hear("bob", &ack(&id));
    assert!(messaging.room_waits_for("carol"));
    messaging.flush_room("carol", false, &out);
    assert_eq!(out.take_sent().len(), 1);
    let expected = vec![queued("bob", Delivery::Delivered), queued("carol", Delivery::Sent)];
    assert_eq!(room_marks(state, "hi all"), (expected, Delivery::Sent));

    messaging.hear("carol", &ack(&id));
    let expected = vec![queued("bob", Delivery::Delivered), queued("carol", Delivery::Delivered)];
    assert_eq!(room_marks(state, "hi all"), (expected, Delivery::Delivered));
}

#[wasm_bindgen_test]
fn a_room_line_waits_for_an_app_that_may_take_it_not_for_one_that_never_will() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["carol"]);
    // dave's app is the classic client, erin's a natter that has not said what it takes.
    out.set_app("dave", PeerApp::Classic);
    out.set_channel("dave", Channel::Open);
    out.set_app("erin", PeerApp::Natter(None));
    out.set_channel("erin", Channel::Open);
    let people = ["carol", "dave", "erin"].map(str::to_owned).to_vec();
    write_room(&messaging, "hi all", people);

    messaging.flush_room("dave", false, &out);
    messaging.flush_room("erin", false, &out);
    assert!(out.take_sent().is_empty());
    assert!(!messaging.room_waits_for("dave"), "dave will never take it");
    assert!(messaging.room_waits_for("erin"));

    out.set_channel("carol", Channel::RefusesOver(0));
    messaging.flush_room("carol", false, &out);
    let mark = |name: &str, d| (name.to_owned(), d);
    let expected = vec![mark("carol", Delivery::Failed), mark("erin", Delivery::Queued)];
    assert_eq!(room_marks(state, "hi all"), (expected, Delivery::Failed));
}

/// The app's own lines in the room's conversation.
fn room_notes(state: ChatState) -> Vec<String> {
    state.conversations.with_untracked(|all| {
        let room = all.get(Talk::Room).map(|c| c.messages().to_vec()).unwrap_or_default();
        room.into_iter().filter(|m| m.notice).map(|m| m.text).collect()
    })
}

#[wasm_bindgen_test]
fn a_private_rooms_name_goes_to_each_peer_that_takes_it_and_the_latest_wins() {
    let (messaging, state, _events) = messaging();
    state.room.set(Some("0123456789abcdef0123".into()));
    let out = FakeOutlet::natter(&["bob", "carol"]);
    out.set_app("carol", PeerApp::Classic);
    let present = ["bob".to_owned(), "carol".to_owned()];
    messaging.name_room("alice".into(), "Book club".into(), &present, &out);
    let at = messaging.room_name().expect("named").at;
    let told = PeerMessage::RoomName { name: "Book club".into(), by: "alice".into(), at };
    assert_eq!(out.take_sent(), [("bob".to_owned(), told)], "never to a classic client");
    assert_eq!(state.room_named.get_untracked().as_deref(), Some("Book club"));

    // An older name changes nothing; a later one wins, whoever sends it.
    let named = |name: &str, at| PeerMessage::RoomName { name: name.into(), by: "bob".into(), at };
    assert!(matches!(messaging.hear("bob", &named("Old", at - 1).to_json()), Heard::Receipt));
    assert_eq!(state.room_named.get_untracked().as_deref(), Some("Book club"));
    messaging.hear("bob", &named("Readers", at + 1).to_json());
    assert_eq!(state.room_named.get_untracked().as_deref(), Some("Readers"));
    messaging.hear("bob", &named("Readers", at + 1).to_json());
    let noted = |by: &str, name: &str| tf(K::RoomNamed, &[("peer", by), ("name", name)]);
    assert_eq!(room_notes(state), [noted("alice", "Book club"), noted("bob", "Readers")]);

    // Whoever says hello later is told the name as it stands, with who gave it.
    messaging.tell_room_name("bob", &out);
    assert_eq!(out.take_sent(), [("bob".to_owned(), named("Readers", at + 1))]);
}

#[wasm_bindgen_test]
fn a_name_is_taken_only_in_a_private_room() {
    let (messaging, state, _events) = messaging();
    state.room.set(Some("book club".into()));
    let named = PeerMessage::RoomName { name: "Readers".into(), by: "bob".into(), at: 1 };
    messaging.hear("bob", &named.to_json());
    assert_eq!(state.room_named.get_untracked(), None);
    assert_eq!(messaging.room_name(), None);
}

#[wasm_bindgen_test]
fn a_newcomer_gets_our_key_and_the_signed_lines_we_hold_oldest_first() {
    let (messaging, _state, _events) = messaging();
    let out = FakeOutlet::natter(&["carol"]);
    let ours = messaging.room_line("alice".into(), "mine", None).expect("a line");
    messaging.write_room_line(ours, Some("s1".into()), Vec::new());
    let his = PeerMessage::RoomLine(line_from("bob", "b1", "his"), Some("s2".into()));
    messaging.hear("bob", &his.to_json());
    // A line without a signature could never be checked: it is not passed on.
    messaging.hear("bob", &PeerMessage::RoomLine(line_from("bob", "b2", "bare"), None).to_json());
    let key = || Some("04aa".to_owned());

    // carol was there before us: her `hello` brings her our key, not the lines.
    messaging.greet_with_past("carol", key(), &out);
    assert_eq!(out.take_messages(), [PeerMessage::RoomKey { key: "04aa".into() }]);
    messaging.newcomer("carol");
    messaging.greet_with_past("carol", key(), &out);
    let past: Vec<_> = out
        .take_messages()
        .into_iter()
        .filter_map(|message| match message {
            PeerMessage::RoomPast { line, sig, by: None } => Some((line.name, line.message, sig)),
            _ => None,
        })
        .collect();
    let expected = [("alice", "mine", "s1"), ("bob", "his", "s2")]
        .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()));
    assert_eq!(past, expected);
    // Once only: her next `hello` (a new connection) brings the key alone.
    messaging.greet_with_past("carol", key(), &out);
    assert_eq!(out.take_messages().len(), 1);
}

#[wasm_bindgen_test]
fn lines_passed_on_without_their_authors_key_are_unverified_and_a_flood_is_cut_short() {
    let (messaging, state, _events) = messaging();
    for n in 0..205 {
        let line = line_from("erin", &format!("e{n}"), "from erin");
        let past = PeerMessage::RoomPast { line, sig: "ab".into(), by: Some("erin".into()) };
        let heard = messaging.hear("dave", &past.to_json());
        // The first tells the engine the room has history: it meets everyone present.
        assert!(matches!(heard, Heard::Past { first } if first == (n == 0)));
    }
    let proofs = state.conversations.with_untracked(|all| {
        let room = all.get(Talk::Room).expect("the room's conversation");
        room.messages().iter().map(|m| m.proof.clone()).collect::<Vec<_>>()
    });
    // Who relayed it is the link's peer, whatever the message claims; 200 at most from one.
    assert_eq!(proofs, vec![Proof::Unverified("dave".into()); 200]);
    assert_eq!(state.conversations.with_untracked(|all| all.get(Talk::Room).unwrap().unread()), 0);
}

#[wasm_bindgen_test]
fn an_edit_goes_as_the_line_again_waits_for_the_hello_and_never_goes_to_a_classic_app() {
    let (messaging, state, _events) = messaging();
    let out = FakeOutlet::natter(&["bob"]);
    meet(&messaging, "bob");
    messaging.write("bob", "alice".into(), "helo", None);
    messaging.flush("bob", false, &out);
    let sent = lines(out.take_messages());
    messaging.hear("bob", &ack(&sent[0].1));
    assert!(messaging.edit("bob", &sent[0].1, Some("hello")));
    assert!(!messaging.edit("bob", &sent[0].1, Some("hello")), "nothing new");

    // A natter app that has not said what it takes yet: the edit waits, queued.
    out.set_app("bob", PeerApp::Natter(None));
    messaging.flush("bob", true, &out);
    assert!(out.take_sent().is_empty());
    assert_eq!(marks(state, Talk::With("bob")), [("hello".into(), Delivery::Queued)]);
    let natter = FakeOutlet::natter(&["bob"]);
    messaging.flush("bob", false, &natter);
    let edits = natter.take_messages();
    let [PeerMessage::Line(edit)] = &edits[..] else { panic!("one edit due, not {edits:?}") };
    assert_eq!((edit.message.as_str(), edit.id.as_ref()), ("hello", Some(&sent[0].1)));
    assert!(edit.edited.is_some());

    // A classic app gets nothing (it would show a second line); the mark stays sent.
    messaging.edit("bob", &sent[0].1, None);
    out.set_app("bob", PeerApp::Classic);
    messaging.flush("bob", true, &out);
    assert!(out.take_sent().is_empty());
    assert_eq!(marks(state, Talk::With("bob")), [(String::new(), Delivery::Sent)]);
}
