//! With `--redis-url`: the hub's side of the cluster. Logins Redis granted complete here,
//! at their place among a room's changes; rosters follow what other instances report; and
//! relays from other instances are delivered to this one's sockets.

use super::room::{Room, Seat};
use super::{Hub, Membership, RoomId, Taken};
use crate::names::UserName;
use crate::outbox::Outbox;
use crate::resume::ResumeToken;
use crate::roster::{Changes, Present, Roster};
use crate::turn::Grant;
use std::collections::HashSet;
use std::sync::Arc;
use tokio_tungstenite::tungstenite::Utf8Bytes;

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

impl Hub {
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
        let mut locked = shared.lock().expect("room lock");
        let seq = match locked.take_over(key_hashes, name, resume, outbox, holder)? {
            Ok(seq) => seq,
            Err(taken) => return Some(Err(taken)),
        };
        state.next_seq += 1;
        let Seat { user, seq, holder } = locked.reply(seq, ice.clone(), outbox);
        drop(locked);
        drop(state);
        outbox.send_held();
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
        let mut locked = shared.lock().expect("room lock");
        let user = me.user.clone();
        // A room new to this instance starts from Redis's list, which is as of this login.
        let changes = match &mut locked.roster {
            Some(roster) => roster.add(me),
            roster @ None => {
                *roster = Some(Box::new(Roster::new(listed)));
                Changes::default()
            }
        };
        if locked.announce(changes, holder) {
            self.mark_dirty(&mut state, &room);
        }
        locked.insert(key_hashes, user, token, &outbox, holder);
        let Seat { user, seq, holder } = locked.reply(holder, ice, &outbox);
        drop(locked);
        drop(state);
        outbox.send_held();
        Membership { room, user, key_hashes, shared, seq, holder }
    }

    /// With `--redis-url`: someone logged in on another instance (or this one's login was
    /// abandoned); the room's local members hear of it if they had not yet.
    pub fn joined_elsewhere(&self, room: &RoomId, member: Present) {
        self.change_roster(room, |roster| roster.add(member));
    }

    /// With `--redis-url`: a login `id` under `name` ended, on any instance.
    pub fn left(&self, room: &RoomId, id: &str, name: &str) {
        self.change_roster(room, |roster| {
            let left = roster.remove(id, name).map(|p| p.user);
            Changes { left: left.into_iter().collect(), joined: Vec::new() }
        });
    }

    /// With `--redis-url`: brings the room's roster to Redis's list (see [`Roster::sync`]).
    pub fn sync(&self, room: &RoomId, listed: Vec<Present>, settled: impl Fn(&str) -> bool) {
        self.change_roster(room, |roster| roster.sync(listed, settled));
    }

    /// With `--redis-url`: removes the members of instances that are gone.
    pub fn forget(&self, instances: &[Arc<str>]) {
        for room in self.rooms() {
            self.change_roster(&room, |roster| {
                let left = instances.iter().flat_map(|i| roster.forget(i)).collect();
                Changes { left, joined: Vec::new() }
            });
        }
    }

    fn change_roster(&self, room: &RoomId, change: impl FnOnce(&mut Roster) -> Changes) {
        let mut state = self.state.lock().expect("hub lock");
        let Some(shared) = state.rooms.get(room) else { return };
        let mut locked = shared.lock().expect("room lock");
        let Some(roster) = &mut locked.roster else { return };
        let changes = change(roster);
        let changed = locked.announce(changes, u64::MAX);
        drop(locked);
        if changed {
            self.mark_dirty(&mut state, room);
        }
    }

    /// The rooms this instance has members in.
    pub fn rooms(&self) -> Vec<RoomId> {
        self.state.lock().expect("hub lock").rooms.keys().cloned().collect()
    }

    /// With `--redis-url`: this instance's members as its rosters list them, room by room.
    pub fn local_members(&self) -> Vec<LocalMember> {
        let state = self.state.lock().expect("hub lock");
        let mut found = Vec::new();
        for (room, shared) in &state.rooms {
            let locked = shared.lock().expect("room lock");
            let Some(roster) = &locked.roster else { continue };
            for name in locked.by_name.keys() {
                if let Some(present) = roster.present(name) {
                    let (room, room_shown) = (room.clone(), locked.shown.clone());
                    found.push(LocalMember { room, room_shown, member: present.clone() });
                }
            }
        }
        found
    }

    /// With `--redis-url`: the other instances that this one's rosters list members on.
    pub fn instances_in_rosters(&self) -> HashSet<Arc<str>> {
        let state = self.state.lock().expect("hub lock");
        let mut found = HashSet::new();
        for shared in state.rooms.values() {
            if let Some(roster) = &shared.lock().expect("room lock").roster {
                found.extend(roster.instances().cloned());
            }
        }
        found
    }

    /// With `--redis-url`: queues a frame relayed from another instance to `to` in `room`;
    /// false if nobody here has the name (any more).
    pub fn deliver(&self, room: &RoomId, to: &str, frame: Utf8Bytes) -> bool {
        let state = self.state.lock().expect("hub lock");
        let Some(shared) = state.rooms.get(room) else { return false };
        let locked = shared.lock().expect("room lock");
        let Some(member) = locked.by_name.get(to).and_then(|seq| locked.members.get(seq)) else {
            return false;
        };
        // Written after the locks are let go: the write may be a system call.
        let outbox = member.outbox.clone();
        drop(locked);
        drop(state);
        outbox.push(frame);
        true
    }
}
