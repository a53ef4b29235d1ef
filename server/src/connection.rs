//! One WebSocket from greeting to close: frames in, batched writes out, heartbeat and close;
//! what the messages mean is the session's job.

use crate::limits::Slot;
use crate::outbox::{Next, Outbox};
use crate::session::{End, Session};
use crate::upgrade::Socket;
use crate::Shared;
use futures_util::{SinkExt, StreamExt};
use natter_protocol::{ErrorCode, ServerMessage};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{interval_at, timeout, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Bytes, Error, Message, Utf8Bytes};
use tracing::info;

/// A write batch stops growing past this many bytes, so a busy socket's write buffer stays
/// small; it is also tungstenite's write buffer target.
pub(crate) const BATCH_BYTES: usize = 16 * 1024;

/// Messages longer than this go out as several frames of at most this size, so that no
/// socket's write buffer (which never shrinks) grows to the size of its largest message,
/// such as a login reply listing thousands of users.
const FRAGMENT_BYTES: usize = 8 * 1024;

/// How long a closing socket gets to take its last frames and answer the close.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Closes a socket whose login a new socket took over (4000 to 4999 are for
/// applications, RFC 6455 section 7.4.2).
const REPLACED: CloseCode = CloseCode::Library(4000);

/// Serves one upgraded socket until it closes, then removes its user from the hub. `host` is
/// the host the client reached the server by (see `turn::url_host`).
pub(crate) async fn run(
    mut socket: Socket,
    app: Arc<Shared>,
    peer: SocketAddr,
    host: Option<String>,
    slot: Slot,
) {
    info!(%peer, "connected");
    let outbox = Outbox::new(app.config.send_queue_bytes);
    let mut session = Session::new(&app, outbox.clone(), host);
    session.send(&ServerMessage::connect());
    let end = serve(&mut socket, &mut session, &outbox).await;
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
        let _ = timeout(CLOSE_GRACE, close(&mut socket, &outbox, code, reason)).await;
    }
    drop(slot);
}

/// The loop: read frames, write queued frames in batches, ping, and watch for shutdown.
async fn serve(socket: &mut Socket, session: &mut Session<'_>, outbox: &Outbox) -> End {
    let heartbeat = session.app.config.heartbeat();
    let mut ticker = interval_at(Instant::now() + heartbeat, heartbeat);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_seen = Instant::now();
    let mut shutdown = session.app.shutdown.clone();
    loop {
        tokio::select! {
            _ = shutdown.changed() => return End::Close(CloseCode::Away, "server shutting down"),
            incoming = socket.next() => {
                last_seen = Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        if let Some(end) = session.on_text(&text).await {
                            return end;
                        }
                    }
                    Some(Ok(Message::Binary(_))) => {
                        if let Some(end) = session.on_binary() {
                            return end;
                        }
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                    Some(Ok(Message::Close(_))) | None => return End::Gone,
                    Some(Err(error)) if !is_too_large(&error) => return End::Gone,
                    Some(Err(_)) => {
                        let max = session.app.config.max_frame_bytes;
                        session.error(
                            ErrorCode::TooLarge,
                            format!("Message too large ({max} bytes at most)"),
                        );
                        return End::Close(CloseCode::Size, "message too large");
                    }
                }
            }
            next = outbox.next() => {
                let frame = match next {
                    Next::Frame(frame) => frame,
                    Next::Overflowed => return End::TooSlow,
                    Next::Replaced => return End::Close(REPLACED, "replaced by a new connection"),
                };
                // A reader that stops reading blocks the flush: give up on it when its queue
                // overflows meanwhile, or after two heartbeats.
                let written = tokio::select! {
                    _ = outbox.overflowed() => return End::TooSlow,
                    written = timeout(2 * heartbeat, write_batch(socket, frame, outbox)) => written,
                };
                if !matches!(written, Ok(Ok(()))) {
                    return End::Gone;
                }
            }
            _ = ticker.tick() => {
                if last_seen.elapsed() > 2 * heartbeat {
                    return End::Dead;
                }
                let ping = Message::Ping(Default::default());
                if !matches!(timeout(heartbeat, socket.send(ping)).await, Ok(Ok(()))) {
                    return End::Gone;
                }
            }
        }
    }
}

/// Writes `first` and whatever else is queued, up to [`BATCH_BYTES`], with one flush.
async fn write_batch(socket: &mut Socket, first: Utf8Bytes, outbox: &Outbox) -> Result<(), Error> {
    let mut bytes = first.len();
    feed(socket, first).await?;
    while bytes < BATCH_BYTES {
        let Some(Next::Frame(frame)) = outbox.try_next() else { break };
        bytes += frame.len();
        feed(socket, frame).await?;
    }
    socket.flush().await
}

/// Queues one text message for writing, fragmented if long (clients reassemble it).
async fn feed(socket: &mut Socket, text: Utf8Bytes) -> Result<(), Error> {
    if text.len() <= FRAGMENT_BYTES {
        return socket.feed(Message::Text(text)).await;
    }
    let mut rest = Bytes::from(text);
    let mut opcode = OpCode::Data(Data::Text);
    while !rest.is_empty() {
        let chunk = rest.split_to(rest.len().min(FRAGMENT_BYTES));
        socket.feed(Message::Frame(Frame::message(chunk, opcode, rest.is_empty()))).await?;
        opcode = OpCode::Data(Data::Continue);
    }
    Ok(())
}

/// Sends what is still queued (say, the error that explains the close), then the close.
async fn close(socket: &mut Socket, outbox: &Outbox, code: CloseCode, reason: &'static str) {
    while let Some(Next::Frame(frame)) = outbox.try_next() {
        if feed(socket, frame).await.is_err() {
            return;
        }
    }
    let frame = CloseFrame { code, reason: reason.into() };
    if socket.send(Message::Close(Some(frame))).await.is_ok() {
        // Wait for the peer's close so the socket ends cleanly rather than with a reset.
        while let Some(Ok(_)) = socket.next().await {}
    }
}

fn is_too_large(error: &Error) -> bool {
    matches!(error, Error::Capacity(_))
}
