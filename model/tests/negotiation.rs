//! Perfect-negotiation decisions.

use natter_model::negotiation::{is_polite, session_of, Negotiation, Verdict};

#[test]
fn exactly_one_side_of_a_pair_is_polite() {
    assert_ne!(is_polite("alice", "bob"), is_polite("bob", "alice"));
}

#[test]
fn on_collision_the_impolite_side_ignores_and_the_polite_side_yields() {
    let mut impolite = Negotiation::<u8>::new(false);
    impolite.set_making_offer(true);
    assert_eq!(impolite.receive_description(true, false), Verdict::Ignore);

    let mut polite = Negotiation::<u8>::new(true);
    polite.set_making_offer(true);
    assert_eq!(polite.receive_description(true, false), Verdict::Apply);
}

#[test]
fn without_collision_everything_is_applied() {
    let mut impolite = Negotiation::<u8>::new(false);
    assert_eq!(impolite.receive_description(true, true), Verdict::Apply);
    // An answer to our own offer is never a collision.
    impolite.set_making_offer(false);
    assert_eq!(impolite.receive_description(false, false), Verdict::Apply);
}

#[test]
fn candidates_wait_for_the_remote_description_in_order() {
    let mut negotiation = Negotiation::new(true);
    assert_eq!(negotiation.receive_candidate(1), None);
    assert_eq!(negotiation.receive_candidate(2), None);
    assert_eq!(negotiation.remote_description_applied(), vec![1, 2]);
    assert_eq!(negotiation.receive_candidate(3), Some(3));
}

const CHROMIUM_OFFER: &str = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n";
const CHROMIUM_RESTART: &str = "v=0\r\no=- 4611731400430051336 3 IN IP4 127.0.0.1\r\ns=-\r\n";
const FIREFOX_OFFER: &str =
    "v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 1554055486145600882 0 IN IP4 0.0.0.0\r\ns=-\r\n";
const FIREFOX_RELOADED: &str =
    "v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 7266149384093745120 0 IN IP4 0.0.0.0\r\ns=-\r\n";

#[test]
fn a_session_is_the_origin_without_its_version() {
    assert_eq!(session_of(CHROMIUM_OFFER).as_deref(), Some("- 4611731400430051336"));
    assert_eq!(session_of(CHROMIUM_OFFER), session_of(CHROMIUM_RESTART));
    assert_eq!(session_of("v=0\r\ns=-\r\n"), None);
    assert_eq!(session_of("o=-\r\n"), None);
}

#[test]
fn a_description_of_another_remote_connection_is_told_apart() {
    let mut negotiation = Negotiation::<u8>::new(true);
    // Nothing known yet: the first description is never another's.
    assert!(!negotiation.is_other_session(FIREFOX_OFFER));
    negotiation.note_session(FIREFOX_OFFER);
    assert!(!negotiation.is_other_session(FIREFOX_OFFER));
    assert!(negotiation.is_other_session(FIREFOX_RELOADED));
    // Only the first one counts.
    negotiation.note_session(FIREFOX_RELOADED);
    assert!(negotiation.is_other_session(FIREFOX_RELOADED));

    // A renegotiation or an ICE restart keeps the session, with a new version.
    let mut chromium = Negotiation::<u8>::new(false);
    chromium.note_session(CHROMIUM_OFFER);
    assert!(!chromium.is_other_session(CHROMIUM_RESTART));
}
