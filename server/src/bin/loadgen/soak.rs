//! `soak`: many users, spread over the given instances, for a long time: offers relayed at
//! a steady rate within rooms while users leave and log in again. Every so often (with the
//! churn paused) every user's list is checked against who is in its room; at the end,
//! every offer that should have arrived is checked to have arrived exactly once. Prints the
//! servers' memory and CPU at each check.

use crate::client::{self, Kinds, Socket, Target};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use natter_protocol::ServerMessage;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Users in all.
    #[arg(long, default_value_t = 2000)]
    users: usize,
    /// Users per room.
    #[arg(long, default_value_t = 10)]
    room_size: usize,
    /// Seconds to run.
    #[arg(long, default_value_t = 600)]
    secs: u64,
    /// Offers per second, all users together.
    #[arg(long, default_value_t = 200)]
    rate: u32,
    /// Users per second who close their socket and log in again a second later.
    #[arg(long, default_value_t = 2)]
    churn: u32,
    /// Seconds between checks of every list.
    #[arg(long, default_value_t = 30)]
    check_every: u64,
}

/// Offers sent to a user this recently after its login may meet a list that has not heard
/// of it yet: they are not counted as due.
const FRESH: Duration = Duration::from_secs(1);

/// What one user's sockets heard, across its logins.
#[derive(Default)]
struct Heard {
    list: BTreeSet<String>,
    /// List changes that made no sense (a join of someone listed, a leave of someone not).
    anomalies: u64,
    /// How many times each offer (by stamp) arrived.
    offers: HashMap<u64, u32>,
    /// Error codes heard, and how often.
    errors: HashMap<String, u64>,
}

struct User {
    name: String,
    room: String,
    url: String,
    heard: Arc<Mutex<Heard>>,
    /// The open socket's sending half; `None` while logged out.
    sink: tokio::sync::Mutex<Option<SplitSink<Socket, Message>>>,
    /// Bumped at each logout: an offer is due only if its login lasted.
    session: AtomicU64,
    online_since: Mutex<Option<Instant>>,
}

