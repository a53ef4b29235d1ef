//! Who is in the room: the list the server keeps us up to date with, where someone who
//! leaves stays listed a few seconds in case it comes straight back.

use super::Signaling;
use crate::client::events::Event;
use leptos::prelude::*;
use natter_protocol::User;
use std::time::Duration;

/// How long someone who left stays listed, in case it comes straight back.
const LEAVE_GRACE: Duration = Duration::from_secs(4);

impl Signaling {
    /// `user` is in the room. Someone back under a name takes its place in the list (a
    /// reload, most often); returns the name if it is new to the list.
    pub(super) fn listed(&self, user: User) -> Option<String> {
        let name = user.user_name.clone();
        let mut joined = false;
        self.state.users.update(|users| {
            match users.iter_mut().find(|known| known.user_name == name) {
                Some(known) => *known = user,
                None => {
                    users.push(user);
                    joined = true;
                }
            }
        });
        joined.then_some(name)
    }

    /// `user` left. A page that reloads leaves and comes back within a second or two: it
    /// stays listed meanwhile, instead of vanishing and coming back, but shown gone.
    pub(super) fn unlisted(&self, user: User) {
        let id = user.id.clone();
        self.state.gone.update(|gone| gone.push(user));
        self.dispatch.later(Event::LeftDue { id }, LEAVE_GRACE);
    }

    /// The user `id` left a while ago: gone from the list unless it came back since (under
    /// another id); returns its name if gone.
    pub fn left_due(&self, id: &str) -> Option<String> {
        self.state.gone.update(|gone| gone.retain(|login| login.id != id));
        let name = self.state.users.with_untracked(|users| {
            users.iter().find(|user| user.id == id).map(|user| user.user_name.clone())
        })?;
        self.state.users.update(|users| users.retain(|user| user.id != id));
        Some(name)
    }
}
