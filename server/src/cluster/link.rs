//! The link to Redis: connect, reconcile, apply the event stream in order, keep the lease,
//! reap dead instances, publish relays. Any failure marks the cluster down (logins refused,
//! sockets kept) and the link reconnects with backoff.

use super::wire::{self, Event};
use super::{scripts, Cluster, Outgoing, COMMAND_TIMEOUT};
use crate::hub::LocalMember;
use crate::names::NameKeys;
use crate::roster::Present;
use futures_util::StreamExt;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ErrorKind, Msg, RedisError, RedisResult};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, OwnedMutexGuard};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

/// How long a lease lasts unless renewed: an instance killed outright is reaped by the
/// others after this and at most [`REAP_EVERY`] more.
const LEASE: Duration = Duration::from_secs(5);
const RENEW_EVERY: Duration = Duration::from_secs(1);
/// Reaping runs on every this many renewals.
const REAP_EVERY: u32 = 2;
/// Reaper rounds an instance listed in rosters may go without a lease (nor leaves heard, as
/// when Redis lost it) before its users are dropped from the lists anyway: long enough for
/// a live instance to reconnect after a Redis restart.
const FORGET_AFTER: u32 = 3;
const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// Relays published in one pipeline at most.
const RELAY_BATCH: usize = 256;

type Relays = OwnedMutexGuard<mpsc::Receiver<Outgoing>>;

/// Runs for the server's life.
pub async fn run(cluster: &Arc<Cluster>) {
    let mut backoff = MIN_BACKOFF;
    let mut failures = 0u32;
    loop {
        let mut was_up = false;
        let error = session(cluster, &mut was_up).await;
        cluster.up.store(false, Ordering::Release);
        *cluster.commands.write().expect("connection lock") = None;
        if was_up {
            warn!(%error, "lost Redis: logins are refused until it is back");
            (backoff, failures) = (MIN_BACKOFF, 0);
        } else if failures == 0 {
            warn!(%error, "cannot reach Redis: logins are refused until it is reached");
        } else {
            debug!(%error, "cannot reach Redis");
        }
        failures += 1;
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One connection's life: returns why it ended.
async fn session(cluster: &Arc<Cluster>, was_up: &mut bool) -> RedisError {
    match connected(cluster, was_up).await {
        Ok(()) => lost("the link stopped"),
        Err(error) => error,
    }
}

fn lost(what: &'static str) -> RedisError {
    RedisError::from((ErrorKind::IoError, what))
}

async fn connected(cluster: &Arc<Cluster>, was_up: &mut bool) -> RedisResult<()> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(COMMAND_TIMEOUT)
        .set_response_timeout(COMMAND_TIMEOUT);
    let mut commands = cluster.client.get_multiplexed_async_connection_with_config(&config).await?;
    // Events and relays share one subscription: Redis delivers them in the order they were
    // published, so a client hears of a join before any relay from the newcomer (protocol,
    // section 3.3). Its connection has no response timeout of its own: a Redis that
    // accepts but never answers must not hold the link here.
    let subscribe = async {
        let mut pubsub = cluster.client.get_async_pubsub().await?;
        pubsub.subscribe(wire::EVENTS).await?;
        pubsub.subscribe(wire::relays(&cluster.me)).await?;
        RedisResult::Ok(pubsub)
    };
    let pubsub = tokio::time::timeout(COMMAND_TIMEOUT, subscribe).await;
    let mut messages = pubsub.map_err(|_| lost("subscribing timed out"))??.into_on_message();
    *cluster.commands.write().expect("connection lock") = Some(commands.clone());
    let mut relays = cluster.relay_queue.clone().lock_owned().await;
    // Relays queued before an outage are dropped, never sent late.
    while relays.try_recv().is_ok() {}
    reconcile(cluster, &mut commands).await?;
    cluster.up.store(true, Ordering::Release);
    *was_up = true;
    info!(instance = &*cluster.me, "connected to Redis");
    let mut tasks = JoinSet::new();
    tasks.spawn(keep(cluster.clone(), commands.clone()));
    tasks.spawn(publish(relays, commands.clone()));
    loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(message) => on_message(cluster, &mut commands, message).await?,
                None => return Err(lost("the subscription closed")),
            },
            ended = tasks.join_next() => {
                return ended.map_or(Ok(()), |ended| ended.unwrap_or(Ok(())));
            }
        }
    }
}