impl User {
    async fn log_in(self: &Arc<Self>, kinds: &Arc<Kinds>) {
        let socket = loop {
            let socket = client::connect(&self.url).await;
            match try_log_in(socket, &self.name, &self.room, kinds).await {
                Ok((socket, list)) => {
                    self.heard.lock().expect("heard").list = list;
                    break socket;
                }
                // The previous socket's close is still on its way: try again.
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        let (sink, mut stream) = socket.split();
        *self.sink.lock().await = Some(sink);
        *self.online_since.lock().expect("online") = Some(Instant::now());
        let (heard, kinds) = (self.heard.clone(), kinds.clone());
        tokio::spawn(async move {
            // Pings come too (answered by tungstenite): only the end stops the reading.
            while let Some(Ok(frame)) = stream.next().await {
                if let Message::Text(text) = frame {
                    hear(&heard, &kinds, &text);
                }
            }
        });
    }

    async fn log_out(&self) {
        self.session.fetch_add(1, Ordering::SeqCst);
        *self.online_since.lock().expect("online") = None;
        if let Some(mut sink) = self.sink.lock().await.take() {
            let _ = sink.close().await;
        }
    }

    fn online_for(&self) -> Option<Duration> {
        self.online_since.lock().expect("online").map(|since| since.elapsed())
    }
}

/// Logs in on `socket`; the list of the reply, or the refusal.
async fn try_log_in(
    mut socket: Socket,
    name: &str,
    room: &str,
    kinds: &Kinds,
) -> Result<(Socket, BTreeSet<String>), String> {
    let login = natter_protocol::ClientMessage::Login {
        name: name.to_owned(),
        room: Some(room.to_owned()),
        resume: None,
    };
    socket.send(Message::text(login.to_json())).await.map_err(|e| e.to_string())?;
    while let Some(Ok(frame)) = socket.next().await {
        let Message::Text(text) = frame else { continue };
        if !kinds.is_login(&text) {
            continue;
        }
        return match ServerMessage::parse(&text) {
            Some(ServerMessage::Login { success: true, users, .. }) => {
                Ok((socket, users.unwrap_or_default().into_iter().map(|u| u.user_name).collect()))
            }
            _ => Err(text.to_string()),
        };
    }
    Err("closed".into())
}

fn hear(heard: &Mutex<Heard>, kinds: &Kinds, text: &str) {
    let mut heard = heard.lock().expect("heard");
    if kinds.is_offer(text) {
        if let Some(stamp) = client::offer_stamp(text) {
            *heard.offers.entry(stamp).or_default() += 1;
        }
        return;
    }
    let sensible = match ServerMessage::parse(text) {
        Some(ServerMessage::UpdateUsers { user }) => heard.list.insert(user.user_name),
        Some(ServerMessage::RemoveUser { user }) => heard.list.remove(&user.user_name),
        Some(ServerMessage::Error { code, .. }) => {
            let code = code.map_or("none", |code| code.as_str()).to_owned();
            *heard.errors.entry(code).or_default() += 1;
            true
        }
        _ => true,
    };
    if !sensible {
        heard.anomalies += 1;
    }
}

/// A small xorshift generator: reproducible picks without a dependency.
struct Picker(u64);

impl Picker {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// An offer sent: its stamp, to whom, in which of their sessions.
struct Sent {
    stamp: u64,
    to: usize,
    session: u64,
}

pub async fn run(target: &Target, args: Args) {
    let kinds = Arc::new(Kinds::new());
    let room_size = args.room_size.max(2);
    let users: Vec<Arc<User>> = (0..args.users)
        .map(|i| {
            Arc::new(User {
                name: format!("soak-{i}"),
                room: format!("soak-room-{}", i / room_size),
                url: target.url(i).to_owned(),
                heard: Arc::default(),
                sink: tokio::sync::Mutex::new(None),
                session: AtomicU64::new(0),
                online_since: Mutex::new(None),
            })
        })
        .collect();
    let started = Instant::now();
    futures_util::stream::iter(&users).for_each_concurrent(64, |user| user.log_in(&kinds)).await;
    println!("{} users logged in after {:.1} s", users.len(), started.elapsed().as_secs_f64());

    let paused = Arc::new(AtomicBool::new(false));
    let churning = Arc::new(AtomicU64::new(0));
    let churn = tokio::spawn(churn_users(
        users.clone(),
        kinds.clone(),
        args.churn,
        paused.clone(),
        churning.clone(),
    ));
    let sent = Arc::new(Mutex::new(Vec::<Sent>::new()));
    let relays = tokio::spawn(send_offers(users.clone(), args.rate, room_size, sent.clone()));

    let end = Instant::now() + Duration::from_secs(args.secs);
    let mut mismatches = 0;
    let cpu_start = target.cpu_time();
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_secs(args.check_every).min(end - Instant::now())).await;
        paused.store(true, Ordering::SeqCst);
        while churning.load(Ordering::SeqCst) > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let wrong = check_lists(&users, room_size);
        mismatches += wrong;
        paused.store(false, Ordering::SeqCst);
        let rss = target.rss_bytes().map_or(0.0, |rss| rss as f64 / 1048576.0);
        let each = target.rss_each().into_iter();
        let each: Vec<String> =
            each.map(|(_, rss)| format!("{:.1}", rss.unwrap_or(0) as f64 / 1048576.0)).collect();
        let cpu =
            target.cpu_time().zip(cpu_start).map_or(0.0, |(now, then)| (now - then).as_secs_f64());
        println!(
            "{:>5.0} s: {wrong} wrong lists; servers RSS {rss:.1} MiB ({} MiB), CPU {cpu:.1} s so far",
            started.elapsed().as_secs_f64(),
            each.join(" + ")
        );
    }
    relays.abort();
    churn.abort();
    tokio::time::sleep(Duration::from_secs(1)).await;
    report(&users, &sent.lock().expect("sent"), mismatches);
}

/// Users who log out and in again, `per_sec` a second, unless paused for a check.
async fn churn_users(
    users: Vec<Arc<User>>,
    kinds: Arc<Kinds>,
    per_sec: u32,
    paused: Arc<AtomicBool>,
    churning: Arc<AtomicU64>,
) {
    if per_sec == 0 {
        return;
    }
    let mut picker = Picker(0x2545_f491_4f6c_dd1d);
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(per_sec)));
    loop {
        ticks.tick().await;
        if paused.load(Ordering::SeqCst) {
            continue;
        }
        let user = users[picker.below(users.len())].clone();
        if user.online_for().is_none() {
            continue;
        }
        churning.fetch_add(1, Ordering::SeqCst);
        let (kinds, churning) = (kinds.clone(), churning.clone());
        tokio::spawn(async move {
            user.log_out().await;
            tokio::time::sleep(Duration::from_secs(1)).await;
            user.log_in(&kinds).await;
            churning.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Offers from a random online user to a random other one of its room, `rate` a second.
async fn send_offers(
    users: Vec<Arc<User>>,
    rate: u32,
    room_size: usize,
    sent: Arc<Mutex<Vec<Sent>>>,
) {
    let mut picker = Picker(0x9e37_79b9_7f4a_7c15);
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate.max(1))));
    let mut stamp = 0u64;
    loop {
        ticks.tick().await;
        let from = picker.below(users.len());
        let room_start = from / room_size * room_size;
        let room_end = (room_start + room_size).min(users.len());
        let to = room_start + picker.below(room_end - room_start);
        let (sender, receiver) = (&users[from], &users[to]);
        let fresh = |user: &User| user.online_for().is_none_or(|online| online < FRESH);
        if to == from || fresh(sender) || fresh(receiver) {
            continue;
        }
        stamp += 1;
        let session = receiver.session.load(Ordering::SeqCst);
        let frame = client::offer_frame(&receiver.name, stamp, 300);
        let mut sink = sender.sink.lock().await;
        let Some(sink) = sink.as_mut() else { continue };
        if sink.send(Message::text(frame)).await.is_ok() {
            sent.lock().expect("sent").push(Sent { stamp, to, session });
        }
    }
}

