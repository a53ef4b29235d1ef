//! Who is logged in where: rooms of uniquely named users and their outgoing queues.
//!
//! Alone, the hub is the whole truth. With `--redis-url` it holds this instance's sockets,
//! and each room also keeps a [`Roster`](crate::roster::Roster) of all its members on every
//! instance, which the cluster link (`crate::cluster`) keeps up to date and from which list
//! changes come (`spanning`). Broadcasts wait a little to share writes (`broadcasts`).

mod broadcasts;
mod room;
mod spanning;

pub use spanning::{Granted, LocalMember};

use crate::names::{RoomName, UserName};
use crate::outbox::Outbox;
use crate::resume::ResumeToken;
use crate::turn::Grant;
use natter_protocol::{ServerMessage, User};
pub use room::Taken;
use room::{KeyHashes, Room, Seat, SharedRoom};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// A room id; `None` is the lobby, where clients without a room meet.
pub type RoomId = Option<String>;

/// A successful login, kept by the connection until it closes.
#[derive(Debug)]
pub struct Membership {
    /// The room joined.
    pub room: RoomId,
    /// The user as others see them (shared with the hub's entry).
    pub user: Arc<User>,
    /// The hashes of the name's keys, as the room indexes them.
    key_hashes: KeyHashes,
    /// The room itself, so a relay takes only the room's lock.
    shared: SharedRoom,
    /// The member's place in the room's order, kept across takeovers.
    seq: u64,
    /// This login's own number: after a takeover the member's entry holds another.
    holder: u64,
}

/// All rooms. The map's lock is taken to join and leave; a relay takes only its room's, so
/// busy rooms do not contend with each other. Lock order: the map, then a room.
#[derive(Debug, Default)]
pub struct Hub {
    state: Mutex<State>,
    /// Hashes name keys for the rooms' indexes, with a random key of this hub's own.
    key_hasher: RandomState,
    /// Wakes [`Hub::flush_broadcasts`] when a room has broadcasts waiting.
    broadcasts_waiting: Notify,
}

#[derive(Debug, Default)]
struct State {
    rooms: HashMap<RoomId, SharedRoom>,
    /// Numbers members' places and logins alike, so none is ever reused.
    next_seq: u64,
    /// Rooms whose members have lazily queued broadcasts.
    dirty: HashSet<RoomId>,
}

/// Where a relay goes.
#[derive(Debug)]
pub enum Delivery {
    /// Queued to this socket of this instance, to be sent with [`Outbox::send_held`].
    Held(Outbox),
    /// The user's socket is on this other instance: the frame is for it to deliver.
    Elsewhere(Arc<str>, Utf8Bytes),
    /// Nobody in the room has the name.
    Nobody,
}

impl Hub {
    /// Logs `name` into `room` unless someone there has a name of the same key, or takes
    /// that someone over if they have exactly this name and `resume` is their token. The
    /// login reply and the others' `updateUsers` are queued under the room's lock, so no
    /// list can miss a join.
    pub fn login(
        &self,
        room: Option<RoomName>,
        name: UserName,
        resume: Option<&str>,
        ice: Grant,
        outbox: &Outbox,
    ) -> Result<Membership, Taken> {
        let token = ResumeToken::fresh();
        let key_hashes = self.key_hashes(&name);
        let (room, spelled) = RoomName::split(room);
        let mut state = self.state.lock().expect("hub lock");
        let holder = state.next_seq;
        let shared = state.rooms.entry(room.clone()).or_insert_with(|| Room::opened(spelled));
        let shared = shared.clone();
        let mut locked = shared.lock().expect("room lock");
        let seq = match locked.take_over(key_hashes, &name, resume, outbox, holder) {
            Some(taken_over) => taken_over?,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let user = Arc::new(User { id, user_name: name.shown });
                let joined = ServerMessage::UpdateUsers { user: User::clone(&user) };
                locked.broadcast(&joined.to_json().into(), holder);
                locked.insert(key_hashes, user, token, outbox, holder);
                self.mark_dirty(&mut state, &room);
                holder
            }
        };
        state.next_seq += 1;
        let Seat { user, seq, holder } = locked.reply(seq, ice, outbox);
        drop(locked);
        drop(state);
        outbox.send_held();
        Ok(Membership { room, user, key_hashes, shared, seq, holder })
    }

    fn key_hashes(&self, name: &UserName) -> KeyHashes {
        let caseless = self.key_hasher.hash_one(&name.keys.caseless);
        let as_typed = name.keys.as_typed.as_ref().map(|key| self.key_hasher.hash_one(key));
        [caseless, as_typed.unwrap_or(caseless)]
    }

    /// Queues `frame` for the user `to` in the sender's room if their socket is here (held
    /// for the sender to send, so that relays read together are written together);
    /// otherwise says where it is.
    pub fn relay(&self, from: &Membership, to: &str, frame: Utf8Bytes) -> Delivery {
        let room = from.shared.lock().expect("room lock");
        if let Some(member) = room.by_name.get(to).and_then(|seq| room.members.get(seq)) {
            member.outbox.push_lazily(frame);
            return Delivery::Held(member.outbox.clone());
        }
        let Some(roster) = &room.roster else { return Delivery::Nobody };
        match (roster.instance_of(to), roster.instance_of(&from.user.user_name)) {
            // Listed on this instance but gone from it: it left, and the roster has yet to hear.
            (Some(theirs), Some(ours)) if theirs == ours => Delivery::Nobody,
            (Some(theirs), _) => Delivery::Elsewhere(theirs.clone(), frame),
            (None, _) => Delivery::Nobody,
        }
    }

    /// Removes a user whose socket closed and tells the rest of the room, unless another
    /// socket took the login over; true if it was removed. With `--redis-url` the room
    /// hears of it from Redis, as the other instances do.
    pub fn leave(&self, membership: &Membership) -> bool {
        let mut state = self.state.lock().expect("hub lock");
        let mut room = membership.shared.lock().expect("room lock");
        // After a takeover the entry is the new socket's: the old one's close leaves it be.
        let held = room.members.get(&membership.seq);
        if held.is_none_or(|member| member.holder != membership.holder) {
            return false;
        }
        room.members.remove(&membership.seq);
        room.by_name.remove(&membership.user.user_name);
        for hash in &membership.key_hashes {
            room.by_key.remove(hash);
        }
        if room.members.is_empty() {
            drop(room);
            state.rooms.remove(&membership.room);
            return true;
        }
        if room.roster.is_some() {
            return true;
        }
        let left =
            ServerMessage::RemoveUser { user: User::clone(&membership.user) }.to_json().into();
        room.broadcast(&left, membership.seq);
        drop(room);
        self.mark_dirty(&mut state, &membership.room);
        true
    }
}
