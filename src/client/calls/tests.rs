//! The calls part alone, against a fake peer outlet: ringing, answering, declining, a ring
//! nobody answers, hanging up, and the peer going. Time passes by backdating the ring in
//! the state, and the part's timer is delivered by the test ([`Calls::ring_due`]).

use super::{Calls, LinkMedia, MediaOrder, CALLEE_GRACE_MS};
use crate::client::events::Event;
use crate::client::testing::{state_and_dispatch, Channel, FakeOutlet, Recorder};
use crate::i18n::{t, tf, K};
use crate::state::ChatState;
use leptos::prelude::*;
use natter_model::call::{CallKind, CallPhase, RING_TIMEOUT_MS};
use natter_model::peer_app::PeerApp;
use natter_protocol::PeerMessage;
use std::rc::Rc;
use wasm_bindgen_test::wasm_bindgen_test;

/// The part under test, the state it writes, and the engine keeping its events.
fn calls() -> (Calls, ChatState, Rc<Recorder>) {
    let recorder = Rc::new(Recorder::default());
    let (state, dispatch) = state_and_dispatch(&recorder);
    (Calls::new(state, dispatch), state, recorder)
}

fn phase(state: ChatState) -> Option<CallPhase> {
    state.call.with_untracked(|call| call.as_ref().map(|call| call.phase))
}

/// The texts of the notices on screen.
fn notices(state: ChatState) -> Vec<String> {
    state.notices.with_untracked(|all| all.shown().iter().map(|n| n.text.clone()).collect())
}

/// The ring began `ms` earlier than it did.
fn backdate(state: ChatState, ms: f64) {
    state.call.update(|call| call.as_mut().expect("a call").rang_ms -= ms);
}

/// The call `order` ended: with whom, the line it leaves, and the kind of a missed call.
fn ended(order: MediaOrder) -> (String, String, Option<CallKind>) {
    match order {
        Some((peer, LinkMedia::End(line, missed))) => (peer, line, missed),
        Some(_) => panic!("the call was due to end, and its media was ordered otherwise"),
        None => panic!("the call was due to end"),
    }
}

/// The devices the part asked for opened: they go to the connection, and the peer hears
/// our switches.
async fn devices_open(calls: &Calls, events: &Recorder, out: &FakeOutlet) {
    let Event::DevicesOpened { peer, opened } = events.next().await else {
        panic!("the devices were due to open")
    };
    let order = calls.devices_opened(peer.clone(), opened, out);
    assert!(matches!(order, Some((to, LinkMedia::Add(_))) if to == peer));
    assert!(matches!(out.take_messages()[..], [PeerMessage::CallState { .. }]));
}