/// Counts the online users whose list is not everyone else online in their room.
fn check_lists(users: &[Arc<User>], room_size: usize) -> usize {
    let mut wrong = 0;
    for (i, user) in users.iter().enumerate() {
        if user.online_for().is_none() {
            continue;
        }
        let room_start = i / room_size * room_size;
        let expected: BTreeSet<String> = users
            [room_start..(room_start + room_size).min(users.len())]
            .iter()
            .filter(|other| other.name != user.name && other.online_for().is_some())
            .map(|other| other.name.clone())
            .collect();
        let list = user.heard.lock().expect("heard").list.clone();
        if list != expected {
            if wrong < 3 {
                let missing: Vec<_> = expected.difference(&list).collect();
                let extra: Vec<_> = list.difference(&expected).collect();
                println!("  {}: missing {missing:?}, extra {extra:?}", user.name);
            }
            wrong += 1;
        }
    }
    wrong
}

fn report(users: &[Arc<User>], sent: &[Sent], mismatches: usize) {
    let (mut due, mut lost, mut twice) = (0, 0, 0);
    for offer in sent {
        let receiver = &users[offer.to];
        let count = receiver.heard.lock().expect("heard").offers.get(&offer.stamp).copied();
        if count.unwrap_or(0) > 1 {
            twice += 1;
        }
        // Due only if the receiver kept that login until the end.
        if receiver.session.load(Ordering::SeqCst) == offer.session {
            due += 1;
            if count.is_none() {
                lost += 1;
            }
        }
    }
    let mut anomalies = 0;
    let mut errors: HashMap<String, u64> = HashMap::new();
    for user in users {
        let heard = user.heard.lock().expect("heard");
        anomalies += heard.anomalies;
        for (code, count) in &heard.errors {
            *errors.entry(code.clone()).or_default() += count;
        }
    }
    println!(
        "{} offers sent, {due} due: {lost} lost, {twice} delivered twice; {mismatches} wrong lists at checks; {anomalies} list changes that made no sense; errors {errors:?}",
        sent.len()
    );
}
