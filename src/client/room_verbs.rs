//! The engine's verbs for the room as a whole: naming a private room, and leaving it for a
//! new one.

use super::ChatClient;
use crate::config;
use crate::i18n::lang;
use crate::web::page::{self, page_href, private_room_id};
use crate::web::session_memory;
use natter_model::room_name;

impl ChatClient {
    /// Names this private room `typed`, for everyone in it; `false`, saying why, if it
    /// cannot be named so.
    pub fn name_room(&self, typed: &str) -> bool {
        let (text, Some(me)) = (room_name::check(typed), self.state.me()) else { return false };
        let text = match text {
            Ok(text) => text,
            Err(problem) => {
                self.state.notify(lang().label_problem(problem, true));
                return false;
            }
        };
        // Those not connected yet hear it once their `hello` comes.
        let present = self.room_recipients();
        present.iter().for_each(|peer| self.open_chat(peer));
        self.messaging.name_room(me, text, &present, &self.links);
        self.persist();
        true
    }

    /// Leaves the room for a new private room, logged in there under the same name; this
    /// one stays in "Your rooms".
    pub fn start_private_room(&self) {
        let room = private_room_id();
        let (Some(me), Some(address)) = (self.state.me(), config::with_room(&page_href(), &room))
        else {
            return;
        };
        session_memory::carry(&me, &room);
        page::go(&address);
    }
}
