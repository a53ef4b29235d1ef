//! The life of a call.

use natter_model::call::{
    clock, Call, CallKind, CallPhase, CallStep, Ending, Tone, RING, RINGBACK, RING_TIMEOUT_MS,
};
use natter_model::i18n::Lang;

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

#[test]
fn a_call_that_happened_leaves_its_length_on_both_sides() {
    let mut caller = Call::ring("bob", CallKind::Video, 0.0);
    let mut callee = Call::incoming("alice", CallKind::Video, 500.0);
    callee.accept(2_000.0);
    caller.accepted_by_peer(2_100.0);
    assert_eq!(caller.line(Ending::HungUp, 194_100.0, Lang::En), "Video call · 3:12");
    assert_eq!(callee.line(Ending::HungUp, 194_000.0, Lang::En), "Video call · 3:12");
    // However it ended: a lost connection ends a call that happened, too.
    assert_eq!(callee.line(Ending::NoAnswer, 47_000.0, Lang::En), "Video call · 0:45");
}

#[test]
fn a_ring_that_ends_unanswered_says_how() {
    let caller = Call::ring("bob", CallKind::Voice, 0.0);
    let callee = Call::incoming("alice", CallKind::Voice, 0.0);
    let later = RING_TIMEOUT_MS;
    assert_eq!(caller.line(Ending::NoAnswer, later, Lang::En), "Voice call · No answer");
    assert_eq!(caller.line(Ending::Declined, later, Lang::En), "Voice call · Declined");
    assert_eq!(caller.line(Ending::HungUp, later, Lang::En), "Voice call · Cancelled");
    assert_eq!(callee.line(Ending::NoAnswer, later, Lang::En), "Missed voice call");
    assert_eq!(callee.line(Ending::HungUp, later, Lang::En), "Missed voice call");
    assert_eq!(callee.line(Ending::Declined, later, Lang::En), "Declined voice call");
    let video = Call::incoming("alice", CallKind::Video, 0.0);
    assert_eq!(video.line(Ending::HungUp, later, Lang::En), "Missed video call");
}

#[test]
fn only_a_ring_here_that_nobody_answered_is_missed() {
    let callee = Call::incoming("alice", CallKind::Voice, 0.0);
    assert!(callee.missed(Ending::NoAnswer));
    assert!(callee.missed(Ending::HungUp), "the caller gave up first");
    assert!(!callee.missed(Ending::Declined), "declined, not missed");
    let caller = Call::ring("bob", CallKind::Voice, 0.0);
    assert!(!caller.missed(Ending::NoAnswer), "our own ring is never missed");
    let mut answered = Call::incoming("alice", CallKind::Voice, 0.0);
    answered.accept(1_000.0);
    assert!(!answered.missed(Ending::HungUp));
}

#[test]
fn each_side_hears_its_own_ring_until_the_call_is_answered() {
    assert_eq!(CallPhase::Incoming.tone(), Some(RING));
    assert_eq!(CallPhase::Ringing.tone(), Some(RINGBACK));
    assert_eq!(CallPhase::Active.tone(), None);
    assert_ne!(RING.beeps[0].hz, RINGBACK.beeps[0].hz, "the two rings sound different");
    let two_tones = RING.beeps.iter().any(|beep| beep.hz != RING.beeps[0].hz);
    assert!(two_tones, "the callee's ring has two tones");
}

/// Beeps in order, none overlapping the next, and a pause before the pattern repeats,
/// for the whole ring.
fn assert_well_formed(tone: Tone) {
    let within = RING_TIMEOUT_MS / 1000.0 + 5.0;
    let patterns = tone.patterns(within);
    assert!(f64::from(patterns) * tone.period >= within, "the ring lasts as long as asked");
    assert!(f64::from(patterns - 1) * tone.period < within, "and no longer");
    for pair in tone.beeps.windows(2) {
        assert!(pair[0].at + pair[0].seconds < pair[1].at, "{pair:?} overlap");
    }
    let last = tone.beeps.last().unwrap();
    assert!(last.at + last.seconds < tone.period, "a pause ends each pattern");
}

#[test]
fn rings_repeat_their_pattern_for_the_whole_ring() {
    assert_well_formed(RING);
    assert_well_formed(RINGBACK);
    assert_eq!(RINGBACK.patterns(12.0), 3);
    assert_eq!(RINGBACK.patterns(15.0), 3);
}

#[test]
fn a_tile_without_video_is_a_voice_call_or_a_camera_off_but_not_a_shared_screen() {
    let mut video = Call::incoming("alice", CallKind::Video, 0.0);
    video.accept(0.0);
    assert!(!video.video_off(true) && !video.video_off(false));
    video.remote.camera_off = true;
    assert!(video.video_off(true) && !video.video_off(false), "only their tile");
    video.remote.sharing = true;
    assert!(!video.video_off(true), "their screen shows");
    let mut voice = Call::ring("bob", CallKind::Voice, 0.0);
    voice.accepted_by_peer(0.0);
    assert!(voice.video_off(true) && voice.video_off(false));
    voice.local.sharing = true;
    assert!(!voice.video_off(false), "a screen shared in a voice call shows");
}
