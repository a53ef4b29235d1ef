//! Whose each conversation is, what storage must keep of it, and the small signs of life
//! around it: read receipts and typing.

use super::Messaging;
use crate::client::events::Event;
use crate::client::outlet::PeerOutlet;
use crate::i18n::{tf, K};
use crate::web::attention;
use crate::web::clock::{now_ms, now_rfc3339};
use leptos::prelude::*;
use natter_model::conversation::Conversation;
use natter_model::identity::Recognition;
use natter_model::kept::{identity_of, unidentified_key, Loaded, Saved};
use natter_model::per_peer::PerPeer;
use natter_model::talk::Talk;
use natter_protocol::PeerMessage;
use std::time::Duration;

/// How long a peer shows as typing after its last notice.
pub const TYPING_SHOWN_MS: f64 = 5_000.0;
/// Shortest time between two typing notices to one peer.
const TYPING_EVERY_MS: f64 = 3_000.0;
/// Most text kept on this device for one room, all conversations together (bytes).
const ROOM_BUDGET_BYTES: usize = 50 << 20;

impl Messaging {
    /// `peer`'s connection announced `fingerprint`. A new identity under a known name gets
    /// a conversation of its own, saying so: what was written for the name's earlier owner
    /// stays with that identity and is never sent to this one. Returns what it is, and the
    /// store key to clear when an unidentified conversation found its owner.
    pub fn identify(&self, peer: &str, fingerprint: &str) -> (Recognition, Option<String>) {
        let known = self.state.conversations.with_untracked(|all| {
            all.with(peer).map(|c| (c.identity.clone(), c.messages().is_empty()))
        });
        let (identity, empty) = known.unwrap_or((None, true));
        let recognition = Recognition::of(fingerprint, identity.as_deref());
        let mut unidentified = None;
        let talk = Talk::With(peer);
        self.update(talk, |conversation| match recognition {
            Recognition::Same => {}
            Recognition::First => {
                conversation.identity = Some(fingerprint.to_owned());
                if !empty {
                    // Kept so far under the name: it moves to the identity's key.
                    conversation.touch_all();
                    unidentified = Some(unidentified_key(talk));
                }
            }
            Recognition::Changed => {
                let mut fresh = Conversation::of(Some(fingerprint.to_owned()));
                let note = tf(K::SafetyCodeChangedNote, &[("peer", peer)]);
                fresh.note(note, now_rfc3339());
                *conversation = fresh;
            }
        });
        (recognition, unidentified)
    }

    /// Conversations read back from the store, for whom they were last held. One that
    /// began here before the first reading goes on after the stored one, if with the same
    /// identity (with another, the stored one is someone else's and stays apart); at a
    /// later reading, what is shown holds what was stored.
    pub fn restore(&self, loaded: Vec<Loaded>) {
        let first = !self.restored.replace(true);
        self.state.conversations.update(|all| {
            for Loaded { talk, key, mut conversation } in loaded {
                conversation.identity = identity_of(key);
                let begun = all.get_mut(talk.as_deref()).filter(|c| !c.messages().is_empty());
                let Some(begun) = begun else {
                    all.insert(talk, conversation);
                    continue;
                };
                if !first {
                    continue;
                }
                let same =
                    |a: &Option<String>, b: &Option<String>| a.is_none() || b.is_none() || a == b;
                if same(&begun.identity, &conversation.identity) {
                    *begun = std::mem::take(begun).after_stored(conversation);
                }
            }
        });
    }

    /// The peers with a conversation, for reconnecting to them.
    pub fn peers(&self) -> Vec<String> {
        let people = |all: &natter_model::talk::Conversations| {
            all.people().map(|(name, _)| name.to_owned()).collect()
        };
        self.state.conversations.with_untracked(people)
    }

