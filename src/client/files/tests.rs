//! The files part alone, against a fake peer outlet: a file's phases, ours (offered,
//! accepted, sending, confirmed) and a peer's (offered, accepted, received, checked, kept),
//! and how each can end otherwise. The bytes a peer sends are handed in as its channel
//! reports them; the part's tasks (digests) and timers come back through the engine.

use super::{FileNews, Files};
use crate::client::events::Event;
use crate::client::testing::{state_and_dispatch, FakeOutlet, Recorder};
use crate::i18n::{t, tf, K};
use crate::state::ChatState;
use crate::web::file_channel::FileEvent;
use crate::web::file_data::ChunkDigest;
use leptos::prelude::*;
use natter_model::peer_app::{PeerApp, OUR_FEATURES};
use natter_model::transfer::{Transfer, TransferPhase};
use natter_protocol::{file_channel_label, PeerMessage, FILE_CHUNK_BYTES};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{DataTransfer, File, FileList, RtcPeerConnection};

/// The part under test, the state it writes, and the engine keeping its events.
fn files() -> (Files, ChatState, Rc<Recorder>) {
    let recorder = Rc::new(Recorder::default());
    let (state, dispatch) = state_and_dispatch(&recorder);
    (Files::new(state, dispatch), state, recorder)
}

/// What is shown of the transfer `id` with `peer`.
fn transfer(state: ChatState, peer: &str, id: &str) -> Transfer {
    let entry = state.transfers.with_untracked(|all| all.iter().find(|e| e.is(peer, id)).cloned());
    entry.expect("the transfer").view.get_untracked()
}

fn phase(state: ChatState, peer: &str, id: &str) -> (TransferPhase, String) {
    let transfer = transfer(state, peer, id);
    (transfer.phase, transfer.note)
}

/// `peer` offers us `size` bytes as file `id`.
fn offer(id: &str, size: u64) -> PeerMessage {
    let (id, name, mime) = (id.to_owned(), "notes.txt".to_owned(), "text/plain".to_owned());
    PeerMessage::FileOffer { id, name, size, mime }
}

/// The bytes `bytes` as the peer's file channel delivers them.
fn chunk(bytes: &[u8]) -> FileEvent {
    FileEvent::Chunk(js_sys::Uint8Array::from(bytes).buffer())
}

/// The digest the sender announces for a file sent in `chunks`.
async fn digest_of(chunks: &[&[u8]]) -> String {
    let mut digest = ChunkDigest::default();
    for bytes in chunks {
        digest.add(&js_sys::Uint8Array::from(*bytes).buffer());
    }
    digest.finish().await.expect("a digest")
}

/// The files the person picked, as the file input hands them over.
fn picked(names: &[&str]) -> FileList {
    let picked = DataTransfer::new().unwrap();
    for name in names {
        let bytes = js_sys::Array::of1(&"some text".into());
        picked.items().add_with_file(&File::new_with_str_sequence(&bytes, name).unwrap()).unwrap();
    }
    picked.files().unwrap()
}

/// A data channel for file `id` on a connection of its own (never connected).
fn channel(id: &str) -> web_sys::RtcDataChannel {
    RtcPeerConnection::new().unwrap().create_data_channel(&file_channel_label(id))
}

/// Our file `name` offered to bob: its id, and the names the conversation was told of.
fn offer_ours(files: &Files, out: &FakeOutlet, name: &str) -> (String, Vec<String>) {
    let told = RefCell::new(Vec::new());
    files.offer("bob", picked(&[name]), out, |name, _| told.borrow_mut().push(name));
    let sent = out.take_sent();
    let [(to, PeerMessage::FileOffer { id, name: offered, size, .. })] = &sent[..] else {
        panic!("one offer was due, not {sent:?}");
    };
    assert_eq!((to.as_str(), offered.as_str(), *size), ("bob", name, 9));
    (id.clone(), told.take())
}

