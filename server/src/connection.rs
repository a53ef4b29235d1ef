//! One WebSocket from greeting to close: frames in, batched writes out, heartbeat and close;
//! what the messages mean is the session's job.

use crate::frames::{OpCode, Unreadable};
use crate::inbox::{Inbox, Message};
use crate::limits::Slot;
use crate::outbox::{Flushed, Next, Outbox};
use crate::session::{End, Session};
use crate::Shared;
use natter_protocol::{ErrorCode, ServerMessage};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::{interval_at, timeout, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tracing::info;

/// How long a closing socket gets to take its last frames and answer the close.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Closes a socket whose login a new socket took over (4000 to 4999 are for
/// applications, RFC 6455 section 7.4.2).
const REPLACED: CloseCode = CloseCode::Library(4000);

/// Serves one upgraded socket (`early`: bytes read before the upgrade completed) until it
/// closes, then removes its user from the hub. `host` is the host the client reached the
/// server by (see `turn::url_host`).
pub(crate) async fn run(
    socket: TcpStream,
    early: Vec<u8>,
    app: Arc<Shared>,
    peer: SocketAddr,
    host: Option<String>,
    slot: Slot,
) {
    info!(%peer, "connected");
    let (read, write) = socket.into_split();
    let config = &app.config;
    let mut inbox = Inbox::new(read, early, config.max_frame_bytes, config.ws_read_buffer);
    let outbox = Outbox::new(config.send_queue_bytes, write);
    let mut session = Session::new(&app, outbox.clone(), host);
    session.send(&ServerMessage::connect());
    let end = serve(&mut inbox, &mut session, &outbox).await;
    let name = session.membership.as_ref().map(|m| m.user.user_name.clone());
    info!(%peer, name = name.as_deref().unwrap_or("-"), reason = ?end, "closed");
    if let Some(membership) = session.membership.take() {
        if app.hub.leave(&membership) {
            if let Some(cluster) = &app.cluster {
                // Boxed: every socket's task would carry this future's size.
                Box::pin(cluster.leave(&membership)).await;
            }
        }
    }
    if let End::Close(code, reason) = end {
        let _ = timeout(CLOSE_GRACE, close(&mut inbox, &outbox, code, reason)).await;
    }
    drop(slot);
}

/// The loop: read messages, write what is queued in batches, ping, and watch for shutdown.
async fn serve(inbox: &mut Inbox, session: &mut Session<'_>, outbox: &Outbox) -> End {
    let heartbeat = session.app.config.heartbeat();
    let mut ticker = interval_at(Instant::now() + heartbeat, heartbeat);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_seen = Instant::now();
    let mut shutdown = session.app.shutdown.clone();
    loop {
        tokio::select! {
            _ = shutdown.changed() => return End::Close(CloseCode::Away, "server shutting down"),
            read = inbox.fill() => {
                if !matches!(read, Ok(1..)) {
                    return End::Gone;
                }
                last_seen = Instant::now();
                if let Some(end) = take_messages(inbox, session, outbox).await {
                    return end;
                }
            }
            next = outbox.next() => {
                match next {
                    Next::Write => {}
                    Next::Overflowed => return End::TooSlow,
                    Next::Replaced => return End::Close(REPLACED, "replaced by a new connection"),
                }
                // A reader that stops reading blocks the socket: give up on it when its
                // queue overflows meanwhile, or after two heartbeats.
                let written = tokio::select! {
                    _ = outbox.overflowed() => return End::TooSlow,
                    written = timeout(2 * heartbeat, write_batch(outbox)) => written,
                };
                if !matches!(written, Ok(Ok(()))) {
                    return End::Gone;
                }
            }
            _ = ticker.tick() => {
                if last_seen.elapsed() > 2 * heartbeat {
                    return End::Dead;
                }
                outbox.control(OpCode::Ping, &[]);
            }
        }
    }
}

/// Handles every whole message read so far, then sends the relays they made.
async fn take_messages(
    inbox: &mut Inbox,
    session: &mut Session<'_>,
    outbox: &Outbox,
) -> Option<End> {
    let end = handle_messages(inbox, session, outbox).await;
    session.send_held();
    end
}

async fn handle_messages(
    inbox: &mut Inbox,
    session: &mut Session<'_>,
    outbox: &Outbox,
) -> Option<End> {
    loop {
        let end = match inbox.next() {
            Ok(None) => return None,
            Ok(Some(Message::Text(text))) => session.on_text(text).await,
            Ok(Some(Message::Binary)) => session.on_binary(),
            Ok(Some(Message::Ping(payload))) => {
                outbox.control(OpCode::Pong, payload);
                None
            }
            Ok(Some(Message::Pong)) => None,
            Ok(Some(Message::Close)) => {
                outbox.close(CloseCode::Normal.into(), "");
                let _ = timeout(CLOSE_GRACE, write_all(outbox)).await;
                Some(End::Gone)
            }
            Err(Unreadable::Invalid) => Some(End::Gone),
            Err(Unreadable::TooLarge) => {
                let max = session.app.config.max_frame_bytes;
                session
                    .error(ErrorCode::TooLarge, format!("Message too large ({max} bytes at most)"));
                Some(End::Close(CloseCode::Size, "message too large"))
            }
        };
        if end.is_some() {
            return end;
        }
    }
}

/// Writes a batch of what is queued, waiting for the socket if it is full.
async fn write_batch(outbox: &Outbox) -> std::io::Result<()> {
    while outbox.flush()? == Flushed::Blocked {
        outbox.writable().await?;
    }
    Ok(())
}

/// Writes everything queued.
async fn write_all(outbox: &Outbox) -> std::io::Result<()> {
    loop {
        match outbox.flush()? {
            Flushed::All => return Ok(()),
            Flushed::More => {}
            Flushed::Blocked => outbox.writable().await?,
        }
    }
}

/// Sends what is still queued (say, the error that explains the close), then the close.
async fn close(inbox: &mut Inbox, outbox: &Outbox, code: CloseCode, reason: &'static str) {
    outbox.close(code.into(), reason);
    if write_all(outbox).await.is_err() {
        return;
    }
    // Wait for the peer's close so the socket ends cleanly rather than with a reset.
    while let Ok(1..) = inbox.fill().await {
        while let Ok(Some(message)) = inbox.next() {
            if message == Message::Close {
                return;
            }
        }
    }
}
