//! Who is logged in where: rooms of uniquely named users and their outgoing queues.

use axum::extract::ws::Utf8Bytes;
use natter_protocol::{IceServer, ServerMessage, User};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Notify};

/// A room id; `None` is the lobby, where clients without a room meet.
pub type RoomId = Option<String>;

/// The sending half of a socket's bounded outgoing queue.
#[derive(Debug, Clone)]
pub struct Outbox {
    tx: mpsc::Sender<Utf8Bytes>,
    overflow: Arc<Notify>,
}

/// The receiving half: queued frames, and a signal that the reader fell too far behind.
#[derive(Debug)]
pub struct Inbox {
    /// Frames to write, in order.
    pub frames: mpsc::Receiver<Utf8Bytes>,
    /// Notified once the queue overflowed: the socket must be dropped.
    pub overflow: Arc<Notify>,
}

/// A queue of at most `capacity` frames.
pub fn queue(capacity: usize) -> (Outbox, Inbox) {
    let (tx, frames) = mpsc::channel(capacity.max(1));
    let overflow = Arc::new(Notify::new());
    (Outbox { tx, overflow: overflow.clone() }, Inbox { frames, overflow })
}

impl Outbox {
    /// Queues a frame without waiting. A full queue means the reader cannot keep up: it is
    /// told to drop the socket rather than let the server's memory grow.
    pub fn push(&self, frame: Utf8Bytes) {
        if let Err(TrySendError::Full(_)) = self.tx.try_send(frame) {
            self.overflow.notify_one();
        }
    }
}

/// A successful login, kept by the connection until it closes.
#[derive(Debug)]
pub struct Membership {
    /// The room joined.
    pub room: RoomId,
    /// The user as others see them.
    pub user: User,
    seq: u64,
}

/// All rooms. One lock: every operation is a few map look-ups and non-blocking queue pushes.
#[derive(Debug, Default)]
pub struct Hub {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    rooms: HashMap<RoomId, Room>,
    next_seq: u64,
}

/// Members in login order (the order the user lists show), and an index by name.
#[derive(Debug, Default)]
struct Room {
    members: BTreeMap<u64, Member>,
    by_name: HashMap<String, u64>,
}

#[derive(Debug)]
struct Member {
    user: User,
    outbox: Outbox,
}

impl Room {
    /// Queues one frame, serialized once, to every member but `except`.
    fn broadcast(&self, frame: &Utf8Bytes, except: u64) {
        for (_, member) in self.members.iter().filter(|(seq, _)| **seq != except) {
            member.outbox.push(frame.clone());
        }
    }
}

impl Hub {
    /// Logs `name` into `room` unless someone there has that name. The login reply and the
    /// others' `updateUsers` are queued under the lock, so no one's list can miss a join.
    pub fn login(
        &self,
        room: RoomId,
        name: &str,
        ice_servers: Vec<IceServer>,
        outbox: &Outbox,
    ) -> Option<Membership> {
        let mut state = self.state.lock().expect("hub lock");
        let seq = state.next_seq;
        let members = state.rooms.entry(room.clone()).or_default();
        if members.by_name.contains_key(name) {
            return None;
        }
        let user = User { id: uuid::Uuid::new_v4().to_string(), user_name: name.to_owned() };
        let others = members.members.values().map(|m| m.user.clone()).collect();
        outbox.push(ServerMessage::login_ok(others, user.id.clone(), ice_servers).to_json().into());
        let joined = ServerMessage::UpdateUsers { user: user.clone() }.to_json().into();
        members.broadcast(&joined, seq);
        members.by_name.insert(name.to_owned(), seq);
        members.members.insert(seq, Member { user: user.clone(), outbox: outbox.clone() });
        state.next_seq += 1;
        Some(Membership { room, user, seq })
    }

    /// Queues `frame` for the user `to` in the sender's room; false if there is no such user.
    pub fn relay(&self, from: &Membership, to: &str, frame: Utf8Bytes) -> bool {
        let state = self.state.lock().expect("hub lock");
        let Some(room) = state.rooms.get(&from.room) else { return false };
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
        let Some(room) = state.rooms.get_mut(&membership.room) else { return };
        if room.members.remove(&membership.seq).is_none() {
            return;
        }
        room.by_name.remove(&membership.user.user_name);
        if room.members.is_empty() {
            state.rooms.remove(&membership.room);
            return;
        }
        let left = ServerMessage::RemoveUser { user: membership.user.clone() }.to_json().into();
        room.broadcast(&left, membership.seq);
    }
}
