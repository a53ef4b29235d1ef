//! The room's recent lines for those who join later (docs/protocol.md, 7.10): our key told
//! over each link that takes it, the lines we hold passed on to newcomers with their
//! authors' signatures, and the lines passed on to us checked against the key each author
//! gave over its own link; a line that cannot be checked shows as relayed and unverified.

use super::Messaging;
use crate::client::events::Event;
use crate::client::outlet::PeerOutlet;
use crate::web::line_key;
use leptos::prelude::*;
use natter_model::proof::{signed_bytes, MAX_PAST_LINES};
use natter_model::talk::Talk;
use natter_protocol::{ChatLine, PeerMessage};
use wasm_bindgen_futures::spawn_local;

impl Messaging {
    /// The bytes the author of `line` signs in this room.
    pub fn signed_bytes(&self, line: &ChatLine) -> Vec<u8> {
        let room = self.state.room.get_untracked().unwrap_or_default();
        signed_bytes(&room, line)
    }

    /// `peer` joined the room after us: once its `hello` says it takes them, it gets the
    /// room's recent lines.
    pub fn newcomer(&self, peer: &str) {
        self.newcomers.borrow_mut().insert(peer, ());
    }

    /// Whether we hold a line to pass on to a newcomer.
    pub fn has_past(&self) -> bool {
        self.state
            .conversations
            .with_untracked(|all| all.get(Talk::Room).is_some_and(|r| r.has_past()))
    }

    /// `peer`'s `hello` arrived: if its app takes them, it hears our `key` (over this, our
    /// own link) and, if it is new in the room, the lines we hold, oldest first.
    pub fn greet_with_past(&self, peer: &str, key: Option<String>, out: &dyn PeerOutlet) {
        if !out.app(peer).hears(|features| features.room_history) {
            return;
        }
        // A new connection: what it may pass on to us is counted afresh.
        self.past_taken.borrow_mut().remove(peer);
        if let Some(key) = key {
            out.send(peer, &PeerMessage::RoomKey { key });
        }
        if self.newcomers.borrow_mut().remove(peer).is_none() {
            return;
        }
        let edits = out.app(peer).hears(|features| features.edits);
        let past = self.state.conversations.with_untracked(|all| {
            all.get(Talk::Room).map(|room| room.past(edits)).unwrap_or_default()
        });
        for (line, sig) in past {
            out.send(peer, &PeerMessage::RoomPast { line, sig, by: None });
        }
    }

    /// The key `peer` gave over its own link: the lines of theirs others passed on are
    /// checked with it.
    pub(super) fn heard_key(&self, peer: &str, key: String) {
        self.keys.borrow_mut().insert(peer, key.clone());
        let relayed = self.state.conversations.with_untracked(|all| {
            all.get(Talk::Room).map(|room| room.unverified_of(peer)).unwrap_or_default()
        });
        for (line, sig, relayer) in relayed {
            self.check(relayer, line, sig, key.clone());
        }
    }

    /// A line `peer` passed on: kept as relayed, and checked if its author's key is known.
    /// At most [`MAX_PAST_LINES`] per connection: a member cannot flood the room's history.
    pub(super) fn heard_past(&self, peer: &str, line: ChatLine, sig: String) {
        let taken = {
            let mut all = self.past_taken.borrow_mut();
            let taken = all.get_or_default(peer);
            *taken += 1;
            *taken
        };
        if taken > MAX_PAST_LINES {
            return;
        }
        let key = self.keys.borrow().get(&line.name).cloned();
        let (copy, with_key) = ((line.clone(), sig.clone()), key.is_some());
        let check = self.update(Talk::Room, |room| room.receive_past(peer, line, sig, with_key));
        if let (true, Some(key)) = (check, key) {
            self.check(peer.to_owned(), copy.0, copy.1, key);
        }
    }

    /// Checks `relayer`'s copy of `line` against its author's `key` (by WebCrypto), for
    /// [`Event::PastChecked`].
    fn check(&self, relayer: String, line: ChatLine, sig: String, key: String) {
        let bytes = self.signed_bytes(&line);
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let good = line_key::verify(&key, &sig, &bytes).await;
            dispatch.send(Event::PastChecked { relayer, line, sig, good });
        });
    }

    /// A relayed copy of `line` was checked.
    pub fn past_checked(&self, relayer: &str, line: ChatLine, sig: String, good: bool) {
        self.update_room(|room| room.past_checked(relayer, line, sig, good));
    }

    /// The connection to `peer` is gone: whoever comes back under the name gives its key
    /// anew.
    pub fn peer_gone(&self, peer: &str) {
        self.keys.borrow_mut().remove(peer);
    }
}