    /// What changed in every conversation since the last call, for the store; text over
    /// the room's budget lets the oldest messages go first.
    pub fn take_dirty(&self) -> Vec<Saved> {
        let mut all = self.state.conversations.write_untracked();
        let total: usize = all.values().map(Conversation::text_bytes).sum();
        if total > ROOM_BUDGET_BYTES {
            let over = total - ROOM_BUDGET_BYTES;
            // The largest gives up the most: its oldest messages are the oldest kept.
            let each = all.iter_mut().map(|(_, conversation)| conversation);
            if let Some(largest) = each.max_by_key(|c| c.text_bytes()) {
                let keep = largest.text_bytes().saturating_sub(over);
                largest.shed(keep);
            }
        }
        let mut saved = Vec::new();
        for (talk, conversation) in all.iter_mut() {
            let changes = conversation.take_changes();
            if changes.is_empty() {
                continue;
            }
            let messages =
                changes.saved.iter().filter_map(|&seq| conversation.by_seq(seq).cloned()).collect();
            let key = conversation.identity.clone();
            let key = key.unwrap_or_else(|| unidentified_key(talk.as_deref()));
            saved.push(Saved {
                talk: talk.clone(),
                key,
                messages,
                removed: changes.removed,
                unread: conversation.unread(),
                trimmed: conversation.trimmed(),
            });
        }
        drop(all);
        if !saved.is_empty() {
            // Unread counts and marks changed without a redraw of their own.
            self.state.conversations.notify();
        }
        saved
    }

    /// Forgets the conversation with `peer` here; returns its store key.
    pub fn clear(&self, peer: &str) -> Option<String> {
        let talk = Talk::With(peer);
        let mut all = self.state.conversations.write();
        let conversation = all.get_mut(talk)?;
        let key = conversation.identity.clone().unwrap_or_else(|| unidentified_key(talk));
        *conversation = Conversation::of(conversation.identity.take());
        Some(key)
    }

    /// The person opens the conversation `talk`: seen now, with the unread divider above
    /// what was unread.
    pub fn opened(&self, talk: Talk<&str>, out: &dyn PeerOutlet) {
        self.update(talk, Conversation::open);
        self.seen(talk, out);
    }

    /// The conversation `talk` is on screen: its unread count goes, and a person hears
    /// which of their messages we saw, if they read receipts (the room's lines get none).
    pub fn seen(&self, talk: Talk<&str>, out: &dyn PeerOutlet) {
        if !attention::visible() {
            return;
        }
        let peer = talk.person();
        let receipts = peer.is_some_and(|peer| out.app(peer).hears(|features| features.read));
        let read = self.update(talk, |conversation| conversation.mark_read(receipts));
        if let (Some(id), Some(peer)) = (read, peer) {
            out.send(peer, &PeerMessage::Read { id });
        }
    }

    /// We type to `peer`: it hears so, at most every few seconds.
    pub fn typing(&self, peer: &str, out: &dyn PeerOutlet) {
        let now = now_ms();
        let due =
            self.typing_told.borrow().get(peer).is_none_or(|&told| now - told >= TYPING_EVERY_MS);
        if due
            && out.app(peer).hears(|features| features.typing)
            && out.send(peer, &PeerMessage::Typing)
        {
            self.typing_told.borrow_mut().insert(peer, now);
        }
    }

    /// We type to the room: everyone present whose app shows it hears so, each at most
    /// every few seconds.
    pub fn typing_in_room(&self, present: &[String], out: &dyn PeerOutlet) {
        let now = now_ms();
        let mut told = self.room_typing_told.borrow_mut();
        for peer in present {
            let due = told.get(peer).is_none_or(|&at| now - at >= TYPING_EVERY_MS);
            if due
                && out.app(peer).hears(|features| features.room_typing)
                && out.send(peer, &PeerMessage::RoomTyping)
            {
                told.insert(peer, now);
            }
        }
    }

    /// `peer` is typing (to us, or in the `room`): shown for a few seconds, or until its
    /// line arrives.
    pub(super) fn peer_typing(&self, peer: &str, room: bool) {
        self.typists(room).update(|all| all.insert(peer, now_ms() + TYPING_SHOWN_MS));
        let due = Event::TypingDue { peer: peer.to_owned(), room };
        self.dispatch.later(due, Duration::from_millis(TYPING_SHOWN_MS as u64));
    }

    /// `peer`'s typing notice (to us, or in the `room`) may have run out: no longer shown
    /// if it has.
    pub fn typing_due(&self, peer: &str, room: bool) {
        let typists = self.typists(room);
        let over = typists.with_untracked(|all| all.get(peer).is_some_and(|&u| u <= now_ms()));
        if over {
            self.stopped_typing(peer, room);
        }
    }

    /// `peer` no longer shows typing (to us, or in the `room`).
    pub(super) fn stopped_typing(&self, peer: &str, room: bool) {
        self.typists(room).update(|all| {
            all.remove(peer);
        });
    }

    /// Who is shown typing to us, or in the `room`.
    fn typists(&self, room: bool) -> RwSignal<PerPeer<f64>> {
        if room {
            self.state.room_typing
        } else {
            self.state.typing
        }
    }
}
