//! The life of a call.

use natter_model::call::{clock, Call, CallKind, CallPhase, CallStep, RING_TIMEOUT_MS};

#[test]
fn a_ring_answered_starts_media_on_both_sides() {
    let mut caller = Call::ring("bob", CallKind::Video, 0.0);
    let mut callee = Call::incoming("alice", CallKind::Video, 0.0);
    assert_eq!(callee.accept(1_000.0), CallStep::AcceptAndStartMedia);
    assert_eq!(caller.accepted_by_peer(1_050.0), CallStep::StartMedia);
    assert_eq!((caller.phase, callee.phase), (CallPhase::Active, CallPhase::Active));
    assert_eq!(caller.seconds(62_050.0), 61);
}

#[test]
fn both_ringing_at_once_is_one_call() {
    let mut alice = Call::ring("bob", CallKind::Voice, 0.0);
    let mut bob = Call::ring("alice", CallKind::Video, 0.0);
    // Each side takes the other's ring as the answer, then ignores the late accept.
    assert_eq!(alice.rang_by_peer(0.0), CallStep::AcceptAndStartMedia);
    assert_eq!(bob.rang_by_peer(0.0), CallStep::AcceptAndStartMedia);
    assert_eq!(alice.accepted_by_peer(5.0), CallStep::Nothing);
    assert_eq!(bob.accepted_by_peer(5.0), CallStep::Nothing);
    assert_eq!((alice.phase, bob.phase), (CallPhase::Active, CallPhase::Active));
}

#[test]
fn answers_out_of_turn_change_nothing() {
    let mut ringing = Call::ring("bob", CallKind::Voice, 0.0);
    assert_eq!(ringing.accept(0.0), CallStep::Nothing, "we cannot accept our own ring");
    let mut incoming = Call::incoming("bob", CallKind::Voice, 0.0);
    assert_eq!(incoming.accepted_by_peer(0.0), CallStep::Nothing);
    assert_eq!(incoming.rang_by_peer(0.0), CallStep::Nothing, "a repeated ring is the same call");
    assert_eq!(incoming.seconds(10_000.0), 0, "no time passes before the call is active");
}

#[test]
fn durations_read_like_a_clock() {
    assert_eq!(clock(0), "0:00");
    assert_eq!(clock(75), "1:15");
    assert_eq!(clock(3_723), "1:02:03");
}

#[test]
fn an_unanswered_ring_times_out_an_answered_one_never() {
    let mut call = Call::ring("bob", CallKind::Voice, 1_000.0);
    assert!(!call.unanswered(1_000.0 + RING_TIMEOUT_MS - 1.0));
    assert!(call.unanswered(1_000.0 + RING_TIMEOUT_MS));
    call.accepted_by_peer(2_000.0);
    assert!(!call.unanswered(1_000.0 + 10.0 * RING_TIMEOUT_MS));
}
