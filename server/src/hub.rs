//! Who is logged in where: rooms of uniquely named users and their outgoing queues.

use crate::outbox::Outbox;
use crate::turn::Grant;
use natter_protocol::{ServerMessage, User};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// How long a broadcast (`updateUsers`, `removeUser`) may wait to share a write with the
/// next ones. During a login wave every member gets one frame per login: written one by one
/// that is a system call per member per login; lingering a little coalesces them.
pub const BROADCAST_LINGER: Duration = Duration::from_millis(50);

/// A room id; `None` is the lobby, where clients without a room meet.
pub type RoomId = Option<String>;

/// A successful login, kept by the connection until it closes.
#[derive(Debug)]
pub struct Membership {
    /// The room joined.
    pub room: RoomId,
    /// The user as others see them (shared with the hub's entry).
    pub user: Arc<User>,
    /// The room itself, so a relay takes only the room's lock.
    shared: SharedRoom,
    seq: u64,
}

/// All rooms. The map's lock is taken to join and leave; a relay takes only its room's, so
/// busy rooms do not contend with each other. Lock order: the map, then a room.
#[derive(Debug, Default)]
pub struct Hub {
    state: Mutex<State>,
    /// Wakes [`Hub::flush_broadcasts`] when a room has broadcasts waiting.
    broadcasts_waiting: Notify,
}

type SharedRoom = Arc<Mutex<Room>>;

#[derive(Debug, Default)]
struct State {
    rooms: HashMap<RoomId, SharedRoom>,
    next_seq: u64,
    /// Rooms whose members have lazily queued broadcasts.
    dirty: HashSet<RoomId>,
}

/// Members in login order (the order the user lists show), and an index by name.
#[derive(Debug, Default)]
struct Room {
    members: BTreeMap<u64, Member>,
    by_name: HashMap<String, u64>,
}

#[derive(Debug)]
struct Member {
    user: Arc<User>,
    outbox: Outbox,
}

impl Room {
    /// Queues one frame, serialized once, to every member but `except`, to be written at
    /// the next [`Hub::flush_broadcasts`].
    fn broadcast(&self, frame: &Utf8Bytes, except: u64) {
        for (_, member) in self.members.iter().filter(|(seq, _)| **seq != except) {
            member.outbox.push_lazily(frame.clone());
        }
    }
}

impl Hub {
    /// Logs `name` into `room` unless someone there has that name. The login reply and the
    /// others' `updateUsers` are queued under the room's lock, so no list can miss a join.
    pub fn login(
        &self,
        room: RoomId,
        name: &str,
        ice: Grant,
        outbox: &Outbox,
    ) -> Option<Membership> {
        let mut state = self.state.lock().expect("hub lock");
        let seq = state.next_seq;
        let shared = state.rooms.entry(room.clone()).or_default().clone();
        let mut members = shared.lock().expect("room lock");
        if members.by_name.contains_key(name) {
            return None;
        }
        let user =
            Arc::new(User { id: uuid::Uuid::new_v4().to_string(), user_name: name.to_owned() });
        let others = members.members.values().map(|m| User::clone(&m.user)).collect();
        let reply = ServerMessage::login_ok(others, user.id.clone(), ice.servers, ice.ttl);
        outbox.push(reply.to_json().into());
        let joined = ServerMessage::UpdateUsers { user: User::clone(&user) }.to_json().into();
        members.broadcast(&joined, seq);
        members.by_name.insert(name.to_owned(), seq);
        members.members.insert(seq, Member { user: user.clone(), outbox: outbox.clone() });
        drop(members);
        state.next_seq += 1;
        self.mark_dirty(&mut state, &room);
        Some(Membership { room, user, shared, seq })
    }

    /// Queues `frame` for the user `to` in the sender's room; false if there is no such user.
    pub fn relay(&self, from: &Membership, to: &str, frame: Utf8Bytes) -> bool {
        let room = from.shared.lock().expect("room lock");
        match room.by_name.get(to).and_then(|seq| room.members.get(seq)) {
            Some(member) => {
                member.outbox.push(frame);
                true
            }
            None => false,
        }
    }

    /// Removes a user whose socket closed and tells the rest of the room.
    pub fn leave(&self, membership: &Membership) {
        let mut state = self.state.lock().expect("hub lock");
        let mut room = membership.shared.lock().expect("room lock");
        if room.members.remove(&membership.seq).is_none() {
            return;
        }
        room.by_name.remove(&membership.user.user_name);
        if room.members.is_empty() {
            drop(room);
            state.rooms.remove(&membership.room);
            return;
        }
        let left =
            ServerMessage::RemoveUser { user: User::clone(&membership.user) }.to_json().into();
        room.broadcast(&left, membership.seq);
        drop(room);
        self.mark_dirty(&mut state, &membership.room);
    }

    fn mark_dirty(&self, state: &mut State, room: &RoomId) {
        if state.dirty.is_empty() {
            self.broadcasts_waiting.notify_one();
        }
        if !state.dirty.contains(room) {
            state.dirty.insert(room.clone());
        }
    }

    /// Runs for the server's life: some [`BROADCAST_LINGER`] after a broadcast, wakes the
    /// members of every room that had one, so each writes all it got meanwhile at once.
    pub async fn flush_broadcasts(&self) {
        loop {
            self.broadcasts_waiting.notified().await;
            tokio::time::sleep(BROADCAST_LINGER).await;
            let mut state = self.state.lock().expect("hub lock");
            for room in std::mem::take(&mut state.dirty) {
                if let Some(shared) = state.rooms.get(&room) {
                    for member in shared.lock().expect("room lock").members.values() {
                        member.outbox.wake();
                    }
                }
            }
        }
    }
}
