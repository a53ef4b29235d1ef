//! `logins`: users log in one after another (or in waves); the time until every client has
//! seen every `updateUsers` it should.

use crate::client::{self, Kinds, Target};
use futures_util::{stream, StreamExt};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Users to log in.
    #[arg(long, default_value_t = 5000)]
    count: usize,
    /// Rooms to spread them over (natter's `room`; 0 is the lobby, as the reference has).
    #[arg(long, default_value_t = 0)]
    rooms: usize,
    /// Logins in flight at once (1: one after another).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 120)]
    timeout_secs: u64,
}

pub async fn run(target: &Target, args: Args) {
    let kinds = Arc::new(Kinds::new());
    let rooms = args.rooms.max(1);
    // A room of m users makes m(m-1)/2 updateUsers: each user hears of everyone after it.
    let expected: u64 = (0..rooms)
        .map(|r| ((args.count + rooms - 1 - r) / rooms) as u64)
        .map(|m| m * m.saturating_sub(1) / 2)
        .sum();
    // Sockets are opened first, untimed: this measures logins, not TCP and HTTP handshakes.
    let sockets: Vec<_> = stream::iter(0..args.count)
        .map(|i| client::connect(target.url(i)))
        .buffer_unordered(64)
        .collect()
        .await;
    let seen = Arc::new(AtomicU64::new(0));
    let cpu_before = target.cpu_time();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.timeout_secs);
    let logins = stream::iter(sockets.into_iter().enumerate()).map(|(i, socket)| {
        let kinds = kinds.clone();
        let room = (args.rooms > 0).then(|| format!("room-{}", i % rooms));
        async move { client::log_in(socket, &format!("user-{i}"), room, &kinds).await }
    });
    let mut sockets = logins.buffer_unordered(args.concurrency.max(1));
    let mut readers = Vec::with_capacity(args.count);
    while let Some(mut socket) = sockets.next().await {
        let (kinds, seen) = (kinds.clone(), seen.clone());
        readers.push(tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                if frame.to_text().is_ok_and(|text| kinds.is_update_users(text)) {
                    seen.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
        if Instant::now() > deadline {
            break;
        }
    }
    let logged_in = started.elapsed();
    while seen.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let seen = seen.load(Ordering::Relaxed);
    let place = if args.rooms > 0 { format!("{} rooms", args.rooms) } else { "the lobby".into() };
    let outcome = if seen >= expected { "complete" } else { "INCOMPLETE (timed out)" };
    println!(
        "{} logins in {place}, {} at once: {outcome} in {elapsed:.2} s \
         (logins done at {:.2} s; {seen} of {expected} updateUsers seen)",
        readers.len(),
        args.concurrency,
        logged_in.as_secs_f64()
    );
    if let (Some(before), Some(after)) = (cpu_before, target.cpu_time()) {
        println!("server CPU {:.2} s", after.saturating_sub(before).as_secs_f64());
    }
    for reader in readers {
        reader.abort();
    }
}
