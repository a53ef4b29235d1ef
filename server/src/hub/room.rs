//! One room of the hub: its members in login order and their indexes, and what a room does
//! under its lock (broadcast, take over, reply, insert).

use crate::names::UserName;
use crate::outbox::Outbox;
use crate::resume::ResumeToken;
use crate::roster::{Changes, Roster};
use crate::turn::Grant;
use natter_protocol::{ServerMessage, User};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tokio_tungstenite::tungstenite::Utf8Bytes;

pub(super) type SharedRoom = Arc<Mutex<Room>>;

/// Why a login was refused: someone in the room has the name.
#[derive(Debug)]
pub enum Taken {
    /// Exactly this name (and the login had no resume token, or not theirs).
    Exactly,
    /// Another name of the same key, shown as this.
    LookAlike(String),
}

/// Members in login order (the order the user lists show), an index by name for relays,
/// and one by the hashes of the names' keys ([`crate::names`]) for logins. Hashes rather
/// than keys keep a logged-in socket small (about 50 bytes more than without the index):
/// 64-bit SipHash with the hub's random key, so two keys share a hash with odds of 2^-64,
/// and nobody can aim for it.
#[derive(Debug, Default)]
pub(super) struct Room {
    /// The room's name as it shows (the spelling of whoever opened it); none for the lobby.
    pub(super) shown: Option<String>,
    pub(super) members: BTreeMap<u64, Member>,
    pub(super) by_name: HashMap<String, u64>,
    pub(super) by_key: HashMap<u64, u64>,
    /// With `--redis-url` only: everyone in the room, on any instance.
    pub(super) roster: Option<Box<Roster>>,
}

/// A name's key hashes: the second is the first again when the name has one key.
pub(super) type KeyHashes = [u64; 2];

#[derive(Debug)]
pub(super) struct Member {
    pub(super) user: Arc<User>,
    /// The socket that holds the login now.
    pub(super) outbox: Outbox,
    /// Which login that is ([`Membership::holder`]).
    pub(super) holder: u64,
    /// What a new socket must show to take the login over.
    pub(super) token: ResumeToken,
}

impl Room {
    /// A room opened under the name `shown`.
    pub(super) fn opened(shown: Option<String>) -> SharedRoom {
        Arc::new(Mutex::new(Room { shown, ..Room::default() }))
    }

    /// Queues one frame, serialized once, to every member but `except`, to be written at
    /// the next [`Hub::flush_broadcasts`].
    pub(super) fn broadcast(&self, frame: &Utf8Bytes, except: u64) {
        for (_, member) in self.members.iter().filter(|(seq, _)| **seq != except) {
            member.outbox.push_lazily(frame.clone());
        }
    }

    /// Tells the local members (but `except`) what changed in the roster; true if anything did.
    pub(super) fn announce(&self, changes: Changes, except: u64) -> bool {
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
    pub(super) fn take_over(
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

    /// Queues the login reply to the member at `seq` (everyone else, oldest first), for the
    /// caller to send with [`Outbox::send_held`].
    pub(super) fn reply(&self, seq: u64, ice: Grant, outbox: &Outbox) -> Seat {
        let member = &self.members[&seq];
        let others = match &self.roster {
            Some(roster) => roster.others(&member.user.id),
            None => {
                let others = self.members.iter().filter(|(other, _)| **other != seq);
                others.map(|(_, m)| User::clone(&m.user)).collect()
            }
        };
        let (user, token) = (member.user.clone(), member.token.as_str().to_owned());
        let (id, room) = (user.id.clone(), self.shown.clone());
        let reply = ServerMessage::login_ok(others, id, token, ice.servers, ice.ttl, room);
        // Held: the caller sends it once the locks are let go (it may be long).
        outbox.push_lazily(reply.to_json().into());
        Seat { user, seq, holder: member.holder }
    }

    pub(super) fn insert(
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
pub(super) struct Seat {
    pub(super) user: Arc<User>,
    pub(super) seq: u64,
    pub(super) holder: u64,
}
