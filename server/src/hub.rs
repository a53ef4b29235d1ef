//! Who is logged in where: rooms of uniquely named users and their outgoing queues.

use crate::names::UserName;
use crate::outbox::Outbox;
use crate::resume::ResumeToken;
use crate::turn::Grant;
use natter_protocol::{ServerMessage, User};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
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

/// Why a login was refused: someone in the room has the name.
#[derive(Debug)]
pub enum Taken {
    /// Exactly this name (and the login had no resume token, or not theirs).
    Exactly,
    /// Another name of the same key, shown as this.
    LookAlike(String),
}

/// A successful login, kept by the connection until it closes.
#[derive(Debug)]
pub struct Membership {
    /// The room joined.
    pub room: RoomId,
    /// The user as others see them (shared with the hub's entry).
    pub user: Arc<User>,
    /// The hash of the name's key, as the room indexes it.
    key_hash: u64,
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

type SharedRoom = Arc<Mutex<Room>>;

#[derive(Debug, Default)]
struct State {
    rooms: HashMap<RoomId, SharedRoom>,
    /// Numbers members' places and logins alike, so none is ever reused.
    next_seq: u64,
    /// Rooms whose members have lazily queued broadcasts.
    dirty: HashSet<RoomId>,
}

/// Members in login order (the order the user lists show), an index by name for relays,
/// and one by the hash of the name's key ([`crate::names`]) for logins. Hashes rather than
/// keys keep a logged-in socket small (about 30 bytes more than without the index):
/// 64-bit SipHash with the hub's random key, so two keys share a hash with odds of 2^-64,
/// and nobody can aim for it.
#[derive(Debug, Default)]
struct Room {
    members: BTreeMap<u64, Member>,
    by_name: HashMap<String, u64>,
    by_key: HashMap<u64, u64>,
}

#[derive(Debug)]
struct Member {
    user: Arc<User>,
    /// The socket that holds the login now.
    outbox: Outbox,
    /// Which login that is ([`Membership::holder`]).
    holder: u64,
    /// What a new socket must show to take the login over.
    token: ResumeToken,
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
    /// Logs `name` into `room` unless someone there has a name of the same key, or takes
    /// that someone over if they have exactly this name and `resume` is their token. The
    /// login reply and the others' `updateUsers` are queued under the room's lock, so no
    /// list can miss a join.
    pub fn login(
        &self,
        room: RoomId,
        name: UserName,
        resume: Option<&str>,
        ice: Grant,
        outbox: &Outbox,
    ) -> Result<Membership, Taken> {
        let token = ResumeToken::fresh();
        let key_hash = self.key_hasher.hash_one(&name.key);
        let mut state = self.state.lock().expect("hub lock");
        let holder = state.next_seq;
        let shared = state.rooms.entry(room.clone()).or_default().clone();
        let mut members = shared.lock().expect("room lock");
        let seq = match members.by_key.get(&key_hash) {
            Some(&seq) => {
                let member = members.members.get_mut(&seq).expect("indexed member");
                if member.user.user_name != name.shown {
                    return Err(Taken::LookAlike(member.user.user_name.clone()));
                }
                if !resume.is_some_and(|offered| member.token.matches(offered)) {
                    return Err(Taken::Exactly);
                }
                // The same user on a new socket: the room sees no change, so no broadcast.
                member.outbox.close_replaced();
                member.outbox = outbox.clone();
                member.holder = holder;
                member.token = token;
                seq
            }
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let user_name = name.shown.clone();
                let user = Arc::new(User { id, user_name });
                let joined = ServerMessage::UpdateUsers { user: User::clone(&user) };
                members.broadcast(&joined.to_json().into(), holder);
                members.by_name.insert(name.shown, holder);
                members.by_key.insert(key_hash, holder);
                let member = Member { user, outbox: outbox.clone(), holder, token };
                members.members.insert(holder, member);
                self.mark_dirty(&mut state, &room);
                holder
            }
        };
        state.next_seq += 1;
        let others = members.members.iter().filter(|(other, _)| **other != seq);
        let others = others.map(|(_, m)| User::clone(&m.user)).collect();
        let member = &members.members[&seq];
        let (user, token) = (member.user.clone(), member.token.as_str().to_owned());
        let reply = ServerMessage::login_ok(others, user.id.clone(), token, ice.servers, ice.ttl);
        outbox.push(reply.to_json().into());
        drop(members);
        Ok(Membership { room, user, key_hash, shared, seq, holder })
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

    /// Removes a user whose socket closed and tells the rest of the room, unless another
    /// socket took the login over.
    pub fn leave(&self, membership: &Membership) {
        let mut state = self.state.lock().expect("hub lock");
        let mut room = membership.shared.lock().expect("room lock");
        // After a takeover the entry is the new socket's: the old one's close leaves it be.
        let held = room.members.get(&membership.seq);
        if held.is_none_or(|member| member.holder != membership.holder) {
            return;
        }
        room.members.remove(&membership.seq);
        room.by_name.remove(&membership.user.user_name);
        room.by_key.remove(&membership.key_hash);
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
