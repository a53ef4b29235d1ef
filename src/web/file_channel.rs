//! `FileChannel`: the data channel carrying one file's bytes, as binary messages, with its
//! send buffer kept between two water marks.

use super::listener::Listener;
use js_sys::{ArrayBuffer, Promise, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, RtcDataChannel, RtcDataChannelState, RtcDataChannelType};

/// Above this many queued bytes the sender waits (Chromium closes a channel past 16 MiB).
const HIGH_WATER: u32 = 8 << 20;
/// The sender resumes when the queue drains to this: enough left to keep the link busy
/// while the next chunks are read.
const LOW_WATER: u32 = 1 << 20;
/// The first bytes a connection carries in files go with a short queue. On a new
/// connection a long one lets SCTP's congestion window grow in bursts that Chromium
/// partly loses, and each loss stalls the channel for a retransmission timeout of about
/// 420 ms: a connection's first 100 MiB went at about 22 MB/s instead of 40 (see
/// BENCHMARKS.md). Once the connection has carried this much, the short queue would only
/// cost wake-ups.
const SHORT_QUEUE_BYTES: u64 = 16 << 20;
const SHORT_HIGH_WATER: u32 = 256 << 10;
const SHORT_LOW_WATER: u32 = 64 << 10;

/// What a file channel reports.
pub enum FileEvent {
    /// Open: bytes can go.
    Open,
    /// A binary message arrived.
    Chunk(ArrayBuffer),
    /// A text message arrived: never part of a file.
    Text,
    /// Closed, by either side or with the connection.
    Closed,
}

/// Watches a file channel; dropping it stops the reports (the channel stays as it is).
pub struct FileChannel {
    channel: RtcDataChannel,
    _listeners: [Listener; 3],
}

impl FileChannel {
    /// Watches `channel`, reporting to `report`.
    pub fn new(channel: RtcDataChannel, report: impl Fn(FileEvent) + 'static) -> Self {
        channel.set_binary_type(RtcDataChannelType::Arraybuffer);
        let report = Rc::new(report);
        let (open, message) = (report.clone(), report.clone());
        let closing = channel.clone();
        let listeners = [
            Listener::new(&channel, RtcDataChannel::set_onopen, move |_| open(FileEvent::Open)),
            Listener::new(&channel, RtcDataChannel::set_onmessage, move |event| {
                let data = event.unchecked_into::<MessageEvent>().data();
                message(data.dyn_into().map_or(FileEvent::Text, FileEvent::Chunk));
            }),
            Listener::new(&channel, RtcDataChannel::set_onclose, move |_| {
                // A sender waiting for room must see the end too.
                wake(&closing);
                report(FileEvent::Closed);
            }),
        ];
        FileChannel { channel, _listeners: listeners }
    }

    /// The channel, for the task that sends on it; `sent_on_link` counts the bytes sent
    /// on every file channel of the same connection.
    pub fn outlet(&self, sent_on_link: Rc<Cell<u64>>) -> Outlet {
        Outlet { channel: self.channel.clone(), sent_on_link }
    }

    /// Whether the channel closed (a later one for the same file may have replaced it).
    pub fn is_closed(&self) -> bool {
        self.channel.ready_state() == RtcDataChannelState::Closed
    }

    /// Closes the channel, waking a sender waiting for room.
    pub fn close(&self) {
        wake(&self.channel);
        self.channel.close();
    }
}

/// The sending end of a file channel.
pub struct Outlet {
    channel: RtcDataChannel,
    sent_on_link: Rc<Cell<u64>>,
}

impl Outlet {
    /// Waits until the send queue is below the high water mark; `false` once the channel
    /// is no longer open.
    pub async fn room(&self) -> bool {
        let (high, low) = if self.sent_on_link.get() < SHORT_QUEUE_BYTES {
            (SHORT_HIGH_WATER, SHORT_LOW_WATER)
        } else {
            (HIGH_WATER, LOW_WATER)
        };
        while self.is_open() && self.channel.buffered_amount() > high {
            let channel = &self.channel;
            channel.set_buffered_amount_low_threshold(low);
            let drained = Promise::new(&mut |resolve, _| {
                channel.set_onbufferedamountlow(Some(&resolve));
            });
            let _ = JsFuture::from(drained).await;
            self.channel.set_onbufferedamountlow(None);
        }
        self.is_open()
    }

    /// Queues one chunk; `false` if it cannot go.
    pub fn send(&self, chunk: &Uint8Array) -> bool {
        let sent = self.channel.send_with_array_buffer_view(chunk).is_ok();
        if sent {
            self.sent_on_link.set(self.sent_on_link.get() + u64::from(chunk.length()));
        }
        sent
    }

    /// Bytes queued but not yet sent.
    pub fn queued(&self) -> u64 {
        self.channel.buffered_amount().into()
    }

    fn is_open(&self) -> bool {
        self.channel.ready_state() == RtcDataChannelState::Open
    }
}

/// Resolves a pending wait for room, if any.
fn wake(channel: &RtcDataChannel) {
    if let Some(resolve) = channel.onbufferedamountlow() {
        let _ = resolve.call0(&JsValue::NULL);
    }
}
