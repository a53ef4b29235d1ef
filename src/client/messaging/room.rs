//! The room's own conversation: a line written there goes to each person present over
//! their own chat channel (the mesh), followed per person until each acknowledges it.

use super::Messaging;
use crate::client::outlet::PeerOutlet;
use leptos::prelude::*;
use natter_model::conversation::Conversation;
use natter_model::talk::Talk;
use natter_protocol::PeerMessage;

impl Messaging {
    /// Adds a line from us to the room, for each of `recipients`; `false` if there is
    /// nothing to send.
    pub fn write_room(&self, me: String, text: &str, recipients: Vec<String>) -> bool {
        let Some(line) = super::new_line(me, text) else { return false };
        // The line ends our typing indicator: typing again is news.
        self.room_typing_told.take();
        self.update(Talk::Room, |room| room.write_to_room(line, recipients));
        true
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
}
