//! What the first screen lists of the room we are in: kept as it changes (its last line,
//! its unread count), written only when that changed.

use super::History;
use crate::i18n::lang;
use crate::state::LoginState;
use crate::web::clock::now_rfc3339;
use crate::web::visited_rooms;
use leptos::prelude::*;
use natter_model::conversation::Conversation;
use natter_model::people::said;
use natter_model::room_name::RoomName;
use natter_model::visited::Visited;

impl History {
    /// Keeps the room we are logged into among the rooms this device has been in, with the
    /// name a member gave it.
    pub fn keep_visit(&self, named: Option<RoomName>) {
        let LoginState::LoggedIn { name } = self.state.login.get_untracked() else { return };
        if self.forgotten.get() {
            return;
        }
        let room = self.state.room.get_untracked().unwrap_or_default();
        let shown = self.state.room_shown.get_untracked().unwrap_or_else(|| room.clone());
        let (last, at, unread) = self.state.conversations.with_untracked(|all| {
            let newest =
                all.values().filter_map(Conversation::last_said).max_by(|a, b| a.time.cmp(&b.time));
            let unread = all.values().map(Conversation::unread).sum();
            (newest.map(|m| said(m, true, lang())), newest.map(|m| m.time.clone()), unread)
        });
        let mut kept = self.visit.borrow_mut();
        let same_room = kept.as_ref().filter(|v| v.room == room && v.me == name);
        // With nothing said yet, the room dates from when we came in.
        let at = at.or_else(|| same_room.map(|v| v.at.clone())).unwrap_or_else(now_rfc3339);
        let last = last.unwrap_or_default();
        let visit = Visited { room, me: name, shown, at, last, unread, named };
        if kept.as_ref() != Some(&visit) {
            visited_rooms::keep(&visit);
            *kept = Some(visit);
        }
    }
}
