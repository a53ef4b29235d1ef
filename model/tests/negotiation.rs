//! Perfect-negotiation decisions.

use natter_model::negotiation::{is_polite, Negotiation, Verdict};

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
