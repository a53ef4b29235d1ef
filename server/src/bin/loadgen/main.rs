//! Load generator for any server speaking the base signaling protocol (natter's or the
//! classic Node.js one): idle connections and memory, relay latency, relay throughput,
//! login waves, and a soak of hours. Talks to loopback addresses only.

mod client;
mod connections;
mod latency;
mod logins;
mod proc_stats;
mod soak;
mod throughput;

use clap::{Parser, Subcommand};

/// Load generator for a base-protocol signaling server on this machine.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Args {
    /// WebSocket URL of the server (loopback only). Given several times (instances sharing
    /// a Redis), users are spread over them: user i on the (i mod n)-th, and each pair's
    /// sender on the first, its receiver on the second.
    #[arg(long, default_value = "ws://127.0.0.1:9000/ws")]
    url: Vec<String>,

    /// The server's process id: report its memory (VmRSS) and CPU time (utime + stime).
    /// Given several times, figures are their sums (each process is shown too).
    #[arg(long)]
    server_pid: Vec<u32>,

    /// Runtime worker threads (1: a current-thread runtime, leaving a core to the server).
    #[arg(long, default_value_t = 1)]
    threads: usize,

    #[command(subcommand)]
    mode: Mode,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Open N logged-in idle sockets; report server RSS per connection.
    Connections(connections::Args),
    /// P pairs relay offers at a total paced rate; report relay latency percentiles.
    Latency(latency::Args),
    /// Pairs relay offers as fast as the server takes them; report offers/s and CPU/offer.
    Throughput(throughput::Args),
    /// N users log in (lobby or K rooms); report the time until everyone saw everyone.
    Logins(logins::Args),
    /// Users relay and come and go for minutes; check lists and relays, watch memory.
    Soak(soak::Args),
}

fn main() {
    let args = Args::parse();
    if let Err(error) = args.url.iter().try_for_each(|url| client::check_loopback(url)) {
        eprintln!("loadgen: {error}");
        std::process::exit(2);
    }
    let runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.threads)
            .enable_all()
            .build()
    }
    .expect("a tokio runtime");
    let target = client::Target { urls: args.url, server_pids: args.server_pid };
    runtime.block_on(async move {
        match args.mode {
            Mode::Connections(mode) => connections::run(&target, mode).await,
            Mode::Latency(mode) => latency::run(&target, mode).await,
            Mode::Throughput(mode) => throughput::run(&target, mode).await,
            Mode::Logins(mode) => logins::run(&target, mode).await,
            Mode::Soak(mode) => soak::run(&target, mode).await,
        }
    });
}
