//! `latency`: pairs relay offers at a paced total rate; percentiles of send-to-receive time.

use crate::client::{self, Kinds, Target};
use futures_util::{SinkExt, StreamExt};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sender/receiver pairs (each pair in its own natter room).
    #[arg(long, default_value_t = 1000)]
    pairs: usize,
    /// Offers per second, all pairs together.
    #[arg(long, default_value_t = 2000)]
    rate: u32,
    /// Seconds measured.
    #[arg(long, default_value_t = 10)]
    secs: u64,
    /// Seconds of traffic before measuring.
    #[arg(long, default_value_t = 2)]
    warmup_secs: u64,
    /// Size of each offer frame, in bytes (579: a typical browser SDP offer).
    #[arg(long, default_value_t = 579)]
    size: usize,
}

pub async fn run(target: &Target, args: Args) {
    let kinds = Arc::new(Kinds::new());
    let epoch = Instant::now();
    let pairs = client::login_pairs(target, args.pairs, &kinds).await;

    let measure_from = epoch.elapsed() + Duration::from_secs(args.warmup_secs);
    let stop_at = measure_from + Duration::from_secs(args.secs);
    let samples = Arc::new(Mutex::new(Vec::<u64>::new()));
    let period = Duration::from_secs_f64(args.pairs as f64 / f64::from(args.rate.max(1)));
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::new();
    for (i, sender, receiver) in pairs {
        let (mut sink, mut incoming) = sender.split();
        tasks.push(tokio::spawn(async move { while let Some(Ok(_)) = incoming.next().await {} }));
        let (keep_sink, mut offers) = receiver.split();
        let (kinds, samples) = (kinds.clone(), samples.clone());
        tasks.push(tokio::spawn(async move {
            let _keep_sink = keep_sink;
            while let Some(Ok(Message::Text(text))) = offers.next().await {
                let now = epoch.elapsed().as_nanos() as u64;
                match client::offer_stamp(&text) {
                    Some(stamp)
                        if kinds.is_offer(&text) && stamp >= measure_from.as_nanos() as u64 =>
                    {
                        samples.lock().expect("samples").push(now - stamp)
                    }
                    _ => {}
                }
            }
        }));
        let size = args.size;
        // Spread the pairs' send times evenly over one period.
        let first = start + period.mul_f64(i as f64 / args.pairs as f64);
        tasks.push(tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(first, period);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let to = format!("b{i}");
            loop {
                ticks.tick().await;
                let now = epoch.elapsed();
                if now >= stop_at {
                    break;
                }
                let frame = client::offer_frame(&to, now.as_nanos() as u64, size);
                if sink.send(Message::text(frame)).await.is_err() {
                    break;
                }
            }
            // Hold the socket open until the others are done too.
            tokio::time::sleep(Duration::from_secs(1)).await;
        }));
    }
    // The servers' CPU only while the offers measured are relayed: not the logins, not
    // the warm-up.
    tokio::time::sleep(measure_from.saturating_sub(epoch.elapsed())).await;
    let cpu_before = target.cpu_split();
    tokio::time::sleep(stop_at.saturating_sub(epoch.elapsed())).await;
    let cpu = target.cpu_split().zip(cpu_before).map(|(after, before)| after.since(before));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut samples = std::mem::take(&mut *samples.lock().expect("samples"));
    for task in tasks {
        task.abort();
    }
    samples.sort_unstable();
    let expected = u64::from(args.rate) * args.secs;
    let pct = |p: f64| {
        let index = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len().max(1));
        samples.get(index - 1).map_or(f64::NAN, |ns| *ns as f64 / 1e6)
    };
    println!(
        "{} offers measured (about {expected} sent) over {} s, {} pairs at {} offers/s, {}-byte frames",
        samples.len(),
        args.secs,
        args.pairs,
        args.rate,
        args.size
    );
    println!(
        "latency ms: p50 {:.3}  p90 {:.3}  p99 {:.3}  p99.9 {:.3}  max {:.3}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(0.999),
        pct(1.0)
    );
    if let Some(cpu) = cpu {
        let per_offer = |spent: Duration| spent.as_secs_f64() * 1e6 / samples.len().max(1) as f64;
        let total = cpu.user + cpu.system;
        println!(
            "server CPU while relaying {:.2} s ({:.0}% of one core): {:.2} µs per relayed offer ({:.2} user + {:.2} system)",
            total.as_secs_f64(),
            100.0 * total.as_secs_f64() / args.secs as f64,
            per_offer(total),
            per_offer(cpu.user),
            per_offer(cpu.system)
        );
    }
}
