//! natter's signaling server: the reference Node.js protocol over WebSocket, hardened, and
//! a STUN server beside it.
//!
//! [`serve`] runs everything on bound [`Sockets`], so tests start real servers on port 0.
//! The STUN codec and the answer rule are public for tests and tools.

mod announce;
mod cluster;
mod config;
mod connection;
mod forwarded;
mod frames;
mod hub;
mod inbox;
mod limits;
mod names;
mod outbox;
mod page_headers;
mod resume;
mod roster;
mod session;
mod static_files;
pub mod stun;
pub mod stun_server;
mod turn;
mod upgrade;
mod workers;

pub use announce::serving_line;
pub use config::Config;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cluster::Cluster;
use hub::Hub;
use limits::{ConnectionCounts, Refusal};
use page_headers::PageHeaders;
use static_files::StaticFiles;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::{mpsc, watch};
use tracing::{info, warn};
use turn::IceServers;
use workers::Workers;

/// How long shutdown waits for open sockets to take their close frame.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Everything the handlers and connections share.
pub(crate) struct Shared {
    config: Config,
    hub: Arc<Hub>,
    /// With `--redis-url`: the other instances.
    cluster: Option<Arc<Cluster>>,
    ice: IceServers,
    counts: ConnectionCounts,
    static_files: StaticFiles,
    page_headers: PageHeaders,
    /// Flips to true when the server stops: open sockets close with 1001.
    shutdown: watch::Receiver<bool>,
    /// Never sent on: shutdown waits until every clone of `Shared` (one per socket) is gone.
    _alive: mpsc::Sender<()>,
}

/// What a server listens on.
#[derive(Debug)]
pub struct Sockets {
    /// HTTP and WebSockets.
    pub http: TcpListener,
    /// STUN Binding requests; `None` runs without the built-in STUN server.
    pub stun: Option<UdpSocket>,
}

impl Sockets {
    /// Binds as `config` says: TCP on `--bind` and `--port`; unless `--no-stun`, UDP on the
    /// same address and `--stun-port`, by default the number the TCP port got.
    pub async fn bind(config: &Config) -> io::Result<Self> {
        let address = SocketAddr::new(config.bind, config.port);
        let http = TcpListener::bind(address).await.map_err(|error| {
            io::Error::new(error.kind(), format!("cannot listen on TCP {address}: {error}"))
        })?;
        if config.no_stun {
            return Ok(Self { http, stun: None });
        }
        let port = config.stun_port.unwrap_or(http.local_addr()?.port());
        let address = SocketAddr::new(config.bind, port);
        let stun = UdpSocket::bind(address).await.map_err(|error| {
            let hint = "choose another with --stun-port, or turn STUN off with --no-stun";
            io::Error::new(
                error.kind(),
                format!("cannot bind UDP {address} for STUN: {error}; {hint}"),
            )
        })?;
        Ok(Self { http, stun: Some(stun) })
    }
}

/// What can be told before serving: with `--redis-url`, a setting that can never work (a
/// wrong password, a certificate not trusted, a user not allowed what natter needs). A
/// Redis that is only away is no error: the server starts and waits for it.
pub async fn preflight(config: &Config) -> io::Result<()> {
    match &config.redis_url {
        Some(url) => {
            cluster::check(url, config.redis_ca_file.as_deref()).await.map_err(io::Error::other)
        }
        None => Ok(()),
    }
}

