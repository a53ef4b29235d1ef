//! `SignalingSocket`: one WebSocket to the signaling server speaking `natter_protocol`,
//! through gloo-net's WebSocket as a futures `Stream` of frames and `Sink` for ours.

use crate::i18n::{tf, K};
use futures::channel::mpsc::{unbounded, UnboundedSender};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, WebSocketError};
use natter_protocol::{ClientMessage, ServerMessage};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;

/// The close code of a socket whose login another socket took over.
const REPLACED: u16 = 4000;

/// What the socket reports.
pub enum SignalingEvent {
    /// A message from the server (frames the app cannot read are skipped).
    Message(ServerMessage),
    /// The socket closed or could not connect; `replaced` when the server closed it
    /// because another socket took its login over (close code 4000).
    Closed { replaced: bool },
}

/// An open (or opening) signaling socket; closing it is dropping it.
pub struct SignalingSocket {
    /// Frames for the writing task, which sends them once the socket is open.
    outgoing: UnboundedSender<String>,
    /// Closes the socket on drop (the tasks hold the gloo-net halves).
    raw: web_sys::WebSocket,
    /// Cleared on drop: a dropped socket reports nothing more.
    alive: Rc<Cell<bool>>,
}

impl SignalingSocket {
    /// Starts connecting to `url`; every event goes to `on_event`. Messages sent before the
    /// socket is open go out in order once it is.
    pub fn connect(url: &str, on_event: impl Fn(SignalingEvent) + 'static) -> Result<Self, String> {
        let bad_address = || tf(K::BadSignalingAddress, &[("url", url)]);
        let raw = web_sys::WebSocket::new(url).map_err(|_| bad_address())?;
        let socket = WebSocket::try_from(raw.clone()).map_err(|_| bad_address())?;
        let (mut sink, mut stream) = socket.split();
        let (outgoing, mut queued) = unbounded::<String>();
        spawn_local(async move {
            while let Some(text) = queued.next().await {
                if sink.send(Message::Text(text)).await.is_err() {
                    break;
                }
            }
        });
        let alive = Rc::new(Cell::new(true));
        let reading = alive.clone();
        spawn_local(async move {
            let mut replaced = false;
            while let Some(frame) = stream.next().await {
                if !reading.get() {
                    return;
                }
                // A close arrives as an error, then the end of the stream.
                match frame {
                    Ok(Message::Text(text)) => {
                        if let Some(message) = ServerMessage::parse(&text) {
                            on_event(SignalingEvent::Message(message));
                        }
                    }
                    Err(WebSocketError::ConnectionClose(close)) => {
                        replaced = close.code == REPLACED
                    }
                    _ => {}
                }
            }
            if reading.get() {
                on_event(SignalingEvent::Closed { replaced });
            }
        });
        Ok(SignalingSocket { outgoing, raw, alive })
    }

    /// Queues a message; `false` if the socket is closing or closed.
    pub fn send(&self, message: &ClientMessage) -> bool {
        let open = self.raw.ready_state() <= web_sys::WebSocket::OPEN;
        open && self.outgoing.unbounded_send(message.to_json()).is_ok()
    }
}

impl Drop for SignalingSocket {
    fn drop(&mut self) {
        self.alive.set(false);
        let _ = self.raw.close();
    }
}