#[wasm_bindgen_test]
async fn a_file_offered_to_us_is_accepted_received_checked_and_kept() {
    let (files, state, events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    // Every chunk but the last is a whole one.
    let (first, last) = (vec![7; FILE_CHUNK_BYTES as usize], b"bob!");
    let size = first.len() as u64 + 4;
    let news = files.on_message("bob", offer("f1", size), &out);
    let Some(FileNews::Offered(name, file)) = news else { panic!("the offer was news") };
    assert_eq!((name.as_str(), file.id.as_str(), file.size), ("notes.txt", "f1", size));
    assert_eq!(phase(state, "bob", "f1").0, TransferPhase::Offered);
    let asked = tf(K::WantsToSendName, &[("peer", "bob"), ("name", "notes.txt")]);
    assert!(state.notices.with_untracked(|n| n.shown().iter().any(|n| n.text == asked)));
    assert!(files.on_message("bob", offer("f1", size), &out).is_none(), "a replay is ignored");

    files.accept("bob", "f1", &out);
    let accepted = PeerMessage::FileAnswer { id: "f1".into(), accept: true, at: 0 };
    assert_eq!(out.take_sent(), [("bob".into(), accepted)]);
    assert_eq!(phase(state, "bob", "f1").0, TransferPhase::Receiving);

    let link = Rc::new(Cell::new(0));
    files.on_channel("bob", "f1", chunk(&first), link.clone(), &out);
    files.on_channel("bob", "f1", chunk(last), link, &out);
    assert_eq!(transfer(state, "bob", "f1").done, size);
    assert_eq!(phase(state, "bob", "f1").0, TransferPhase::Receiving, "until it is checked");

    let sha256 = digest_of(&[&first, last]).await;
    files.on_message(
        "bob",
        PeerMessage::FileDone { id: "f1".into(), sha256: sha256.clone() },
        &out,
    );
    let Event::Digested { peer, id, digest } = events.next().await else {
        panic!("our digest was due")
    };
    assert_eq!(digest.as_deref(), Some(sha256.as_str()));
    files.digested(&peer, &id, digest, &out);
    let done = PeerMessage::FileDone { id: "f1".into(), sha256 };
    assert_eq!(out.take_sent(), [("bob".into(), done)], "the sender hears our digest");
    assert_eq!(phase(state, "bob", "f1"), (TransferPhase::Done, t(K::FileReceived).into()));
    assert!(transfer(state, "bob", "f1").url.is_some(), "the file to download");
}

#[wasm_bindgen_test]
async fn a_received_file_whose_digest_differs_from_the_senders_is_discarded() {
    let (files, state, events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    files.on_message("bob", offer("f1", 5), &out);
    files.accept("bob", "f1", &out);
    // The sender's digest may come before the last bytes.
    files.on_message("bob", PeerMessage::FileDone { id: "f1".into(), sha256: "00".into() }, &out);
    files.on_channel("bob", "f1", chunk(b"hello"), Rc::default(), &out);
    let Event::Digested { peer, id, digest } = events.next().await else {
        panic!("our digest was due")
    };
    out.take_sent();
    files.digested(&peer, &id, digest, &out);
    assert!(matches!(&out.take_messages()[..], [PeerMessage::FileDone { .. }]));
    let discarded = (TransferPhase::Failed, t(K::DigestMismatch).into());
    assert_eq!(phase(state, "bob", "f1"), discarded);
    assert!(transfer(state, "bob", "f1").url.is_none());
}

#[wasm_bindgen_test]
fn a_sender_that_breaks_the_offer_fails_the_transfer_and_hears_so() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    files.on_message("bob", offer("early", 5), &out);
    files.on_channel("bob", "early", chunk(b"hello"), Rc::default(), &out);
    let why = tf(K::DataNotDue, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", "early"), (TransferPhase::Failed, why));
    let cancel = PeerMessage::FileCancel { id: "early".into() };
    assert_eq!(out.take_messages(), [cancel]);

    files.on_message("bob", offer("big", 5), &out);
    files.accept("bob", "big", &out);
    out.take_sent();
    files.on_channel("bob", "big", chunk(b"hello!"), Rc::default(), &out);
    let why = tf(K::SentTooMuch, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", "big"), (TransferPhase::Failed, why));
    assert_eq!(out.take_messages(), [PeerMessage::FileCancel { id: "big".into() }]);
}

#[wasm_bindgen_test]
fn an_offer_to_us_is_declined_or_cancelled_by_its_sender() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    files.on_message("bob", offer("f1", 5), &out);
    files.decline("bob", "f1", &out);
    let declined = PeerMessage::FileAnswer { id: "f1".into(), accept: false, at: 0 };
    assert_eq!(out.take_messages(), [declined]);
    assert_eq!(phase(state, "bob", "f1"), (TransferPhase::Declined, t(K::FileDeclined).into()));

    files.on_message("bob", offer("f2", 5), &out);
    files.accept("bob", "f2", &out);
    files.on_message("bob", PeerMessage::FileCancel { id: "f2".into() }, &out);
    let why = tf(K::CancelledBy, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", "f2"), (TransferPhase::Cancelled, why));
}

#[wasm_bindgen_test]
fn our_file_is_offered_sent_once_its_channel_opens_and_done_when_the_digests_agree() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    let (id, told) = offer_ours(&files, &out, "plan.txt");
    assert_eq!(told, ["plan.txt"], "the offer goes in the conversation");
    assert_eq!(phase(state, "bob", &id).0, TransferPhase::Waiting);

    let accepted = PeerMessage::FileAnswer { id: id.clone(), accept: true, at: 0 };
    let news = files.on_message("bob", accepted, &out);
    assert!(matches!(news, Some(FileNews::Accepted(ref accepted)) if *accepted == id));
    files.opened_channel("bob", &id, Some(channel(&id)));
    assert_eq!(phase(state, "bob", &id).0, TransferPhase::Waiting);

    files.on_channel("bob", &id, FileEvent::Open, Rc::default(), &out);
    assert_eq!(phase(state, "bob", &id).0, TransferPhase::Sending);
    // The task sending the bytes reports (`Event::Sent`) once all went.
    files.sent("bob", &id, Ok("abc".into()), &out);
    let done = PeerMessage::FileDone { id: id.clone(), sha256: "abc".into() };
    assert_eq!(out.take_messages(), std::slice::from_ref(&done));
    assert_eq!(transfer(state, "bob", &id).done, 9);
    files.on_message("bob", done, &out);
    assert_eq!(phase(state, "bob", &id), (TransferPhase::Done, t(K::FileSent).into()));

    // Another whose receiver computed another digest.
    let (id, _) = offer_ours(&files, &out, "other.txt");
    files.on_message("bob", PeerMessage::FileAnswer { id: id.clone(), accept: true, at: 0 }, &out);
    files.opened_channel("bob", &id, Some(channel(&id)));
    files.on_channel("bob", &id, FileEvent::Open, Rc::default(), &out);
    files.sent("bob", &id, Ok("abc".into()), &out);
    files.on_message("bob", PeerMessage::FileDone { id: id.clone(), sha256: "abd".into() }, &out);
    let why = tf(K::TheyDiscarded, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", &id), (TransferPhase::Failed, why));
}

#[wasm_bindgen_test]
fn our_offer_is_declined_or_ends_with_the_link() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    let (declined, _) = offer_ours(&files, &out, "a.txt");
    let answer = PeerMessage::FileAnswer { id: declined.clone(), accept: false, at: 0 };
    assert!(files.on_message("bob", answer, &out).is_none());
    let why = tf(K::DeclinedBy, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", &declined), (TransferPhase::Declined, why));

    // Unanswered, it stands until the link with bob is gone.
    let (unanswered, _) = offer_ours(&files, &out, "b.txt");
    assert_eq!(phase(state, "bob", &unanswered).0, TransferPhase::Waiting);
    files.peer_gone("bob", false);
    let why = tf(K::PeerDisconnected, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", &unanswered), (TransferPhase::Failed, why));
}

#[wasm_bindgen_test]
fn no_offer_to_an_app_that_cannot_take_files() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    out.set_app("bob", PeerApp::Classic);
    files.offer("bob", picked(&["a.txt"]), &out, |_, _| panic!("nothing was offered"));
    assert!(out.take_sent().is_empty());
    assert!(state.transfers.with_untracked(Vec::is_empty));
    let why = tf(K::CantTakeFiles, &[("peer", "bob")]);
    assert!(state.notices.with_untracked(|n| n.shown().iter().any(|n| n.text == why)));
}

#[wasm_bindgen_test]
async fn transfers_fail_when_the_peer_goes_or_their_channel_closes_unexplained() {
    let (files, state, events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    let (ours, _) = offer_ours(&files, &out, "a.txt");
    files.on_message("bob", offer("theirs", 5), &out);
    files.on_message("bob", offer("ended", 5), &out);
    files.decline("bob", "ended", &out);
    files.peer_gone("bob", false);
    let lost = (TransferPhase::Failed, tf(K::PeerDisconnected, &[("peer", "bob")]));
    assert_eq!(phase(state, "bob", &ours), lost);
    assert_eq!(phase(state, "bob", "theirs"), lost);
    assert_eq!(phase(state, "bob", "ended").0, TransferPhase::Declined, "an ended one stays");

    // A channel that closes waits a moment for the reason on the chat channel.
    for id in ["explained", "unexplained"] {
        files.on_message("bob", offer(id, 5), &out);
        files.accept("bob", id, &out);
        // Closing its connection closes the channel at once; its close event may follow.
        let connection = RtcPeerConnection::new().unwrap();
        files.peer_channel("bob", connection.create_data_channel(&file_channel_label(id)));
        connection.close();
        files.on_channel("bob", id, FileEvent::Closed, Rc::default(), &out);
    }
    files.on_message("bob", PeerMessage::FileCancel { id: "explained".into() }, &out);
    let mut graces = 0;
    while graces < 2 {
        match events.next().await {
            Event::File { peer, id, event } => {
                assert!(matches!(event, FileEvent::Closed), "only the close was due");
                files.on_channel(&peer, &id, event, Rc::default(), &out)
            }
            Event::FileClosed { peer, id } => {
                files.closed_due(&peer, &id);
                graces += 1;
            }
            _ => panic!("the channels' closes and graces were due"),
        }
    }
    let why = tf(K::CancelledBy, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", "explained"), (TransferPhase::Cancelled, why));
    assert_eq!(phase(state, "bob", "unexplained"), lost);
}

#[wasm_bindgen_test]
fn our_file_to_the_room_goes_to_each_person_whose_app_takes_it() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob", "carol", "dave"]);
    // carol runs an older natter (files, not to rooms); dave's hello has not come yet.
    let mut older = PeerApp::Unknown;
    older.hello(&["acks".into(), "files".into(), "room".into()]);
    out.set_app("carol", older);
    out.set_app("dave", PeerApp::Natter(None));
    let people = ["bob", "carol", "dave"].map(String::from);
    let told = RefCell::new(Vec::new());
    files.offer_room(&people, picked(&["plan.txt"]), &out, |name, _| told.borrow_mut().push(name));
    assert_eq!(told.take(), ["plan.txt"], "one place in the room's timeline");
    let sent = out.take_sent();
    let [(to, PeerMessage::RoomFileOffer { id, name, size, .. })] = &sent[..] else {
        panic!("one offer to the room was due now, to bob, not {sent:?}");
    };
    assert_eq!((to.as_str(), name.as_str(), *size), ("bob", "plan.txt", 9));
    let why = tf(K::CantTakeRoomFiles, &[("peer", "carol")]);
    assert_eq!(phase(state, "carol", id), (TransferPhase::Failed, why), "left out, and said");
    assert_eq!(phase(state, "dave", id).0, TransferPhase::Waiting);

    // dave's hello: the same offer goes to him, once.
    let mut natter = PeerApp::Unknown;
    natter.hello(&OUR_FEATURES.map(String::from));
    out.set_app("dave", natter);
    files.offer_waiting("dave", &out);
    files.offer_waiting("dave", &out);
    let again = PeerMessage::RoomFileOffer {
        id: id.clone(),
        name: "plan.txt".into(),
        size: 9,
        mime: String::new(),
    };
    assert_eq!(out.take_sent(), [("dave".into(), again)]);

    // Each answers on their own.
    files.on_message("bob", PeerMessage::FileAnswer { id: id.clone(), accept: false, at: 0 }, &out);
    let why = tf(K::DeclinedBy, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", id), (TransferPhase::Declined, why));
    let news = files.on_message(
        "dave",
        PeerMessage::FileAnswer { id: id.clone(), accept: true, at: 0 },
        &out,
    );
    assert!(matches!(news, Some(FileNews::Accepted(ref accepted)) if accepted == id));
}

#[wasm_bindgen_test]
fn a_file_offered_to_the_room_goes_in_the_rooms_timeline_and_is_answered_alone() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["alice"]);
    let (id, name, mime) = ("r1".to_owned(), "map.png".to_owned(), "image/png".to_owned());
    let offer = PeerMessage::RoomFileOffer { id, name, size: 5, mime };
    let news = files.on_message("alice", offer, &out);
    let Some(FileNews::OfferedToRoom(name, file)) = news else { panic!("news for the room") };
    assert_eq!((name.as_str(), file.id.as_str()), ("map.png", "r1"));
    assert_eq!(phase(state, "alice", "r1").0, TransferPhase::Offered);
    files.accept("alice", "r1", &out);
    let accepted = PeerMessage::FileAnswer { id: "r1".into(), accept: true, at: 0 };
    assert_eq!(out.take_sent(), [("alice".into(), accepted)]);
    assert_eq!(phase(state, "alice", "r1").0, TransferPhase::Receiving);
}

/// `peer`'s app, as the links part knows it, takes transfers up again after a break.
fn resumes(state: ChatState, peer: &str) -> PeerApp {
    let mut app = PeerApp::Unknown;
    app.hello(&OUR_FEATURES.map(String::from));
    let status = natter_model::link::PeerStatus { app, ..Default::default() };
    state.peers.update(|all| all.insert(peer, status));
    app
}

#[wasm_bindgen_test]
async fn a_broken_link_pauses_a_file_coming_in_and_its_offer_made_again_goes_on_from_what_we_hold()
{
    let (files, state, events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    resumes(state, "bob");
    let (whole, last) = (vec![7; FILE_CHUNK_BYTES as usize], b"end");
    let size = 2 * whole.len() as u64 + 3;
    files.on_message("bob", offer("f1", size), &out);
    files.accept("bob", "f1", &out);
    out.take_sent();
    let link = Rc::new(Cell::new(0));
    files.on_channel("bob", "f1", chunk(&whole), link.clone(), &out);
    files.peer_gone("bob", false);
    let away = tf(K::PeerAway, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", "f1"), (TransferPhase::Receiving, away), "not failed");

    assert!(files.on_message("bob", offer("f1", size), &out).is_none(), "no second place");
    let at = u64::from(FILE_CHUNK_BYTES);
    let resumed = PeerMessage::FileAnswer { id: "f1".into(), accept: true, at };
    assert_eq!(out.take_sent(), [("bob".into(), resumed)], "from the bytes we hold");
    files.on_channel("bob", "f1", chunk(&whole), link.clone(), &out);
    files.on_channel("bob", "f1", chunk(last), link, &out);
    let sha256 = digest_of(&[&whole, &whole, last]).await;
    files.on_message("bob", PeerMessage::FileDone { id: "f1".into(), sha256 }, &out);
    let Event::Digested { peer, id, digest } = events.next().await else {
        panic!("our digest was due")
    };
    files.digested(&peer, &id, digest, &out);
    assert_eq!(phase(state, "bob", "f1"), (TransferPhase::Done, t(K::FileReceived).into()));
}

#[wasm_bindgen_test]
fn our_offer_waits_out_a_broken_link_and_is_made_again_to_an_app_that_resumes() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    resumes(state, "bob");
    let (id, _) = offer_ours(&files, &out, "notes.txt");
    files.peer_gone("bob", false);
    let away = tf(K::PeerAway, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", &id), (TransferPhase::Waiting, away));

    // Back, its app not yet known: the offer waits for the hello.
    out.set_app("bob", PeerApp::Natter(None));
    files.offer_waiting("bob", &out);
    assert_eq!(out.take_sent(), []);
    out.set_app("bob", resumes(state, "bob"));
    files.offer_waiting("bob", &out);
    files.offer_waiting("bob", &out);
    let again = PeerMessage::FileOffer {
        id: id.clone(),
        name: "notes.txt".into(),
        size: 9,
        mime: String::new(),
    };
    assert_eq!(out.take_sent(), [("bob".into(), again)], "once");
    let answer = PeerMessage::FileAnswer { id: id.clone(), accept: true, at: 9 };
    let news = files.on_message("bob", answer, &out);
    assert!(matches!(news, Some(FileNews::Accepted(ref accepted)) if *accepted == id));
}

#[wasm_bindgen_test]
fn without_resuming_a_broken_link_fails_the_transfer_as_before() {
    let (files, state, _events) = files();
    let out = FakeOutlet::natter(&["bob"]);
    let (id, _) = offer_ours(&files, &out, "notes.txt");
    files.peer_gone("bob", false);
    let gone = tf(K::PeerDisconnected, &[("peer", "bob")]);
    assert_eq!(phase(state, "bob", &id), (TransferPhase::Failed, gone));
}
