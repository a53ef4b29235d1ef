//! `NextTask`: runs a callback in a task of its own, after the events already waiting.

use super::listener::Listener;
use wasm_bindgen::JsValue;
use web_sys::{MessageChannel, MessagePort};

/// A callback run by a message to ourselves on a `MessageChannel`: it queues behind the
/// events already waiting, like a zero timeout, but hidden pages do not hold it back up to
/// a second as they do timers.
pub struct NextTask {
    port: MessagePort,
    _listener: Listener,
}

impl NextTask {
    /// Prepares `run`; `None` if the browser has no `MessageChannel`.
    pub fn new(mut run: impl FnMut() + 'static) -> Option<Self> {
        let channel = MessageChannel::new().ok()?;
        let listener = Listener::new(&channel.port1(), MessagePort::set_onmessage, move |_| run());
        Some(NextTask { port: channel.port2(), _listener: listener })
    }

    /// Queues one run.
    pub fn schedule(&self) {
        let _ = self.port.post_message(&JsValue::NULL);
    }
}
