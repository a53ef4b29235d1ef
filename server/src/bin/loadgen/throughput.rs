//! `throughput`: pairs relay offers as fast as the server takes them; offers/s and the
//! server's CPU time per relayed offer.

use crate::client::{self, Kinds, Target};
use futures_util::{SinkExt, StreamExt};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sender/receiver pairs (each pair in its own natter room).
    #[arg(long, default_value_t = 50)]
    pairs: usize,
    /// Offers each sender may have in flight (sent, not yet received).
    #[arg(long, default_value_t = 64)]
    window: u64,
    /// Seconds measured.
    #[arg(long, default_value_t = 10)]
    secs: u64,
    /// Seconds of traffic before measuring.
    #[arg(long, default_value_t = 2)]
    warmup_secs: u64,
    /// Size of each offer frame, in bytes.
    #[arg(long, default_value_t = 579)]
    size: usize,
}

/// One pair's flow control: the sender stays at most `window` ahead of the receiver.
#[derive(Default)]
struct Flow {
    received: AtomicU64,
    progress: Notify,
}

pub async fn run(target: &Target, args: Args) {
    let kinds = Arc::new(Kinds::new());
    let pairs = client::login_pairs(target, args.pairs, &kinds).await;

    let stop = Arc::new(AtomicBool::new(false));
    let mut flows = Vec::new();
    let mut tasks = Vec::new();
    for (i, sender, receiver) in pairs {
        let flow = Arc::new(Flow::default());
        flows.push(flow.clone());
        let (mut sink, mut incoming) = sender.split();
        tasks.push(tokio::spawn(async move { while let Some(Ok(_)) = incoming.next().await {} }));
        let (keep_sink, mut offers) = receiver.split();
        let (kinds, counted) = (kinds.clone(), flow.clone());
        tasks.push(tokio::spawn(async move {
            let _keep_sink = keep_sink;
            while let Some(Ok(Message::Text(text))) = offers.next().await {
                if kinds.is_offer(&text) {
                    counted.received.fetch_add(1, Ordering::Relaxed);
                    counted.progress.notify_one();
                }
            }
        }));
        let frame = Message::text(client::offer_frame(&format!("b{i}"), 0, args.size));
        let (window, stop) = (args.window, stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut sent = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let room = (flow.received.load(Ordering::Relaxed) + window).saturating_sub(sent);
                if room == 0 {
                    flow.progress.notified().await;
                    continue;
                }
                for _ in 0..room {
                    if sink.feed(frame.clone()).await.is_err() {
                        return;
                    }
                }
                sent += room;
                if sink.flush().await.is_err() {
                    return;
                }
            }
        }));
    }
    let total = || flows.iter().map(|f| f.received.load(Ordering::Relaxed)).sum::<u64>();
    tokio::time::sleep(Duration::from_secs(args.warmup_secs)).await;
    let (offers_before, cpu_before, started) = (total(), target.cpu_times(), Instant::now());
    tokio::time::sleep(Duration::from_secs(args.secs)).await;
    let (offers, elapsed) = (total() - offers_before, started.elapsed().as_secs_f64());
    let cpu = target.cpu_times();
    stop.store(true, Ordering::Relaxed);
    println!(
        "{offers} offers relayed in {elapsed:.2} s: {:.0} offers/s ({} pairs, window {}, {}-byte frames)",
        offers as f64 / elapsed,
        args.pairs,
        args.window,
        args.size
    );
    let spent: Vec<(u32, Duration)> = cpu_before
        .into_iter()
        .zip(cpu)
        .filter_map(|((pid, before), (_, after))| Some((pid, after?.saturating_sub(before?))))
        .collect();
    if !spent.is_empty() {
        let total: Duration = spent.iter().map(|(_, spent)| *spent).sum();
        let each: Vec<String> =
            spent.iter().map(|(pid, s)| format!("{pid}: {:.2} s", s.as_secs_f64())).collect();
        println!(
            "server CPU {:.2} s ({:.0}% of one core; {}): {:.2} µs per relayed offer",
            total.as_secs_f64(),
            100.0 * total.as_secs_f64() / elapsed,
            each.join(", "),
            total.as_secs_f64() * 1e6 / offers.max(1) as f64
        );
    }
    for task in tasks {
        task.abort();
    }
}
