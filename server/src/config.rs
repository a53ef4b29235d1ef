//! Command-line and environment configuration of the server.

use crate::forwarded::Network;
use clap::Parser;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// natter's signaling server: WebSocket signaling at `/ws` (and `/`), the built app as
/// static files, `/healthz`, and a STUN server on UDP. Every flag can also be set with the
/// environment variable shown.
#[derive(Debug, Clone, Parser)]
#[command(name = "natter-server", version, about, long_about = None)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "NATTER_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// TCP port to listen on.
    #[arg(long, env = "NATTER_PORT", default_value_t = 9000)]
    pub port: u16,

    /// UDP port of the built-in STUN server, on the --bind address (0 picks a free one)
    /// [default: the same number as --port].
    #[arg(long, env = "NATTER_STUN_PORT")]
    pub stun_port: Option<u16>,

    /// Run without the built-in STUN server (ignores --stun-port).
    #[arg(long, env = "NATTER_NO_STUN")]
    pub no_stun: bool,

    /// Directory of the built app (served with an SPA fallback to index.html).
    #[arg(long, env = "NATTER_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Comma-separated addresses or networks (127.0.0.1, 10.0.0.0/8) of reverse proxies in
    /// front of the server: only from them is X-Forwarded-For believed, for the per-address
    /// limits and the logs. Empty: the client is whoever connects.
    #[arg(long, env = "NATTER_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<Network>,

    /// Comma-separated Origins allowed to open a WebSocket; empty allows any.
    #[arg(long, env = "NATTER_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Comma-separated STUN URLs handed to clients instead of the built-in STUN server
    /// (e.g. stun:stun.example.org).
    #[arg(long, env = "NATTER_STUN_URLS", value_delimiter = ',')]
    pub stun_urls: Vec<String>,

    /// Comma-separated TURN URLs handed to clients at login (e.g. turn:turn.example.org).
    #[arg(long, env = "NATTER_TURN_URLS", value_delimiter = ',')]
    pub turn_urls: Vec<String>,

    /// TURN shared secret (coturn `static-auth-secret`): clients get time-limited credentials.
    #[arg(long, env = "NATTER_TURN_SECRET", hide_env_values = true)]
    pub turn_secret: Option<String>,

    /// Lifetime of TURN credentials, in seconds (told to clients as iceTtl; they ask for
    /// fresh ones with an iceServers message).
    #[arg(long, env = "NATTER_TURN_TTL", default_value_t = 86_400)]
    pub turn_ttl: u64,

    /// Largest accepted WebSocket message, in bytes; larger ones close the socket (1009).
    #[arg(long, env = "NATTER_MAX_FRAME_BYTES", default_value_t = 65_536)]
    pub max_frame_bytes: usize,

    /// Most open WebSockets in total; further upgrades get HTTP 503.
    #[arg(long, env = "NATTER_MAX_CONNECTIONS", default_value_t = 20_000)]
    pub max_connections: usize,

    /// Most open WebSockets from one IP address; further upgrades get HTTP 429.
    #[arg(long, env = "NATTER_MAX_CONNECTIONS_PER_IP", default_value_t = 64)]
    pub max_connections_per_ip: usize,

    /// Messages a socket may send in a burst before it is rate limited.
    #[arg(long, env = "NATTER_RATE_BURST", default_value_t = 50)]
    pub rate_burst: u32,

    /// Sustained messages per second a socket may send.
    #[arg(long, env = "NATTER_RATE_PER_SEC", default_value_t = 20)]
    pub rate_per_sec: u32,

    /// Rate-limited messages after which the socket is closed (1008).
    #[arg(long, env = "NATTER_FLOOD_CLOSE_AFTER", default_value_t = 100)]
    pub flood_close_after: u32,

    /// Outgoing bytes queued per socket; a reader that falls further behind is dropped.
    #[arg(long, env = "NATTER_SEND_QUEUE_BYTES", default_value_t = 1024 * 1024)]
    pub send_queue_bytes: usize,

    /// Seconds between WebSocket pings; a socket silent for two intervals is dropped.
    #[arg(long, env = "NATTER_HEARTBEAT_SECS", default_value_t = 20)]
    pub heartbeat_secs: u64,

    /// Redis shared by several instances behind one address (redis://host:6379/0; an ACL
    /// user: redis://user:password@host; TLS: rediss://host:6380): names, user lists and
    /// relays span all of them. Without it the server stands alone.
    #[arg(long, env = "NATTER_REDIS_URL", hide_env_values = true, value_parser = redis_url)]
    pub redis_url: Option<String>,

    /// For a rediss:// URL: the certificate authority (PEM) that signed Redis's
    /// certificate, when the system does not trust it.
    #[arg(long, env = "NATTER_REDIS_CA_FILE", requires = "redis_url")]
    pub redis_ca_file: Option<PathBuf>,

    /// Threads serving connections, each with the sockets handed to it [default: one per
    /// core but one, which accepts them and keeps the cluster link].
    #[arg(long, env = "NATTER_THREADS")]
    pub threads: Option<usize>,

    /// Most bytes one WebSocket read takes (a buffer per thread: a socket keeps only what
    /// it has of a message not yet whole, and idle sockets nothing).
    #[arg(long, env = "NATTER_WS_READ_BUFFER", default_value_t = 16_384)]
    pub ws_read_buffer: usize,
}

/// Checks a `--redis-url` as the Redis client will read it.
fn redis_url(url: &str) -> Result<String, String> {
    match redis::Client::open(url) {
        Ok(_) => Ok(url.to_owned()),
        Err(_) => {
            Err("expected redis[s]://[[user]:password@]host[:port][/database] (rediss: over TLS)"
                .to_owned())
        }
    }
}

impl Config {
    /// The WebSocket ping interval.
    pub fn heartbeat(&self) -> Duration {
        Duration::from_secs(self.heartbeat_secs.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::Config;
    use clap::CommandFactory;

    /// The README's table of flags stays complete: each flag with its environment variable.
    #[test]
    fn the_readme_lists_every_flag() {
        let readme = include_str!("../../README.md");
        let rows: Vec<&str> = readme.lines().filter(|line| line.starts_with("| `--")).collect();
        let command = Config::command();
        let flags: Vec<_> = command.get_arguments().filter_map(|arg| arg.get_long()).collect();
        for arg in command.get_arguments() {
            let (Some(long), Some(env)) = (arg.get_long(), arg.get_env()) else { continue };
            let env = env.to_string_lossy();
            let row = format!("| `--{long}` | `{env}` |");
            assert!(rows.iter().any(|r| r.starts_with(&row)), "README lacks the row {row}");
        }
        assert_eq!(rows.len(), flags.iter().filter(|f| **f != "help" && **f != "version").count());
    }
}
