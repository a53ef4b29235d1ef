//! natter-server: parse the configuration, set up logging, bind, say where to open it,
//! serve until SIGTERM or Ctrl-C.

use clap::Parser;
use natter_server::{Config, Sockets};
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

// Logins and logouts free memory among blocks that live on; glibc's arenas keep those holes
// and grow for a while, mimalloc's pages of one size class do not (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Connections are served by a runtime per core (`workers`): this one only accepts them and
// keeps the cluster link, the broadcasts' timer and STUN.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        // Colours for a person at a terminal, none in a pipe or a file.
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("natter-server: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> std::io::Result<()> {
    natter_server::preflight(&config).await?;
    let shutdown = natter_server::shutdown_signal();
    let sockets = Sockets::bind(&config).await?;
    let http = sockets.http.local_addr()?;
    let stun = sockets.stun.as_ref().map(|s| s.local_addr()).transpose()?;
    match stun {
        Some(stun) => tracing::info!(%http, %stun, "listening"),
        None => tracing::info!(%http, "listening, without STUN"),
    }
    // Bound and listening: connections wait in the backlog from now on. Logs quieter than
    // info (RUST_LOG=warn, as the e2e tests run it) leave the line out too.
    if tracing::enabled!(tracing::Level::INFO) {
        println!("{}", natter_server::serving_line(http));
    }
    natter_server::serve(config, sockets, shutdown).await
}
