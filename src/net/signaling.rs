//! `SignalingSocket`: one WebSocket to the signaling server, speaking `natter_protocol`.

use super::Listener;
use natter_protocol::{ClientMessage, ServerMessage};
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

/// What the socket reports.
pub enum SignalingEvent {
    /// The socket is open: time to log in.
    Open,
    /// A message from the server (frames the app cannot read are skipped).
    Message(ServerMessage),
    /// The socket closed or could not connect.
    Closed,
}

/// An open (or opening) signaling socket; closing it is dropping it.
pub struct SignalingSocket {
    socket: WebSocket,
    _listeners: [Listener; 3],
}

impl SignalingSocket {
    /// Starts connecting to `url`; every event goes to `on_event`.
    pub fn connect(url: &str, on_event: impl Fn(SignalingEvent) + 'static) -> Result<Self, String> {
        let socket = WebSocket::new(url).map_err(|_| format!("Bad signaling address: {url}"))?;
        let on_event = std::rc::Rc::new(on_event);
        let (open, message, close) = (on_event.clone(), on_event.clone(), on_event);
        let listeners = [
            Listener::new(&socket, WebSocket::set_onopen, move |_| open(SignalingEvent::Open)),
            Listener::new(&socket, WebSocket::set_onmessage, move |event| {
                let text = event.unchecked_into::<MessageEvent>().data().as_string();
                if let Some(parsed) = text.as_deref().and_then(ServerMessage::parse) {
                    message(SignalingEvent::Message(parsed));
                }
            }),
            // An error is always followed by a close, so close alone is reported.
            Listener::new(&socket, WebSocket::set_onclose, move |_| close(SignalingEvent::Closed)),
        ];
        Ok(SignalingSocket { socket, _listeners: listeners })
    }

    /// Sends a message; `false` if the socket is not open.
    pub fn send(&self, message: &ClientMessage) -> bool {
        self.socket.ready_state() == WebSocket::OPEN
            && self.socket.send_with_str(&message.to_json()).is_ok()
    }
}

impl Drop for SignalingSocket {
    fn drop(&mut self) {
        let _ = self.socket.close();
    }
}
