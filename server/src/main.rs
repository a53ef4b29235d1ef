//! natter-server: parse the configuration, set up logging, serve until SIGTERM or Ctrl-C.

use clap::Parser;
use natter_server::Config;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let listener = TcpListener::bind((config.bind, config.port)).await?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    natter_server::serve(config, listener, natter_server::shutdown_signal()).await
}
