//! natter's signaling server: the reference Node.js protocol over WebSocket, hardened.
//!
//! [`serve`] runs everything on a bound listener, so tests start real servers on port 0.

mod config;
mod connection;
mod hub;
mod limits;
mod outbox;
mod static_files;
mod turn;
mod upgrade;

pub use config::Config;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use hub::Hub;
use limits::{ConnectionCounts, Refusal};
use static_files::StaticFiles;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tracing::{info, warn};
use turn::IceServers;

/// How long shutdown waits for open sockets to take their close frame.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Everything the handlers and connections share.
pub(crate) struct App {
    config: Config,
    hub: Arc<Hub>,
    ice: IceServers,
    counts: ConnectionCounts,
    static_files: StaticFiles,
    /// Flips to true when the server stops: open sockets close with 1001.
    shutdown: watch::Receiver<bool>,
    /// Never sent on: shutdown waits until every clone of `App` (one per socket) is gone.
    _alive: mpsc::Sender<()>,
}

/// Serves HTTP and WebSockets on `listener` until `shutdown` completes, then closes every
/// open socket (1001) and returns once they are gone.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let (alive, mut all_gone) = mpsc::channel(1);
    let app = Arc::new(App {
        hub: Arc::default(),
        ice: IceServers::new(&config),
        counts: ConnectionCounts::new(config.max_connections, config.max_connections_per_ip),
        static_files: StaticFiles::new(&config.static_dir),
        shutdown: stopped,
        _alive: alive,
        config,
    });
    let router = router(app.clone());
    let hub = app.hub.clone();
    let broadcasts = tokio::spawn(async move { hub.flush_broadcasts().await });
    drop(app);
    let signal = async move {
        shutdown.await;
        info!("shutting down");
        let _ = stop.send(true);
    };
    // Signaling frames are small and latency-bound: no Nagle delay.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(signal)
        .await?;
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, all_gone.recv()).await;
    broadcasts.abort();
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/ws", get(websocket))
        .route("/", get(root))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(get(static_file))
        .with_state(app)
}

/// `/ws`: WebSocket only.
async fn websocket(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    accept(app, peer, request)
}

/// `/`: a WebSocket, where the reference served it, or else the app's index.html.
async fn root(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    if upgrade::is_websocket(request.headers()) {
        accept(app, peer, request)
    } else {
        app.static_files.respond(request).await
    }
}

async fn static_file(State(app): State<Arc<App>>, request: Request) -> Response {
    app.static_files.respond(request).await
}

/// Checks the Origin and the socket limits, then upgrades with small per-socket buffers.
fn accept(app: Arc<App>, peer: SocketAddr, request: Request) -> Response {
    let allowed = &app.config.allowed_origins;
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        if !allowed.is_empty() && !allowed.iter().any(|o| o.as_bytes() == origin.as_bytes()) {
            warn!(%peer, ?origin, "origin refused");
            return (StatusCode::FORBIDDEN, "Origin not allowed\n").into_response();
        }
    }
    let slot = match app.counts.acquire(peer.ip()) {
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
    let max = Some(app.config.max_frame_bytes);
    let config = WebSocketConfig::default()
        .read_buffer_size(app.config.ws_read_buffer)
        .write_buffer_size(connection::BATCH_BYTES)
        .max_message_size(max)
        .max_frame_size(max);
    upgrade::accept(request, config, move |socket| connection::run(socket, app, peer, slot))
}