/// Serves HTTP and WebSockets, and STUN if it has a socket for it, until `shutdown`
/// completes; then closes every open socket (1001) and returns once they are gone.
pub async fn serve(
    config: Config,
    sockets: Sockets,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let (alive, mut all_gone) = mpsc::channel(1);
    let stun_address = sockets.stun.as_ref().map(UdpSocket::local_addr).transpose()?;
    let hub = Arc::<Hub>::default();
    let cluster = match &config.redis_url {
        Some(url) => {
            let ca_file = config.redis_ca_file.as_deref();
            Some(Cluster::new(url, ca_file, hub.clone()).map_err(io::Error::other)?)
        }
        None => None,
    };
    let link = cluster.clone().map(|cluster| tokio::spawn(cluster.run()));
    let stun = sockets.stun.map(|socket| tokio::spawn(stun_server::run(socket, stopped.clone())));
    let app = Arc::new(Shared {
        hub,
        cluster: cluster.clone(),
        ice: IceServers::new(&config, stun_address),
        counts: ConnectionCounts::new(config.max_connections, config.max_connections_per_ip),
        static_files: StaticFiles::new(&config.static_dir),
        page_headers: PageHeaders::new(&config.static_dir),
        shutdown: stopped.clone(),
        _alive: alive,
        config,
    });
    let router = router(app.clone());
    let hub = app.hub.clone();
    let broadcasts = tokio::spawn(async move { hub.flush_broadcasts().await });
    let threads = app.config.threads;
    drop(app);
    let workers = Workers::start(threads, router, sockets.http.local_addr()?, &stopped)?;
    workers.accept(&sockets.http, shutdown).await;
    info!("shutting down");
    let _ = stop.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, all_gone.recv()).await;
    workers.end().await;
    broadcasts.abort();
    if let Some(cluster) = cluster {
        cluster.retire().await;
    }
    if let Some(link) = link {
        link.abort();
    }
    if let Some(stun) = stun {
        // It stopped with the shutdown signal; this only waits for its socket to close.
        let _ = stun.await;
    }
    Ok(())
}

/// Listens for Ctrl-C and SIGTERM from the call on, and completes on either. Called before
/// the port is bound: a signal sent the moment it accepts connections must not meet the
/// default action (the process killed, no graceful shutdown).
#[cfg(unix)]
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let [interrupt, terminate] = [SignalKind::interrupt(), SignalKind::terminate()].map(signal);
    async move {
        let wait = |listener: std::io::Result<tokio::signal::unix::Signal>| async move {
            match listener {
                Ok(mut listener) => {
                    listener.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = wait(interrupt) => {}
            _ = wait(terminate) => {}
        }
    }
}

/// Completes on Ctrl-C.
#[cfg(not(unix))]
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn router(app: Arc<Shared>) -> Router {
    Router::new()
        .route("/ws", get(websocket))
        .route("/", get(root))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(get(static_file))
        .with_state(app)
}

/// `/ws`: WebSocket only.
async fn websocket(
    State(app): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    accept(app, peer, request)
}

/// `/`: a WebSocket, where the reference served it, or else the app's index.html.
async fn root(
    State(app): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    if upgrade::is_websocket(request.headers()) {
        accept(app, peer, request)
    } else {
        static_file(State(app), ConnectInfo(peer), request).await
    }
}

/// A file of the app, with its security headers (HSTS when a trusted proxy says the
/// request came over TLS).
async fn static_file(
    State(app): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let https = forwarded::is_https(&app.config.trusted_proxy, peer.ip(), request.headers());
    let mut response = app.static_files.respond(request).await;
    app.page_headers.apply(response.headers_mut(), https);
    response
}

/// Checks the Origin and the socket limits, then upgrades.
/// `peer` is whoever connected; behind a trusted proxy, the client it speaks for.
fn accept(app: Arc<Shared>, peer: SocketAddr, request: Request) -> Response {
    let client = forwarded::client_ip(&app.config.trusted_proxy, peer.ip(), request.headers());
    // A forwarded client's port is unknown (0 in the logs).
    let peer =
        SocketAddr::new(client, if client == peer.ip().to_canonical() { peer.port() } else { 0 });
    let allowed = &app.config.allowed_origins;
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        if !allowed.is_empty() && !allowed.iter().any(|o| o.as_bytes() == origin.as_bytes()) {
            warn!(%peer, ?origin, "origin refused");
            return (StatusCode::FORBIDDEN, "Origin not allowed\n").into_response();
        }
    }
    let slot = match app.counts.acquire(client) {
        Ok(slot) => slot,
        Err(refusal) => {
            warn!(%peer, ?refusal, "connection refused");
            return match refusal {
                Refusal::ServerFull => (StatusCode::SERVICE_UNAVAILABLE, "Server full\n"),
                Refusal::TooManyFromAddress => {
                    (StatusCode::TOO_MANY_REQUESTS, "Too many connections from your address\n")
                }
            }
            .into_response();
        }
    };
    // The client's own name for this server, so it is sent to our STUN by the same name.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(turn::url_host)
        .map(str::to_owned);
    upgrade::accept(request, move |socket, early| {
        connection::run(socket, early, app, peer, host, slot)
    })
}