#[wasm_bindgen_test]
async fn a_call_rings_is_answered_and_hung_up() {
    let (calls, state, events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    calls.start("bob", CallKind::Video, &out);
    assert_eq!(out.take_sent(), [("bob".into(), PeerMessage::Call { video: true })]);
    assert_eq!(phase(state), Some(CallPhase::Ringing));
    calls.start("bob", CallKind::Voice, &out);
    assert!(out.take_sent().is_empty(), "one call at a time");
    assert_eq!(notices(state), [t(K::HangUpFirst)]);

    let order = calls.on_message("bob", PeerMessage::CallAnswer { accept: true }, &out);
    assert!(order.is_none());
    assert_eq!(phase(state), Some(CallPhase::Active));
    devices_open(&calls, &events, &out).await;
    assert!(state.local_stream.with_untracked(Option::is_some), "our camera is on");

    // Leaving the page hangs up this way too (`ChatClient::leave_page`).
    let (peer, line, missed) = ended(calls.hang_up(&out));
    assert_eq!(out.take_sent(), [("bob".into(), PeerMessage::CallEnd)]);
    assert_eq!((peer.as_str(), missed), ("bob", None));
    assert_eq!(line, tf(K::VideoCallLine, &[("outcome", "0:00")]));
    assert_eq!(phase(state), None);
    assert!(state.local_stream.with_untracked(Option::is_none), "our camera is off");
}

#[wasm_bindgen_test]
async fn an_incoming_call_rings_here_until_it_is_accepted() {
    let (calls, state, events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    assert!(calls.on_message("bob", PeerMessage::Call { video: false }, &out).is_none());
    assert_eq!(phase(state), Some(CallPhase::Incoming));
    assert_eq!(notices(state), [tf(K::IsCalling, &[("peer", "bob")])]);
    assert!(out.take_sent().is_empty());

    calls.accept(&out);
    assert_eq!(out.take_messages(), [PeerMessage::CallAnswer { accept: true }]);
    assert_eq!(phase(state), Some(CallPhase::Active));
    assert!(notices(state).is_empty(), "the ring's notice goes once it no longer rings");
    devices_open(&calls, &events, &out).await;

    // The caller hangs up.
    let (_, line, missed) = ended(calls.on_message("bob", PeerMessage::CallEnd, &out));
    assert_eq!((line, missed), (tf(K::VoiceCallLine, &[("outcome", "0:00")]), None));
    assert_eq!(notices(state), [tf(K::HungUp, &[("peer", "bob")])]);
    assert_eq!(phase(state), None);
}

#[wasm_bindgen_test]
fn declining_says_no_to_the_caller_and_a_second_caller_hears_we_are_busy() {
    let (calls, state, _events) = calls();
    let out = FakeOutlet::natter(&["bob", "carol"]);
    calls.on_message("bob", PeerMessage::Call { video: true }, &out);
    calls.on_message("carol", PeerMessage::Call { video: false }, &out);
    assert_eq!(out.take_sent(), [("carol".into(), PeerMessage::CallAnswer { accept: false })]);
    assert!(state.call.with_untracked(|call| call.as_ref().unwrap().peer == "bob"));

    let (peer, line, missed) = ended(calls.hang_up(&out));
    assert_eq!(out.take_sent(), [("bob".into(), PeerMessage::CallAnswer { accept: false })]);
    assert_eq!((peer.as_str(), missed), ("bob", None), "declined is not missed");
    assert_eq!(line, t(K::DeclinedVideoCall));
    assert_eq!(phase(state), None);
}

#[wasm_bindgen_test]
fn our_ring_ends_when_the_peer_declines() {
    let (calls, state, _events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    calls.start("bob", CallKind::Voice, &out);
    out.take_sent();
    let order = calls.on_message("bob", PeerMessage::CallAnswer { accept: false }, &out);
    let (_, line, missed) = ended(order);
    assert_eq!((line, missed), (tf(K::VoiceCallLine, &[("outcome", t(K::CallDeclined))]), None));
    assert_eq!(notices(state), [tf(K::DeclinedTheCall, &[("peer", "bob")])]);
    assert!(out.take_sent().is_empty());
}

#[wasm_bindgen_test]
fn a_ring_nobody_answers_ends_once_its_time_is_up_and_not_before() {
    let (calls, state, _events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    calls.start("bob", CallKind::Voice, &out);
    out.take_sent();
    assert!(calls.ring_due(0.0, &out).is_none(), "not unanswered yet");
    assert_eq!(phase(state), Some(CallPhase::Ringing));

    backdate(state, RING_TIMEOUT_MS);
    let (_, line, missed) = ended(calls.ring_due(0.0, &out));
    assert_eq!(out.take_sent(), [("bob".into(), PeerMessage::CallEnd)], "the callee hears");
    assert_eq!((line, missed), (tf(K::VoiceCallLine, &[("outcome", t(K::NoAnswer))]), None));
    assert_eq!(notices(state), [tf(K::NoAnswerFrom, &[("peer", "bob")])]);
    assert_eq!(phase(state), None);
}

#[wasm_bindgen_test]
fn a_ring_here_nobody_answers_is_a_missed_call_after_the_callers_time_and_a_grace() {
    let (calls, state, _events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    calls.on_message("bob", PeerMessage::Call { video: true }, &out);
    backdate(state, RING_TIMEOUT_MS);
    assert!(calls.ring_due(CALLEE_GRACE_MS, &out).is_none(), "the caller ends it first");

    backdate(state, CALLEE_GRACE_MS);
    let (_, line, missed) = ended(calls.ring_due(CALLEE_GRACE_MS, &out));
    assert_eq!((line, missed), (t(K::MissedVideoCall).to_owned(), Some(CallKind::Video)));
    assert!(out.take_sent().is_empty(), "the caller has given up by now");
    assert_eq!(notices(state), [tf(K::MissedCallFrom, &[("peer", "bob")])]);
}

#[wasm_bindgen_test]
fn a_call_ends_when_the_connection_to_the_peer_goes() {
    let (calls, state, _events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    calls.on_message("bob", PeerMessage::Call { video: false }, &out);
    assert!(calls.peer_gone("carol").is_none(), "not the call's peer");
    assert_eq!(phase(state), Some(CallPhase::Incoming));

    let (peer, line, missed) = ended(calls.peer_gone("bob"));
    assert_eq!((peer.as_str(), missed), ("bob", Some(CallKind::Voice)));
    assert_eq!(line, t(K::MissedVoiceCall));
    assert!(notices(state).contains(&tf(K::ConnectionLost, &[("peer", "bob")])));
    assert_eq!(phase(state), None);
}

#[wasm_bindgen_test]
fn no_call_to_an_app_that_cannot_take_one_or_without_a_channel() {
    let (calls, state, _events) = calls();
    let out = FakeOutlet::natter(&["bob"]);
    out.set_app("bob", PeerApp::Classic);
    calls.start("bob", CallKind::Voice, &out);
    out.set_app("carol", PeerApp::Natter(None));
    calls.start("carol", CallKind::Voice, &out);
    let dave = FakeOutlet::natter(&["dave"]);
    dave.set_channel("dave", Channel::Closed);
    calls.start("dave", CallKind::Voice, &dave);
    assert!(out.take_sent().is_empty());
    assert_eq!(phase(state), None);
    let expected = [
        tf(K::CantTakeCalls, &[("peer", "bob")]),
        tf(K::CheckingApp, &[("peer", "carol")]),
        tf(K::NotConnectedYet, &[("peer", "dave")]),
    ];
    assert_eq!(notices(state), expected);
}
