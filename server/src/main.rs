//! natter-server: parse the configuration, set up logging, bind, serve until SIGTERM or
//! Ctrl-C.

use clap::Parser;
use natter_server::{Config, Sockets};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
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
    let sockets = Sockets::bind(&config).await?;
    let stun = sockets.stun.as_ref().map(|s| s.local_addr()).transpose()?;
    match stun {
        Some(stun) => tracing::info!(http = %sockets.http.local_addr()?, %stun, "listening"),
        None => tracing::info!(http = %sockets.http.local_addr()?, "listening, without STUN"),
    }
    natter_server::serve(config, sockets, natter_server::shutdown_signal()).await
}