/// After (re)connecting, before serving: claims the lease, puts back this instance's
/// logins (Redis may have restarted empty), removes those that ended meanwhile, tells the
/// others, and brings every room's list to what Redis holds.
async fn reconcile(cluster: &Cluster, connection: &mut MultiplexedConnection) -> RedisResult<()> {
    let me = &*cluster.me;
    redis::pipe()
        .cmd("SET")
        .arg(wire::lease(me))
        .arg(1)
        .arg("PX")
        .arg(LEASE.as_millis() as u64)
        .ignore()
        .cmd("SADD")
        .arg(wire::INSTANCES)
        .arg(me)
        .ignore()
        .exec_async(connection)
        .await?;
    let local = cluster.hub.local_members();
    let ours: HashSet<String> = local.iter().map(|local| local.member.user.id.clone()).collect();
    let restores = local.into_iter().map(|local| restore(connection.clone(), me, local));
    let restored: Vec<RedisResult<()>> =
        futures_util::stream::iter(restores).buffer_unordered(64).collect().await;
    restored.into_iter().collect::<RedisResult<()>>()?;
    let owned: HashMap<String, String> =
        redis::cmd("HGETALL").arg(wire::owned(me)).query_async(connection).await?;
    for (id, place) in owned.iter().filter(|(id, _)| !ours.contains(*id)) {
        if let Some((room, keys)) = wire::parse_place(place) {
            cluster.release(&room, id, &keys).await;
        }
    }
    redis::cmd("PUBLISH").arg(wire::EVENTS).arg(wire::settled(me)).exec_async(connection).await?;
    sync_rooms(cluster, connection).await
}

/// Puts back one login of this instance (see [`scripts::RESTORE`]).
async fn restore(
    mut connection: MultiplexedConnection,
    me: &str,
    local: LocalMember,
) -> RedisResult<()> {
    let LocalMember { room, room_shown, member } = local;
    let keys = NameKeys::of(&member.user.user_name);
    let mut restore = scripts::RESTORE.key(wire::room_key(&room));
    let restored: i64 = restore
        .key(wire::owned(me))
        .key(wire::SEQ)
        .arg(&keys.caseless)
        .arg(wire::record(&member))
        .arg(&member.user.id)
        .arg(wire::place(&room, &keys))
        .arg(wire::room_field(&room))
        .arg(wire::EVENTS)
        .arg(member.seq)
        .arg(keys.as_typed.as_deref().unwrap_or_default())
        .arg(room_shown.as_deref().unwrap_or_default())
        .invoke_async(&mut connection)
        .await?;
    if restored == 0 {
        // Only if Redis lost its data and another instance claimed the name meanwhile.
        warn!(
            name = member.user.user_name,
            "after Redis came back, another instance held a name of ours"
        );
    }
    Ok(())
}

/// Brings every local room's roster to Redis's list, removing only users of instances that
/// hold a lease (they have put back all their logins).
async fn sync_rooms(cluster: &Cluster, connection: &mut MultiplexedConnection) -> RedisResult<()> {
    let rooms = cluster.hub.rooms();
    if rooms.is_empty() {
        return Ok(());
    }
    let mut pipe = redis::pipe();
    for room in &rooms {
        pipe.cmd("HVALS").arg(wire::room_key(room));
    }
    let listings: Vec<Vec<String>> = pipe.query_async(connection).await?;
    let intern = |instance: &str| cluster.intern(instance);
    let listings: Vec<Vec<Present>> = listings
        .iter()
        .map(|records| records.iter().filter_map(|r| wire::parse_record(r, &intern)).collect())
        .collect();
    let mut instances = cluster.hub.instances_in_rosters();
    instances.extend(listings.iter().flatten().map(|p| p.instance.clone()));
    let live = live_instances(connection, instances).await?;
    for (room, listed) in rooms.iter().zip(listings) {
        cluster
            .hub
            .sync(room, listed, |instance| *instance == *cluster.me || live.contains(instance));
    }
    Ok(())
}

/// Which of `instances` hold a lease.
async fn live_instances(
    connection: &mut MultiplexedConnection,
    instances: HashSet<Arc<str>>,
) -> RedisResult<HashSet<Arc<str>>> {
    let instances: Vec<Arc<str>> = instances.into_iter().collect();
    let mut pipe = redis::pipe();
    for instance in &instances {
        pipe.exists(wire::lease(instance));
    }
    let alive: Vec<bool> = pipe.query_async(connection).await?;
    Ok(instances.into_iter().zip(alive).filter(|(_, alive)| *alive).map(|(i, _)| i).collect())
}

