//! The chat channels of one connection. Both sides may open one at once; any open one
//! carries the chat.

use super::{LinkEvent, SendError};
use crate::web::Listener;
use natter_protocol::{CHAT_CHANNEL_LABEL, CHAT_CHANNEL_PROTOCOL};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{
    MessageEvent, RtcDataChannel, RtcDataChannelInit, RtcDataChannelState, RtcPeerConnection,
};

#[wasm_bindgen]
extern "C" {
    /// The part of `RTCDataChannel` web-sys lacks.
    type DataChannelExtras;
    #[wasm_bindgen(method, getter)]
    fn protocol(this: &DataChannelExtras) -> String;
}

struct ChatChannel {
    channel: RtcDataChannel,
    _listeners: [Listener; 3],
}

/// Every chat channel of a connection: texts go to `hear`; opens and the last close are
/// reported.
pub(super) struct ChatChannels {
    channels: RefCell<Vec<ChatChannel>>,
    hear: Rc<dyn Fn(String)>,
    report: Rc<dyn Fn(LinkEvent)>,
}

impl ChatChannels {
    pub fn new(hear: Rc<dyn Fn(String)>, report: Rc<dyn Fn(LinkEvent)>) -> Self {
        ChatChannels { channels: RefCell::default(), hear, report }
    }

    /// Opens a chat channel from this side, marked as natter's by its sub-protocol.
    pub fn open(self: &Rc<Self>, connection: &RtcPeerConnection) {
        let init = RtcDataChannelInit::new();
        init.set_protocol(CHAT_CHANNEL_PROTOCOL);
        let channel =
            connection.create_data_channel_with_data_channel_dict(CHAT_CHANNEL_LABEL, &init);
        self.adopt(channel, false);
    }

    /// Watches a chat channel, ours or the peer's (`from_peer`).
    pub fn adopt(self: &Rc<Self>, channel: RtcDataChannel, from_peer: bool) {
        let peer_protocol =
            from_peer.then(|| channel.unchecked_ref::<DataChannelExtras>().protocol());
        let (open, hear) = (self.report.clone(), self.hear.clone());
        let weak = Rc::downgrade(self);
        let listeners = [
            Listener::new(&channel, RtcDataChannel::set_onopen, move |_| {
                open(LinkEvent::ChatOpen { peer_protocol: peer_protocol.clone() })
            }),
            Listener::new(&channel, RtcDataChannel::set_onmessage, move |event| {
                if let Some(text) = event.unchecked_into::<MessageEvent>().data().as_string() {
                    hear(text);
                }
            }),
            Listener::new(&channel, RtcDataChannel::set_onclose, move |_| {
                if let Some(chat) = weak.upgrade().filter(|chat| chat.open_one().is_none()) {
                    (chat.report)(LinkEvent::ChatClosed);
                }
            }),
        ];
        let mut channels = self.channels.borrow_mut();
        channels.retain(|chat| chat.channel.ready_state() != RtcDataChannelState::Closed);
        channels.push(ChatChannel { channel, _listeners: listeners });
    }

    /// Whether a chat channel is open or opening.
    pub fn exists(&self) -> bool {
        self.channels.borrow().iter().any(|chat| {
            matches!(
                chat.channel.ready_state(),
                RtcDataChannelState::Open | RtcDataChannelState::Connecting
            )
        })
    }

    /// Sends text on an open chat channel.
    pub fn send(&self, text: &str) -> Result<(), SendError> {
        let channel = self.open_one().ok_or(SendError::NotOpen)?;
        channel.send_with_str(text).map_err(|_| SendError::Refused)
    }

    /// Closes every channel; returns whether one was open.
    pub fn close(&self) -> bool {
        let open = self.open_one().is_some();
        for chat in self.channels.borrow().iter() {
            chat.channel.close();
        }
        open
    }

    /// Stops watching every channel (the connection is closing).
    pub fn forget(&self) {
        self.channels.borrow_mut().clear();
    }

    fn open_one(&self) -> Option<RtcDataChannel> {
        let channels = self.channels.borrow();
        let open = channels.iter().find(|c| c.channel.ready_state() == RtcDataChannelState::Open);
        open.map(|chat| chat.channel.clone())
    }
}
