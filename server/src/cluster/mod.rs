//! `--redis-url`: several instances behind one address share names, lists and relays.
//!
//! Each instance keeps its own sockets in its hub. Redis holds who is in each room (a hash
//! per room, name key → record), claimed atomically by Lua scripts that also publish every
//! join and leave on one channel; each instance applies that stream, in order, to its
//! rooms' rosters and tells its own clients. A relay to a socket on another instance goes
//! through that instance's channel. Instances hold leases; the others reap an instance
//! whose lease expired (killed), and clients hear those users leave.
//!
//! While Redis is away, logins are refused as temporarily unavailable and relays across
//! instances fail with the same code; sockets stay up. On reconnection the instance puts
//! its logins back, drops those that ended meanwhile, and brings its clients' lists to
//! what Redis then holds ([`link`]).

mod contact;
mod link;
mod scripts;
mod wire;

use crate::hub::{Granted, Hub, Membership, RoomId, Taken};
use crate::names::{NameKeys, RoomName, UserName};
use crate::outbox::Outbox;
use crate::resume::ResumeToken;
use crate::roster::Present;
use crate::turn::Grant;
use redis::aio::MultiplexedConnection;
use redis::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tracing::warn;

/// How long one Redis command may take before Redis counts as away.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);

/// Relays queued for publishing at most; beyond, relays across instances are refused.
const RELAY_QUEUE: usize = 65_536;

/// A relay for another instance: its id, and the relay as `wire::relay` writes it.
type Outgoing = (Arc<str>, String);

/// Why a login was refused.
#[derive(Debug)]
pub enum Refused {
    Taken(Taken),
    /// Redis is away, or did not answer in time.
    Unavailable,
}

/// A first contact with Redis at `url` before serving: `Err` for a setting that can never
/// work (see [`contact::first`]).
pub async fn check(url: &str, ca_file: Option<&Path>) -> Result<(), String> {
    contact::first(&contact::client(url, ca_file)?).await
}

/// A room as a claim's reply lists it.
struct Listed {
    members: Vec<Present>,
    room_shown: Option<String>,
}

/// This instance's link to the others.
pub struct Cluster {
    /// This instance's id (a fresh UUID per run).
    me: Arc<str>,
    client: redis::Client,
    hub: Arc<Hub>,
    /// The connection for commands while connected.
    commands: RwLock<Option<MultiplexedConnection>>,
    /// Connected and reconciled: logins and relays across instances are served.
    up: AtomicBool,
    /// Logins Redis granted (or is granting), by user id, until the link hears of them.
    pending: Mutex<HashMap<String, Pending>>,
    /// Relays for other instances, on their way to the publisher.
    relays: mpsc::Sender<Outgoing>,
    /// Their receiving end, which the link's publisher holds while connected.
    relay_queue: Arc<tokio::sync::Mutex<mpsc::Receiver<Outgoing>>>,
    /// One shared copy of each instance id.
    instance_ids: Mutex<HashSet<Arc<str>>>,
}

/// A login between its grant by Redis and its completion by the link.
struct Pending {
    name: UserName,
    ice: Grant,
    outbox: Outbox,
    /// The room as Redis listed it at the grant; it comes with the claim's reply, which may
    /// arrive after the event.
    listed: oneshot::Receiver<Listed>,
    done: oneshot::Sender<Option<Membership>>,
}

impl Cluster {
    /// A cluster member for Redis at `url` (`ca_file`: see [`contact::client`]), not yet
    /// connected ([`Cluster::run`] connects); the error is for the person starting it.
    pub fn new(url: &str, ca_file: Option<&Path>, hub: Arc<Hub>) -> Result<Arc<Self>, String> {
        let client = contact::client(url, ca_file)?;
        let (relays, relay_queue) = mpsc::channel(RELAY_QUEUE);
        Ok(Arc::new(Self {
            me: uuid::Uuid::new_v4().to_string().into(),
            client,
            hub,
            commands: RwLock::new(None),
            up: AtomicBool::new(false),
            pending: Mutex::default(),
            relays,
            relay_queue: Arc::new(tokio::sync::Mutex::new(relay_queue)),
            instance_ids: Mutex::default(),
        }))
    }

