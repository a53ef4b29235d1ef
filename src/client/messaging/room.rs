//! The room's own conversation: a line written there goes to each person present over
//! their own chat channel (the mesh), followed per person until each acknowledges it; and
//! the name a member gives a private room (docs/protocol.md, 7.6, `roomName`).

use super::{Heard, Messaging};
use crate::client::outlet::PeerOutlet;
use crate::i18n::{tf, K};
use crate::web::clock::{now_ms, now_rfc3339};
use leptos::prelude::*;
use natter_model::conversation::reply::Quote;
use natter_model::conversation::Conversation;
use natter_model::room_name::{is_private, RoomName};
use natter_model::talk::{Conversations, Talk};
use natter_protocol::{ChatLine, PeerMessage};

impl Messaging {
    /// Our line to the room with `text` (answering `reply`), to sign before it is written,
    /// if there is something to send.
    pub fn room_line(&self, me: String, text: &str, reply: Option<Quote>) -> Option<ChatLine> {
        super::new_line(me, text, reply)
    }

    /// Our edit of our room line `id` to `words` (`None`: its deletion), to sign before it
    /// is applied, if it is one.
    pub fn room_edit(&self, id: &str, words: Option<&str>) -> Option<ChatLine> {
        let edit = |all: &Conversations| all.get(Talk::Room)?.edited_line(id, words, now_rfc3339());
        self.state.conversations.with_untracked(edit)
    }

    /// Adds our `line` to the room, with our signature `sig`, for each of `recipients`; an
    /// edit changes our line and goes to everyone it was for and `recipients`.
    pub fn write_room_line(&self, line: ChatLine, sig: Option<String>, recipients: Vec<String>) {
        if line.edited.is_some() {
            return self.update(Talk::Room, |room| room.revise_own(line, sig, Some(recipients)));
        }
        // The line ends our typing indicator: typing again is news.
        self.room_typing_told.take();
        let id = line.id.clone().unwrap_or_default();
        self.update(Talk::Room, |room| {
            room.write_to_room(line, recipients);
            if let Some(sig) = sig {
                room.signed(&id, sig);
            }
        });
    }

    /// A line `peer` wrote to the room, over its own link; its signature is kept to pass on.
    pub(super) fn heard_room_line(&self, peer: &str, line: ChatLine, sig: Option<String>) -> Heard {
        self.receive(Talk::Room, peer, line, sig)
    }

    /// Hands `peer`'s chat channel the room lines waiting for it (and with `resend`
    /// those not acknowledged), once its app said it takes them; an app that never will is
    /// no longer waited for.
    pub fn flush_room(&self, peer: &str, resend: bool, out: &dyn PeerOutlet) {
        let app = out.app(peer);
        if app.never_in_room() {
            self.update_room(|room| room.cannot_reach(peer));
            return;
        }
        if !app.hears(|features| features.room) {
            return;
        }
        let lines = self.state.conversations.with_untracked(|all| {
            all.get(Talk::Room).map(|room| room.to_send_to(peer, resend)).unwrap_or_default()
        });
        let lines = self.edits_for(Talk::Room, peer, lines, out);
        self.hand_over(Talk::Room, peer, lines, PeerMessage::RoomLine, out);
    }

    /// Whether a room line waits for `peer`.
    pub fn room_waits_for(&self, peer: &str) -> bool {
        self.state
            .conversations
            .with_untracked(|all| all.get(Talk::Room).is_some_and(|room| room.waits_for(peer)))
    }

    /// Changes the room's conversation, if there is one.
    pub(super) fn update_room(&self, change: impl FnOnce(&mut Conversation)) {
        if self.state.conversations.with_untracked(|all| all.get(Talk::Room).is_some()) {
            self.update(Talk::Room, change);
        }
    }

    /// We name the room `text` (checked already): shown here at once, and told to each of
    /// `present` whose app takes it (the others hear it after their `hello`).
    pub fn name_room(&self, me: String, text: String, present: &[String], out: &dyn PeerOutlet) {
        self.room_named(RoomName { text, by: me, at: now_ms() as u64 });
        for peer in present {
            self.tell_room_name(peer, out);
        }
    }

    /// Tells `peer` the room's name, if it has one and `peer`'s app takes it: a member who
    /// joins later, or comes back, learns it so.
    pub fn tell_room_name(&self, peer: &str, out: &dyn PeerOutlet) {
        let Some(RoomName { text, by, at }) = self.room_name() else { return };
        if out.app(peer).hears(|features| features.room_name) {
            out.send(peer, &PeerMessage::RoomName { name: text, by, at });
        }
    }

    /// The room's name as this device kept it, before anyone says another.
    pub fn restore_room_name(&self, named: Option<RoomName>) {
        self.state.room_named.set(named.as_ref().map(|named| named.text.clone()));
        *self.room_name.borrow_mut() = named;
    }

    /// The name a member gave the room, who and when, if any.
    pub fn room_name(&self) -> Option<RoomName> {
        self.room_name.borrow().clone()
    }

    /// A name for the room from a peer: taken if it is one, the room is private, and it
    /// wins over ours.
    pub(super) fn heard_room_name(&self, text: String, by: String, at: u64) {
        let private =
            self.state.room.with_untracked(|room| room.as_deref().is_some_and(is_private));
        if let Some(named) = RoomName::from_peer(text, by, at, now_ms() as u64).filter(|_| private)
        {
            self.room_named(named);
        }
    }

    /// `named` becomes the room's name, said in its conversation, if it wins over the one
    /// it has.
    fn room_named(&self, named: RoomName) {
        if !named.wins_over(self.room_name.borrow().as_ref()) {
            return;
        }
        let note = tf(K::RoomNamed, &[("peer", &named.by), ("name", &named.text)]);
        self.update(Talk::Room, |room| room.note(note, now_rfc3339()));
        self.restore_room_name(Some(named));
    }
}
