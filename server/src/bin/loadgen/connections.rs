//! `connections`: many logged-in idle sockets, and what they cost the server in memory.

use crate::client::{self, Kinds, Target};
use futures_util::{stream, StreamExt};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sockets to open and log in.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Users per room (natter's `room`; 0 puts everyone in the lobby, as the reference does).
    #[arg(long, default_value_t = 10)]
    room_size: usize,
    /// Logins in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds to keep the sockets open after measuring.
    #[arg(long, default_value_t = 0)]
    hold_secs: u64,
}

pub async fn run(target: &Target, args: Args) {
    let kinds = Kinds::new();
    let before = target.rss_bytes();
    let started = Instant::now();
    let logins = stream::iter(0..args.count).map(|i| {
        let room = (args.room_size > 0).then(|| format!("room-{}", i / args.room_size));
        let kinds = &kinds;
        async move { client::login(target.url(i), &format!("idle-{i}"), room, kinds).await }
    });
    let mut sockets = logins.buffer_unordered(args.concurrency.max(1));
    let mut readers = Vec::with_capacity(args.count);
    while let Some(socket) = sockets.next().await {
        // Keep reading, so updateUsers are consumed and server pings answered.
        readers.push(tokio::spawn(async move {
            let mut socket = socket;
            while let Some(Ok(_)) = socket.next().await {}
        }));
    }
    println!("{} sockets logged in after {:.2} s", args.count, started.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_secs(2)).await;
    if let (Some(before), Some(after)) = (before, target.rss_bytes()) {
        let per = after.saturating_sub(before) as f64 / args.count as f64;
        println!(
            "server RSS {:.1} MiB -> {:.1} MiB: {:.0} bytes ({:.2} KiB) per connection",
            before as f64 / 1048576.0,
            after as f64 / 1048576.0,
            per,
            per / 1024.0
        );
        if target.server_pids.len() > 1 {
            let each = target.rss_each().into_iter();
            let each = each
                .map(|(pid, rss)| format!("{pid}: {:.1} MiB", rss.unwrap_or(0) as f64 / 1048576.0));
            println!("(each server now: {})", each.collect::<Vec<_>>().join(", "));
        }
    }
    tokio::time::sleep(Duration::from_secs(args.hold_secs)).await;
    for reader in readers {
        reader.abort();
    }
}