    /// Keeps the link to Redis for the server's life: connects, reconnects with backoff.
    pub async fn run(self: Arc<Self>) {
        link::run(&self).await;
    }

    /// Whether logins and relays across instances are served now.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    fn connection(&self) -> Option<MultiplexedConnection> {
        self.commands.read().expect("connection lock").clone()
    }

    /// The shared copy of an instance id.
    fn intern(&self, instance: &str) -> Arc<str> {
        let mut ids = self.instance_ids.lock().expect("instance ids lock");
        match ids.get(instance) {
            Some(id) => id.clone(),
            None => {
                let id: Arc<str> = instance.into();
                ids.insert(id.clone());
                id
            }
        }
    }

    /// Logs in a name nobody on this instance has: Redis decides whether anyone has it
    /// elsewhere; the link completes the login when it hears of it (see [`Granted`]).
    pub async fn login(
        &self,
        room: Option<RoomName>,
        name: UserName,
        ice: Grant,
        outbox: Outbox,
    ) -> Result<Membership, Refused> {
        let Some(mut connection) = self.connection().filter(|_| self.is_up()) else {
            return Err(Refused::Unavailable);
        };
        let (room, spelled) = RoomName::split(room);
        let id = uuid::Uuid::new_v4().to_string();
        let (keys, shown) = (name.keys.clone(), name.shown.clone());
        let (listed_tx, listed) = oneshot::channel();
        let (done, mut done_rx) = oneshot::channel();
        let pending = Pending { name, ice, outbox, listed, done };
        // In the map before the claim: the event may come before the claim's reply.
        self.pending.lock().expect("pending lock").insert(id.clone(), pending);
        let mut claim = scripts::CLAIM.key(wire::room_key(&room));
        let claim = claim
            .key(wire::owned(&self.me))
            .key(wire::SEQ)
            .key(wire::lease(&self.me))
            .arg(&keys.caseless)
            .arg(&*self.me)
            .arg(&id)
            .arg(&shown)
            .arg(wire::room_field(&room))
            .arg(wire::EVENTS)
            .arg(wire::place(&room, &keys))
            .arg(keys.as_typed.as_deref().unwrap_or_default())
            .arg(spelled.as_deref().unwrap_or_default())
            .invoke_async::<Value>(&mut connection);
        let reply = tokio::time::timeout(COMMAND_TIMEOUT, claim).await;
        let refusal = match reply {
            Ok(Ok(reply)) => match self.read_claim(reply, &shown) {
                Ok(members) => {
                    let _ = listed_tx.send(members);
                    None
                }
                Err(refusal) => Some(refusal),
            },
            Ok(Err(error)) => {
                warn!(%error, "claiming a name in Redis");
                Some(Refused::Unavailable)
            }
            Err(_) => Some(Refused::Unavailable),
        };
        if let Some(refusal) = refusal {
            self.pending.lock().expect("pending lock").remove(&id);
            if matches!(refusal, Refused::Unavailable) {
                // The claim may have passed unanswered.
                self.release(&room, &id, &keys).await;
            }
            return Err(refusal);
        }
        let completed = match tokio::time::timeout(COMMAND_TIMEOUT, &mut done_rx).await {
            Ok(done) => done,
            // Unheard of so far: abandon it, unless the link is completing it right now.
            Err(_) => {
                let abandoned = self.pending.lock().expect("pending lock").remove(&id).is_some();
                if abandoned {
                    Ok(None)
                } else {
                    done_rx.await
                }
            }
        };
        match completed {
            Ok(Some(membership)) => Ok(membership),
            _ => {
                self.release(&room, &id, &keys).await;
                Err(Refused::Unavailable)
            }
        }
    }

    /// The claim's reply: the room's members and its name as it shows, or why not.
    fn read_claim(&self, reply: Value, shown: &str) -> Result<Listed, Refused> {
        let Value::Array(reply) = reply else { return Err(Refused::Unavailable) };
        let text = |value: &Value| match value {
            Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
            _ => None,
        };
        match reply.as_slice() {
            [Value::Int(1), Value::Array(values), room] => Ok(Listed {
                members: values
                    .iter()
                    .filter_map(text)
                    .filter_map(|record| wire::parse_record(&record, &|i| self.intern(i)))
                    .collect(),
                room_shown: text(room),
            }),
            [Value::Int(0), Value::BulkString(held)] => {
                let held = String::from_utf8_lossy(held);
                let holder = wire::parse_record(&held, &|i| self.intern(i));
                let holder = holder.map(|p| p.user.user_name.clone()).unwrap_or_default();
                Err(Refused::Taken(if holder == shown {
                    Taken::Exactly
                } else {
                    Taken::LookAlike(holder)
                }))
            }
            _ => Err(Refused::Unavailable),
        }
    }

    /// Ends a login in Redis after its socket closed (the hub has removed it already).
    pub async fn leave(&self, membership: &Membership) {
        let keys = NameKeys::of(&membership.user.user_name);
        self.release(&membership.room, &membership.user.id, &keys).await;
    }

    /// Removes the login `id` from Redis and tells everyone, if Redis still has it; while
    /// Redis is away, the reconciliation after it comes back does it.
    async fn release(&self, room: &RoomId, id: &str, keys: &NameKeys) {
        let Some(mut connection) = self.connection() else { return };
        let mut release = scripts::RELEASE.key(wire::room_key(room));
        let release = release
            .key(wire::owned(&self.me))
            .arg(&keys.caseless)
            .arg(id)
            .arg(wire::room_field(room))
            .arg(wire::EVENTS)
            .arg(keys.as_typed.as_deref().unwrap_or_default())
            .invoke_async::<i64>(&mut connection);
        if let Ok(Err(error)) = tokio::time::timeout(COMMAND_TIMEOUT, release).await {
            warn!(%error, "releasing a name in Redis");
        }
    }

    /// Queues a relay for `to` in `room` on `instance`; false while Redis is away (or the
    /// queue is full), when nothing is sent.
    pub fn relay(&self, instance: &Arc<str>, room: &RoomId, to: &str, frame: &str) -> bool {
        self.is_up()
            && self.relays.try_send((instance.clone(), wire::relay(room, to, frame))).is_ok()
    }

    /// On shutdown, once the sockets are gone: gives up the lease and removes whatever
    /// logins are left, so the others need not wait for the lease to expire.
    pub async fn retire(&self) {
        let Some(mut connection) = self.connection() else { return };
        let retire = async {
            redis::cmd("DEL").arg(wire::lease(&self.me)).exec_async(&mut connection).await?;
            link::reap(&mut connection, &self.me).await
        };
        if let Ok(Err(error)) = tokio::time::timeout(COMMAND_TIMEOUT, retire).await {
            warn!(%error, "retiring from Redis");
        }
    }

    /// Completes a granted login when the link hears of it: the hub adds it at this point
    /// of the room's changes. Gives the member back if its login is not pending here
    /// (abandoned: its release follows).
    async fn complete(&self, room: &RoomId, me: Present) -> Result<(), Present> {
        let Some(pending) = self.pending.lock().expect("pending lock").remove(&me.user.id) else {
            return Err(me);
        };
        let Pending { name, ice, outbox, listed, done } = pending;
        let Ok(Ok(Listed { members: listed, room_shown })) =
            tokio::time::timeout(COMMAND_TIMEOUT, listed).await
        else {
            let _ = done.send(None);
            return Ok(());
        };
        let token = ResumeToken::fresh();
        let room = room.clone();
        let granted = Granted { room, room_shown, name, me, listed, token, ice, outbox };
        let membership = self.hub.join_granted(granted);
        if let Err(Some(membership)) = done.send(Some(membership)) {
            // The socket's task is gone: so is the login.
            if self.hub.leave(&membership) {
                self.leave(&membership).await;
            }
        }
        Ok(())
    }
}
