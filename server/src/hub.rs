//! Who is logged in where: rooms of uniquely named users and their outgoing queues.
//!
//! Alone, the hub is the whole truth. With `--redis-url` it holds this instance's sockets,
//! and each room also keeps a [`View`] of all its members on every instance, which the
//! cluster link (`crate::cluster`) keeps up to date and from which list changes come.

use crate::names::{RoomName, UserName};
use crate::outbox::Outbox;
use crate::presence::{Changes, Present, View};
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
/// and one by the hashes of the names' keys ([`crate::names`]) for logins. Hashes rather
/// than keys keep a logged-in socket small (about 50 bytes more than without the index):
/// 64-bit SipHash with the hub's random key, so two keys share a hash with odds of 2^-64,
/// and nobody can aim for it.
#[derive(Debug, Default)]
struct Room {
    /// The room's name as it shows (the spelling of whoever opened it); none for the lobby.
    shown: Option<String>,
    members: BTreeMap<u64, Member>,
    by_name: HashMap<String, u64>,
    by_key: HashMap<u64, u64>,
    /// With `--redis-url` only: everyone in the room, on any instance.
    view: Option<Box<View>>,
}

/// A name's key hashes: the second is the first again when the name has one key.
type KeyHashes = [u64; 2];

/// Where a relay goes.
#[derive(Debug)]
pub enum Route {
    /// Queued to a socket of this instance.
    Delivered,
    /// The user's socket is on this other instance: the frame is for it to deliver.
    Elsewhere(Arc<str>, Utf8Bytes),
    /// Nobody in the room has the name.
    Nobody,
}

/// With `--redis-url`: a login Redis granted, which the hub completes when the cluster
/// link hears of it, so that it falls in its place among the room's other changes.
#[derive(Debug)]
pub struct Granted {
    pub room: RoomId,
    /// The room's name as Redis says it shows.
    pub room_shown: Option<String>,
    pub name: UserName,
    pub me: Present,
    /// The room as Redis listed it at the grant, this login included.
    pub listed: Vec<Present>,
    pub token: ResumeToken,
    pub ice: Grant,
    pub outbox: Outbox,
}

/// With `--redis-url`: a member of this instance, where it is.
pub struct LocalMember {
    pub room: RoomId,
    /// The room's name as it shows.
    pub room_shown: Option<String>,
    pub member: Present,
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
    /// A room opened under the name `shown`.
    fn opened(shown: Option<String>) -> SharedRoom {
        Arc::new(Mutex::new(Room { shown, ..Room::default() }))
    }

    /// Queues one frame, serialized once, to every member but `except`, to be written at
    /// the next [`Hub::flush_broadcasts`].
    fn broadcast(&self, frame: &Utf8Bytes, except: u64) {
        for (_, member) in self.members.iter().filter(|(seq, _)| **seq != except) {
            member.outbox.push_lazily(frame.clone());
        }
    }

    /// Tells the local members (but `except`) what changed in the view; true if anything did.
    fn announce(&self, changes: Changes, except: u64) -> bool {
        for user in &changes.left {
            let left = ServerMessage::RemoveUser { user: User::clone(user) };
            self.broadcast(&left.to_json().into(), except);
        }
        for user in &changes.joined {
            let joined = ServerMessage::UpdateUsers { user: User::clone(user) };
            self.broadcast(&joined.to_json().into(), except);
        }
        !(changes.left.is_empty() && changes.joined.is_empty())
    }

    /// The member holding a name that shares a key with `name`, taken over by `outbox` if
    /// it has exactly this name and `resume` is its token; its place in the room.
    fn take_over(
        &mut self,
        key_hashes: KeyHashes,
        name: &UserName,
        resume: Option<&str>,
        outbox: &Outbox,
        holder: u64,
    ) -> Option<Result<u64, Taken>> {
        let seq = *key_hashes.iter().find_map(|hash| self.by_key.get(hash))?;
        let member = self.members.get_mut(&seq).expect("indexed member");
        if member.user.user_name != name.shown {
            return Some(Err(Taken::LookAlike(member.user.user_name.clone())));
        }
        if !resume.is_some_and(|offered| member.token.matches(offered)) {
            return Some(Err(Taken::Exactly));
        }
        // The same user on a new socket: the room sees no change, so no broadcast.
        member.outbox.close_replaced();
        member.outbox = outbox.clone();
        member.holder = holder;
        member.token = ResumeToken::fresh();
        Some(Ok(seq))
    }

