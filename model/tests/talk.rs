//! Which conversation, and every conversation under its own.

use natter_model::conversation::Conversation;
use natter_model::kept::{identity_of, stored_name, talk_of, unidentified_key};
use natter_model::talk::{Conversations, Talk};

#[test]
fn a_talk_is_the_room_or_a_person() {
    let bob = Talk::With("bob".to_owned());
    assert_eq!(bob.as_deref(), Talk::With("bob"));
    assert_eq!(
        (bob.person(), bob.is_with("bob"), bob.is_with("carol")),
        (Some("bob"), true, false)
    );
    assert!(!bob.is_room());
    let room: Talk = Talk::Room;
    assert_eq!((room.person(), room.is_room(), room.is_with("")), (None, true, false));
    assert_eq!(Talk::With("bob").owned(), bob);
}

#[test]
fn conversations_are_found_by_talk_in_the_order_they_began() {
    let mut all = Conversations::default();
    assert!(all.get(Talk::Room).is_none());
    all.get_or_default(Talk::With("bob")).note("hi".into(), "t".into());
    all.get_or_default(Talk::Room);
    all.insert(Talk::With("carol".into()), Conversation::default());
    all.insert(Talk::With("bob".into()), Conversation::default());
    let order: Vec<_> = all.iter().map(|(talk, _)| talk.clone()).collect();
    assert_eq!(order, [Talk::With("bob".into()), Talk::Room, Talk::With("carol".into())]);
    assert!(all.with("bob").is_some_and(|bob| bob.messages().is_empty()), "replaced");
    assert!(all.with("").is_none(), "the room is no person named ''");
    let people: Vec<_> = all.people().map(|(name, _)| name).collect();
    assert_eq!(people, ["bob", "carol"]);
    assert_eq!(all.values().count(), 3);
}

#[test]
fn the_store_files_the_room_under_an_empty_name_and_keys_unidentified_peers_apart() {
    assert_eq!((stored_name(Talk::Room), stored_name(Talk::With("bob"))), ("", "bob"));
    assert_eq!(
        (talk_of(String::new()), talk_of("bob".into())),
        (Talk::Room, Talk::With("bob".into()))
    );
    assert_eq!(unidentified_key(Talk::With("bob")), "name:bob");
    assert_eq!(unidentified_key(Talk::Room), "name:");
    assert_eq!(identity_of("name:bob".into()), None);
    assert_eq!(identity_of("sha-256 AB:CD".into()), Some("sha-256 AB:CD".into()));
}
