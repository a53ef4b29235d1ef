//! Everything that reaches the engine from the browser (callbacks, timers, finished tasks)
//! as one event type, and the handle that delivers it to the dispatcher.

use crate::web::devices::Opened;
use crate::web::file_channel::FileEvent;
use crate::web::file_data::KeptFile;
use crate::web::kept_transfers::KeptTransfer;
use crate::web::line_key::LineKey;
use crate::web::peer_link::LinkEvent;
use crate::web::signaling_socket::SignalingEvent;
use crate::web::store::{Store, StoreError};
use leptos::prelude::set_timeout;
use natter_model::kept::Loaded;
use natter_protocol::ChatLine;
use std::rc::Weak;
use std::time::Duration;
use web_sys::{MediaStreamTrack, RtcCertificate};

/// Something that happened, for the part that owns it.
pub enum Event {
    /// The store opened, or why it cannot.
    StoreOpened(Result<Store, StoreError>),
    /// A read or write of the store failed.
    StoreFailed(StoreError),
    /// Our certificate is ready (read back or made), or why it cannot be.
    IdentityReady(Result<RtcCertificate, String>),
    /// A safety code was computed: ours (`peer` is `None`) or a peer's.
    CodeReady { peer: Option<String>, fingerprint: String, code: String },
    /// The store said whether a peer's identity was verified.
    ContactRead { peer: String, fingerprint: String, verified: bool },
    /// Conversations read back from the store.
    HistoryLoaded(Vec<Loaded>, Vec<KeptFile>, Vec<KeptTransfer>),
    /// The page came into view or left it.
    Visibility,
    /// A peer's typing notice (to us, or in the `room`) may have run out.
    TypingDue { peer: String, room: bool },
    /// The signaling server's address is known, or why it cannot be.
    ServerUrl(Result<String, String>),
    /// The signaling socket reported.
    Signaling(SignalingEvent),
    /// Time to try the signaling server again.
    Reconnect,
    /// The user `id` left the server a while ago.
    LeftDue { id: String },
    /// The TURN credentials will run out soon: time to ask for fresh ones.
    IceRefreshDue,
    /// A text from `peer` on its chat channel, for the messaging part's inbox.
    Text { peer: String, text: String },
    /// The connection to `peer` reported.
    Link { peer: String, event: LinkEvent },
    /// Attempt `attempt` to connect to `peer` has had its time: connected, or out of reach?
    ReachDue { peer: String, attempt: u32 },
    /// The task that reads the texts waiting in the inbox has its turn.
    ReadInbox,
    /// The chat channel we opened to `peer` has been up a while: has it said `hello`?
    HelloDue { peer: String },
    /// The polite side's turn to reconnect to `peer` unasked, if nothing connected meanwhile.
    ReconnectDue { peer: String },
    /// A ring may have gone unanswered for too long.
    RingDue { grace_ms: f64 },
    /// The camera and microphone for a call with `peer` are open, or not.
    DevicesOpened { peer: String, opened: Opened },
    /// The camera and microphone for the room's call are open, or not.
    RoomDevicesOpened(Opened),
    /// The screen to share, or why not.
    ScreenOpened(Result<MediaStreamTrack, String>),
    /// The browser's own "stop sharing" button.
    ScreenEnded,
    /// The channel of file `id` with `peer` reported.
    File { peer: String, id: String, event: FileEvent },
    /// The channel of file `id` closed a while ago: fail it if nothing explained why.
    FileClosed { peer: String, id: String },
    /// The digest of file `id` we received, once computed (`None`: it could not be).
    Digested { peer: String, id: String, digest: Option<String> },
    /// Sending file `id` moved on: `Ok(digest)` once all is sent, or why it stopped.
    Sent { peer: String, id: String, outcome: Result<String, &'static str> },
    /// Bytes of file `id` are through, for the progress bar.
    SentSoFar { peer: String, id: String, bytes: u64 },
    /// A piece of file `id` we receive is on the device, or could not be kept.
    PieceKept { peer: String, id: String, written: Result<(), StoreError> },
    /// Our key for signing room lines is ready (read back or made).
    LineKeyReady(LineKey),
    /// Our room `line` is signed (`None`: it could not be), to write for `recipients`.
    RoomLineSigned { line: ChatLine, sig: Option<String>, recipients: Vec<String> },
    /// `relayer`'s copy of a room line, signed `sig`, was checked against its author's key.
    PastChecked { relayer: String, line: ChatLine, sig: String, good: bool },
}

/// What the dispatcher implements.
pub trait Engine {
    /// Routes `event` to the part that owns it.
    fn handle(&self, event: Event);
}

/// A weak handle on the engine for callbacks and tasks: once the engine is gone, their
/// events are dropped.
#[derive(Clone)]
pub struct Dispatch(Weak<dyn Engine>);

impl Dispatch {
    /// A handle on `engine`.
    pub fn new(engine: Weak<dyn Engine>) -> Self {
        Dispatch(engine)
    }

    /// Delivers `event` now.
    pub fn send(&self, event: Event) {
        if let Some(engine) = self.0.upgrade() {
            engine.handle(event);
        }
    }

    /// Delivers `event` after `delay`.
    pub fn later(&self, event: Event, delay: Duration) {
        let dispatch = self.clone();
        set_timeout(move || dispatch.send(event), delay);
    }
}