    /// Queues the login reply to the member at `seq`: everyone else, oldest first.
    fn reply(&self, seq: u64, ice: Grant, outbox: &Outbox) -> Seat {
        let member = &self.members[&seq];
        let others = match &self.view {
            Some(view) => view.others(&member.user.id),
            None => {
                let others = self.members.iter().filter(|(other, _)| **other != seq);
                others.map(|(_, m)| User::clone(&m.user)).collect()
            }
        };
        let (user, token) = (member.user.clone(), member.token.as_str().to_owned());
        let (id, room) = (user.id.clone(), self.shown.clone());
        let reply = ServerMessage::login_ok(others, id, token, ice.servers, ice.ttl, room);
        outbox.push(reply.to_json().into());
        Seat { user, seq, holder: member.holder }
    }

    fn insert(
        &mut self,
        key_hashes: KeyHashes,
        user: Arc<User>,
        token: ResumeToken,
        outbox: &Outbox,
        holder: u64,
    ) {
        self.by_name.insert(user.user_name.clone(), holder);
        for hash in key_hashes {
            self.by_key.insert(hash, holder);
        }
        let member = Member { user, outbox: outbox.clone(), holder, token };
        self.members.insert(holder, member);
    }
}

/// Who holds a seat in a room, where, and by which login: a [`Membership`] but its room.
struct Seat {
    user: Arc<User>,
    seq: u64,
    holder: u64,
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
        let mut members = shared.lock().expect("room lock");
        let seq = match members.take_over(key_hashes, &name, resume, outbox, holder) {
            Some(taken_over) => taken_over?,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                let user = Arc::new(User { id, user_name: name.shown });
                let joined = ServerMessage::UpdateUsers { user: User::clone(&user) };
                members.broadcast(&joined.to_json().into(), holder);
                members.insert(key_hashes, user, token, outbox, holder);
                self.mark_dirty(&mut state, &room);
                holder
            }
        };
        state.next_seq += 1;
        let Seat { user, seq, holder } = members.reply(seq, ice, outbox);
        drop(members);
        Ok(Membership { room, user, key_hashes, shared, seq, holder })
    }

    fn key_hashes(&self, name: &UserName) -> KeyHashes {
        let caseless = self.key_hasher.hash_one(&name.keys.caseless);
        let as_typed = name.keys.as_typed.as_ref().map(|key| self.key_hasher.hash_one(key));
        [caseless, as_typed.unwrap_or(caseless)]
    }

    /// With `--redis-url`, the part of a login this instance decides alone: a takeover of
    /// its own member by resume token, or a refusal; `None` when nobody here has the name,
    /// which is for Redis to decide.
    pub fn take_over(
        &self,
        room: &RoomId,
        name: &UserName,
        resume: Option<&str>,
        ice: &Grant,
        outbox: &Outbox,
    ) -> Option<Result<Membership, Taken>> {
        let key_hashes = self.key_hashes(name);
        let mut state = self.state.lock().expect("hub lock");
        let holder = state.next_seq;
        let shared = state.rooms.get(room)?.clone();
        let mut members = shared.lock().expect("room lock");
        let seq = match members.take_over(key_hashes, name, resume, outbox, holder)? {
            Ok(seq) => seq,
            Err(taken) => return Some(Err(taken)),
        };
        state.next_seq += 1;
        let Seat { user, seq, holder } = members.reply(seq, ice.clone(), outbox);
        drop(members);
        Some(Ok(Membership { room: room.clone(), user, key_hashes, shared, seq, holder }))
    }

    /// With `--redis-url`: completes a login Redis granted, at its place among the room's
    /// changes (the cluster link calls this when it hears of the login): the reply lists
    /// the room as of then, and the room's local members hear of the newcomer.
    pub fn join_granted(&self, granted: Granted) -> Membership {
        let Granted { room, room_shown, name, me, listed, token, ice, outbox } = granted;
        let key_hashes = self.key_hashes(&name);
        let mut state = self.state.lock().expect("hub lock");
        let holder = state.next_seq;
        state.next_seq += 1;
        let shared = state.rooms.entry(room.clone()).or_insert_with(|| Room::opened(room_shown));
        let shared = shared.clone();
        let mut members = shared.lock().expect("room lock");
        let user = me.user.clone();
        // A room new to this instance starts from Redis's list, which is as of this login.
        let changes = match &mut members.view {
            Some(view) => view.add(me),
            view @ None => {
                *view = Some(Box::new(View::new(listed)));
                Changes::default()
            }
        };
        if members.announce(changes, holder) {
            self.mark_dirty(&mut state, &room);
        }
        members.insert(key_hashes, user, token, &outbox, holder);
        let Seat { user, seq, holder } = members.reply(holder, ice, &outbox);
        drop(members);
        Membership { room, user, key_hashes, shared, seq, holder }
    }

    /// With `--redis-url`: someone logged in on another instance (or this one's login was
    /// abandoned); the room's local members hear of it if they had not yet.
    pub fn joined_elsewhere(&self, room: &RoomId, member: Present) {
        self.change_view(room, |view| view.add(member));
    }

    /// With `--redis-url`: a login `id` under `name` ended, on any instance.
    pub fn left(&self, room: &RoomId, id: &str, name: &str) {
        self.change_view(room, |view| {
            let left = view.remove(id, name).map(|p| p.user);
            Changes { left: left.into_iter().collect(), joined: Vec::new() }
        });
    }

    /// With `--redis-url`: brings the room's view to Redis's list (see [`View::sync`]).
    pub fn sync(&self, room: &RoomId, listed: Vec<Present>, settled: impl Fn(&str) -> bool) {
        self.change_view(room, |view| view.sync(listed, settled));
    }

    /// With `--redis-url`: removes the members of instances that are gone.
    pub fn forget(&self, instances: &[Arc<str>]) {
        for room in self.rooms() {
            self.change_view(&room, |view| {
                let left = instances.iter().flat_map(|i| view.forget(i)).collect();
                Changes { left, joined: Vec::new() }
            });
        }
    }

    fn change_view(&self, room: &RoomId, change: impl FnOnce(&mut View) -> Changes) {
        let mut state = self.state.lock().expect("hub lock");
        let Some(shared) = state.rooms.get(room) else { return };
        let mut members = shared.lock().expect("room lock");
        let Some(view) = &mut members.view else { return };
        let changes = change(view);
        let changed = members.announce(changes, u64::MAX);
        drop(members);
        if changed {
            self.mark_dirty(&mut state, room);
        }
    }

    /// The rooms this instance has members in.
    pub fn rooms(&self) -> Vec<RoomId> {
        self.state.lock().expect("hub lock").rooms.keys().cloned().collect()
    }

    /// With `--redis-url`: this instance's members as its views list them, room by room.
    pub fn local_members(&self) -> Vec<LocalMember> {
        let state = self.state.lock().expect("hub lock");
        let mut found = Vec::new();
        for (room, shared) in &state.rooms {
            let members = shared.lock().expect("room lock");
            let Some(view) = &members.view else { continue };
            for name in members.by_name.keys() {
                if let Some(present) = view.present(name) {
                    let (room, room_shown) = (room.clone(), members.shown.clone());
                    found.push(LocalMember { room, room_shown, member: present.clone() });
                }
            }
        }
        found
    }

    /// With `--redis-url`: the other instances that this one's views list members on.
    pub fn instances_in_views(&self) -> HashSet<Arc<str>> {
        let state = self.state.lock().expect("hub lock");
        let mut found = HashSet::new();
        for shared in state.rooms.values() {
            if let Some(view) = &shared.lock().expect("room lock").view {
                found.extend(view.instances().cloned());
            }
        }
        found
    }

    /// Queues `frame` for the user `to` in the sender's room if their socket is here;
    /// otherwise says where it is.
    pub fn relay(&self, from: &Membership, to: &str, frame: Utf8Bytes) -> Route {
        let room = from.shared.lock().expect("room lock");
        if let Some(member) = room.by_name.get(to).and_then(|seq| room.members.get(seq)) {
            member.outbox.push(frame);
            return Route::Delivered;
        }
        let Some(view) = &room.view else { return Route::Nobody };
        match (view.instance_of(to), view.instance_of(&from.user.user_name)) {
            // Listed on this instance but gone from it: it left, and the view has yet to hear.
            (Some(theirs), Some(ours)) if theirs == ours => Route::Nobody,
            (Some(theirs), _) => Route::Elsewhere(theirs.clone(), frame),
            (None, _) => Route::Nobody,
        }
    }

    /// With `--redis-url`: queues a frame relayed from another instance to `to` in `room`;
    /// false if nobody here has the name (any more).
    pub fn deliver(&self, room: &RoomId, to: &str, frame: Utf8Bytes) -> bool {
        let state = self.state.lock().expect("hub lock");
        let Some(shared) = state.rooms.get(room) else { return false };
        let room = shared.lock().expect("room lock");
        match room.by_name.get(to).and_then(|seq| room.members.get(seq)) {
            Some(member) => {
                member.outbox.push(frame);
                true
            }
            None => false,
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
        if room.view.is_some() {
            return true;
        }
        let left =
            ServerMessage::RemoveUser { user: User::clone(&membership.user) }.to_json().into();
        room.broadcast(&left, membership.seq);
        drop(room);
        self.mark_dirty(&mut state, &membership.room);
        true
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