/// One message from the subscription: a relay for a local socket, or an event.
async fn on_message(
    cluster: &Cluster,
    connection: &mut MultiplexedConnection,
    message: Msg,
) -> RedisResult<()> {
    let Ok(text) = std::str::from_utf8(message.get_payload_bytes()) else { return Ok(()) };
    if message.get_channel_name() != wire::EVENTS {
        // A relay to someone who left meanwhile is dropped, as the classic server drops
        // a relay to a socket that closed.
        for (room, to, frame) in wire::parse_relays(text) {
            cluster.hub.deliver(&room, to, frame.into());
        }
        return Ok(());
    }
    match wire::parse_event(text, &|instance| cluster.intern(instance)) {
        Some(Event::Joined(room, member)) => {
            let member = match member.instance == cluster.me {
                true => match cluster.complete(&room, member).await {
                    Ok(()) => return Ok(()),
                    Err(abandoned) => abandoned,
                },
                false => member,
            };
            cluster.hub.joined_elsewhere(&room, member);
        }
        Some(Event::Left(room, member)) => {
            cluster.hub.left(&room, &member.user.id, &member.user.user_name);
        }
        Some(Event::Settled(instance)) if *instance != *cluster.me => {
            sync_rooms(cluster, connection).await?;
        }
        Some(Event::Settled(_)) => {}
        None => warn!(event = text, "an event from Redis this instance cannot read"),
    }
    Ok(())
}

/// Renews the lease; every few renewals, reaps instances whose lease expired and drops
/// from the lists users of instances gone without a trace.
async fn keep(cluster: Arc<Cluster>, mut connection: MultiplexedConnection) -> RedisResult<()> {
    let mut ticks = tokio::time::interval(RENEW_EVERY);
    let mut round = 0u32;
    let mut leaseless: HashMap<Arc<str>, u32> = HashMap::new();
    loop {
        ticks.tick().await;
        redis::cmd("SET")
            .arg(wire::lease(&cluster.me))
            .arg(1)
            .arg("PX")
            .arg(LEASE.as_millis() as u64)
            .exec_async(&mut connection)
            .await?;
        round += 1;
        if round % REAP_EVERY != 0 {
            continue;
        }
        let instances: Vec<String> =
            redis::cmd("SMEMBERS").arg(wire::INSTANCES).query_async(&mut connection).await?;
        for instance in instances.iter().filter(|i| **i != *cluster.me) {
            reap(&mut connection, instance).await?;
        }
        let mut listed = cluster.hub.instances_in_rosters();
        listed.remove(&cluster.me);
        let live = live_instances(&mut connection, listed.clone()).await?;
        leaseless.retain(|instance, _| listed.contains(instance) && !live.contains(instance));
        for instance in listed.difference(&live) {
            *leaseless.entry(instance.clone()).or_default() += 1;
        }
        let gone: Vec<Arc<str>> = leaseless
            .iter()
            .filter(|(_, rounds)| **rounds >= FORGET_AFTER)
            .map(|(i, _)| i.clone())
            .collect();
        if !gone.is_empty() {
            warn!(instances = gone.len(), "dropping users of instances gone without a trace");
            cluster.hub.forget(&gone);
            leaseless.retain(|instance, _| !gone.contains(instance));
        }
    }
}

/// Reaps `instance` if its lease expired: its users leave, for everyone to hear.
pub async fn reap(connection: &mut MultiplexedConnection, instance: &str) -> RedisResult<()> {
    let gone: i64 = scripts::REAP
        .key(wire::lease(instance))
        .key(wire::owned(instance))
        .key(wire::INSTANCES)
        .arg(instance)
        .arg(wire::EVENTS)
        .arg(wire::ROOM_PREFIX)
        .arg(wire::LOBBY)
        .invoke_async(connection)
        .await?;
    if gone > 0 {
        info!(instance, users = gone, "reaped an instance whose lease expired");
    }
    Ok(())
}

/// Publishes queued relays: those waiting for one instance as one message, the messages
/// for all instances in one pipeline.
async fn publish(mut relays: Relays, mut connection: MultiplexedConnection) -> RedisResult<()> {
    let mut batch = Vec::with_capacity(RELAY_BATCH);
    let mut messages: HashMap<Arc<str>, String> = HashMap::new();
    while relays.recv_many(&mut batch, RELAY_BATCH).await > 0 {
        for (instance, relay) in batch.drain(..) {
            match messages.entry(instance) {
                Entry::Occupied(mut message) => message.get_mut().push_str(&relay),
                Entry::Vacant(message) => {
                    message.insert(relay);
                }
            }
        }
        let mut pipe = redis::pipe();
        for (instance, message) in messages.drain() {
            pipe.publish(wire::relays(&instance), message).ignore();
        }
        pipe.exec_async(&mut connection).await?;
    }
    Ok(())
}
