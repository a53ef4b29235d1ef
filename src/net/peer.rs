//! `PeerLink`: one RTCPeerConnection to one remote user, its chat data channel, and
//! glare-free negotiation over the signaling server.

use super::{media, Listener};
use crate::negotiation::{Negotiation, Verdict};
use natter_protocol::{IceServer, Payload, CHAT_CHANNEL_LABEL, CHAT_CHANNEL_PROTOCOL};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    MediaStream, MediaStreamTrack, MessageEvent, RtcConfiguration, RtcDataChannel,
    RtcDataChannelEvent, RtcDataChannelInit, RtcDataChannelState, RtcIceCandidateInit,
    RtcIceServer, RtcPeerConnection, RtcPeerConnectionIceEvent, RtcPeerConnectionState,
    RtcRtpSender, RtcSessionDescriptionInit, RtcSignalingState, RtcTrackEvent,
};

#[wasm_bindgen]
extern "C" {
    /// The parts of `RTCPeerConnection` web-sys lacks.
    type PeerConnectionExtras;
    // The argument-less form creates the right offer or answer by itself, which perfect
    // negotiation relies on.
    #[wasm_bindgen(method, js_name = setLocalDescription)]
    fn set_local_description(this: &PeerConnectionExtras) -> js_sys::Promise;
    #[wasm_bindgen(method, js_name = restartIce)]
    fn restart_ice(this: &PeerConnectionExtras);

    /// The part of `RTCDataChannel` web-sys lacks.
    type DataChannelExtras;
    #[wasm_bindgen(method, getter)]
    fn protocol(this: &DataChannelExtras) -> String;
}

fn extras(connection: &RtcPeerConnection) -> &PeerConnectionExtras {
    connection.unchecked_ref()
}

/// How far the connection to a peer has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Negotiating or checking ICE.
    Connecting,
    /// The connection is up.
    Connected,
    /// Lost for now; the browser may recover it.
    Disconnected,
    /// ICE failed; a restart is under way.
    Failed,
    /// Closed for good.
    Closed,
}

/// Which path the connection took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Straight between the two browsers.
    Direct,
    /// Through a TURN relay.
    Relayed,
}

/// What a link reports to its owner.
pub enum PeerEvent {
    /// The connection state changed.
    State(LinkState),
    /// The selected path is known.
    Route(Route),
    /// A chat channel is open: queued messages can go. `peer_protocol` is the sub-protocol
    /// of a channel the peer opened (`None` for ours): natter's tells who the peer is.
    ChannelOpen { peer_protocol: Option<String> },
    /// No chat channel is open any more.
    ChannelClosed,
    /// A text message arrived on the chat channel.
    Text(String),
    /// The peer sends a media track (a call).
    Track(MediaStreamTrack),
    /// The peer opened a data channel other than the chat's (a file's bytes).
    Channel(RtcDataChannel),
}

/// Why a text did not go out on the chat channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// No chat channel is open: the text waits for one.
    NotOpen,
    /// The open channel refused this text (too large, or closing under it).
    Refused,
}

/// A signaling message the link wants sent to its peer.
pub enum Signal {
    /// An offer or answer (`RTCSessionDescriptionInit`).
    Description { offer: bool, description: Payload },
    /// A trickled ICE candidate.
    Candidate(Payload),
}

/// One peer connection; dropping it closes the connection.
pub struct PeerLink {
    inner: Rc<Inner>,
    /// Bytes sent on this connection's file channels (see `file_channel::Outlet::room`).
    file_bytes_sent: Rc<Cell<u64>>,
}

struct Inner {
    connection: RtcPeerConnection,
    negotiation: RefCell<Negotiation<JsValue>>,
    channels: RefCell<Vec<ChatChannel>>,
    signal: Box<dyn Fn(Signal)>,
    report: Box<dyn Fn(PeerEvent)>,
    listeners: RefCell<Vec<Listener>>,
    /// What we send of a call: every sender, and the one carrying video.
    senders: RefCell<Vec<RtcRtpSender>>,
    video_sender: RefCell<Option<RtcRtpSender>>,
}

struct ChatChannel {
    channel: RtcDataChannel,
    _listeners: [Listener; 3],
}

impl PeerLink {
    /// A new connection with the given ICE servers; nothing is sent until [`Self::open_chat`]
    /// or a remote offer.
    pub fn new(
        polite: bool,
        ice_servers: &[IceServer],
        signal: impl Fn(Signal) + 'static,
        report: impl Fn(PeerEvent) + 'static,
    ) -> Result<Self, String> {
        let config = RtcConfiguration::new();
        let servers: js_sys::Array = ice_servers.iter().map(rtc_ice_server).collect();
        config.set_ice_servers(&servers);
        let connection = RtcPeerConnection::new_with_configuration(&config)
            .map_err(|_| "This browser cannot create a peer connection".to_owned())?;
        let inner = Rc::new(Inner {
            connection,
            negotiation: RefCell::new(Negotiation::new(polite)),
            channels: RefCell::default(),
            signal: Box::new(signal),
            report: Box::new(report),
            listeners: RefCell::default(),
            senders: RefCell::default(),
            video_sender: RefCell::default(),
        });
        Inner::listen(&inner);
        Ok(PeerLink { inner, file_bytes_sent: Rc::default() })
    }

    /// Opens the chat channel from this side (the click on a user); negotiation follows.
    pub fn open_chat(&self) {
        let init = RtcDataChannelInit::new();
        init.set_protocol(CHAT_CHANNEL_PROTOCOL);
        let channel = self
            .inner
            .connection
            .create_data_channel_with_data_channel_dict(CHAT_CHANNEL_LABEL, &init);
        Inner::adopt_channel(&self.inner, channel, false);
    }

    /// The count of bytes sent on this connection's file channels, for their senders.
    pub fn file_bytes_sent(&self) -> Rc<Cell<u64>> {
        self.file_bytes_sent.clone()
    }

    /// Opens an ordered, reliable data channel labelled `label` beside the chat's.
    pub fn open_channel(&self, label: &str) -> RtcDataChannel {
        self.inner.connection.create_data_channel(label)
    }

    /// Whether a chat channel exists (open or opening), so no second one is needed.
    pub fn has_chat(&self) -> bool {
        self.inner.channels.borrow().iter().any(|chat| {
            matches!(
                chat.channel.ready_state(),
                RtcDataChannelState::Open | RtcDataChannelState::Connecting
            )
        })
    }

    /// Sends text on an open chat channel.
    pub fn send_text(&self, text: &str) -> Result<(), SendError> {
        let channels = self.inner.channels.borrow();
        let open =
            channels.iter().find(|chat| chat.channel.ready_state() == RtcDataChannelState::Open);
        let chat = open.ok_or(SendError::NotOpen)?;
        chat.channel.send_with_str(text).map_err(|_| SendError::Refused)
    }

    /// Handles a remote offer or answer.
    pub fn receive_description(&self, description: &Payload) {
        let Ok(description) = js_sys::JSON::parse(description.get()) else { return };
        let is_offer = js_sys::Reflect::get(&description, &"type".into())
            .ok()
            .and_then(|kind| kind.as_string())
            .is_some_and(|kind| kind == "offer");
        let stable = self.inner.connection.signaling_state() == RtcSignalingState::Stable;
        let verdict = self.inner.negotiation.borrow_mut().receive_description(is_offer, stable);
        if verdict == Verdict::Ignore {
            return;
        }
        let inner = self.inner.clone();
        spawn_local(async move {
            let description: RtcSessionDescriptionInit = description.unchecked_into();
            if JsFuture::from(inner.connection.set_remote_description(&description)).await.is_err()
            {
                return;
            }
            let queued = inner.negotiation.borrow_mut().remote_description_applied();
            for candidate in queued {
                inner.add_candidate(candidate);
            }
            if is_offer
                && JsFuture::from(extras(&inner.connection).set_local_description()).await.is_ok()
            {
                inner.send_local_description(false);
            }
        });
    }

    /// Sends every track of `stream` (a call starts); negotiation follows.
    pub fn add_media(&self, stream: &MediaStream) {
        for track in media::tracks(stream) {
            let sender = self.inner.connection.add_track_0(&track, stream);
            if track.kind() == "video" {
                *self.inner.video_sender.borrow_mut() = Some(sender.clone());
            }
            self.inner.senders.borrow_mut().push(sender);
        }
    }

    /// Sends `track` as our video: it replaces the current video in place (no
    /// renegotiation), or is added, with `stream`, if the call had none.
    pub fn send_video(&self, track: &MediaStreamTrack, stream: Option<&MediaStream>) {
        let current = self.inner.video_sender.borrow().clone();
        match (current, stream) {
            (Some(sender), _) => settle(sender.replace_track(Some(track))),
            (None, Some(stream)) => {
                let sender = self.inner.connection.add_track_0(track, stream);
                *self.inner.video_sender.borrow_mut() = Some(sender.clone());
                self.inner.senders.borrow_mut().push(sender);
            }
            (None, None) => {
                if let Ok(stream) = MediaStream::new() {
                    self.send_video(track, Some(&stream));
                }
            }
        }
    }

    /// Sends no video any more, keeping the sender for a later track.
    pub fn stop_video(&self) {
        if let Some(sender) = self.inner.video_sender.borrow().as_ref() {
            settle(sender.replace_track(None));
        }
    }

    /// Stops sending every track of the call; negotiation follows.
    pub fn remove_media(&self) {
        self.inner.video_sender.borrow_mut().take();
        for sender in self.inner.senders.take() {
            self.inner.connection.remove_track(&sender);
        }
    }

    /// Handles a remote ICE candidate, queued until the remote description is applied.
    pub fn receive_candidate(&self, candidate: &Payload) {
        let Ok(candidate) = js_sys::JSON::parse(candidate.get()) else { return };
        let ready = self.inner.negotiation.borrow_mut().receive_candidate(candidate);
        if let Some(candidate) = ready {
            self.inner.add_candidate(candidate);
        }
    }
}

impl Drop for PeerLink {
    fn drop(&mut self) {
        self.inner.listeners.borrow_mut().clear();
        self.inner.channels.borrow_mut().clear();
        self.inner.connection.close();
    }
}

impl Inner {
    fn listen(this: &Rc<Self>) {
        let connection = &this.connection;
        let weak = Rc::downgrade(this);
        let on = |handler: fn(&Rc<Inner>, JsValue)| {
            let weak = weak.clone();
            move |event: JsValue| {
                if let Some(inner) = weak.upgrade() {
                    handler(&inner, event);
                }
            }
        };
        *this.listeners.borrow_mut() = vec![
            Listener::new(connection, RtcPeerConnection::set_onnegotiationneeded, on(Inner::offer)),
            Listener::new(
                connection,
                RtcPeerConnection::set_onicecandidate,
                on(Inner::send_candidate),
            ),
            Listener::new(
                connection,
                RtcPeerConnection::set_onconnectionstatechange,
                on(Inner::connection_state_changed),
            ),
            Listener::new(
                connection,
                RtcPeerConnection::set_ondatachannel,
                on(Inner::remote_channel),
            ),
            Listener::new(connection, RtcPeerConnection::set_ontrack, on(Inner::remote_track)),
        ];
    }

    fn offer(this: &Rc<Self>, _: JsValue) {
        let inner = this.clone();
        spawn_local(async move {
            inner.negotiation.borrow_mut().set_making_offer(true);
            let made = JsFuture::from(extras(&inner.connection).set_local_description()).await;
            if made.is_ok() {
                inner.send_local_description(true);
            }
            inner.negotiation.borrow_mut().set_making_offer(false);
        });
    }

    fn send_local_description(&self, offer: bool) {
        let Some(local) = self.connection.local_description() else { return };
        if let Some(description) = to_payload(&local.to_json()) {
            (self.signal)(Signal::Description { offer, description });
        }
    }

    fn send_candidate(this: &Rc<Self>, event: JsValue) {
        let event: RtcPeerConnectionIceEvent = event.unchecked_into();
        // A null candidate only marks the end of gathering.
        if let Some(candidate) = event.candidate().and_then(|c| to_payload(&c.to_json())) {
            (this.signal)(Signal::Candidate(candidate));
        }
    }

    fn add_candidate(&self, candidate: JsValue) {
        let candidate: RtcIceCandidateInit = candidate.unchecked_into();
        // Candidates of an offer we ignored fail to add: expected, so the rejection is consumed.
        settle(self.connection.add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&candidate)));
    }

    fn connection_state_changed(this: &Rc<Self>, _: JsValue) {
        let state = match this.connection.connection_state() {
            RtcPeerConnectionState::Connected => LinkState::Connected,
            RtcPeerConnectionState::Disconnected => LinkState::Disconnected,
            RtcPeerConnectionState::Failed => LinkState::Failed,
            RtcPeerConnectionState::Closed => LinkState::Closed,
            _ => LinkState::Connecting,
        };
        (this.report)(PeerEvent::State(state));
        match state {
            LinkState::Failed => extras(&this.connection).restart_ice(),
            LinkState::Connected => {
                let weak = Rc::downgrade(this);
                spawn_local(async move {
                    let Some(inner) = weak.upgrade() else { return };
                    if let Some(route) = selected_route(&inner.connection).await {
                        (inner.report)(PeerEvent::Route(route));
                    }
                });
            }
            _ => {}
        }
    }

    fn remote_track(this: &Rc<Self>, event: JsValue) {
        let track = event.unchecked_into::<RtcTrackEvent>().track();
        (this.report)(PeerEvent::Track(track));
    }

    fn remote_channel(this: &Rc<Self>, event: JsValue) {
        let channel = event.unchecked_into::<RtcDataChannelEvent>().channel();
        if channel.label() == CHAT_CHANNEL_LABEL {
            Inner::adopt_channel(this, channel, true);
        } else {
            (this.report)(PeerEvent::Channel(channel));
        }
    }

    /// Watches a chat channel. Both sides may open one at once; any open one carries the chat.
    fn adopt_channel(this: &Rc<Self>, channel: RtcDataChannel, from_peer: bool) {
        let weak: Weak<Inner> = Rc::downgrade(this);
        let report = move |event: PeerEvent| {
            if let Some(inner) = weak.upgrade() {
                (inner.report)(event);
            }
        };
        let report = Rc::new(report);
        let (open, message, close) = (report.clone(), report.clone(), report);
        let weak_for_close = Rc::downgrade(this);
        let peer_protocol =
            from_peer.then(|| channel.unchecked_ref::<DataChannelExtras>().protocol());
        let listeners = [
            Listener::new(&channel, RtcDataChannel::set_onopen, move |_| {
                open(PeerEvent::ChannelOpen { peer_protocol: peer_protocol.clone() })
            }),
            Listener::new(&channel, RtcDataChannel::set_onmessage, move |event| {
                if let Some(text) = event.unchecked_into::<MessageEvent>().data().as_string() {
                    message(PeerEvent::Text(text));
                }
            }),
            Listener::new(&channel, RtcDataChannel::set_onclose, move |_| {
                let Some(inner) = weak_for_close.upgrade() else { return };
                let any_open = inner
                    .channels
                    .borrow()
                    .iter()
                    .any(|chat| chat.channel.ready_state() == RtcDataChannelState::Open);
                if !any_open {
                    close(PeerEvent::ChannelClosed);
                }
            }),
        ];
        let mut channels = this.channels.borrow_mut();
        channels.retain(|chat| chat.channel.ready_state() != RtcDataChannelState::Closed);
        channels.push(ChatChannel { channel, _listeners: listeners });
    }
}

/// The browser's `RTCIceServer` dictionary for one server the signaling server handed out.
fn rtc_ice_server(server: &IceServer) -> RtcIceServer {
    let rtc = RtcIceServer::new();
    let urls: js_sys::Array = server.urls.iter().map(|url| JsValue::from_str(url)).collect();
    rtc.set_urls(&urls);
    if let Some(username) = &server.username {
        rtc.set_username(username);
    }
    if let Some(credential) = &server.credential {
        rtc.set_credential(credential);
    }
    rtc
}

/// Lets a promise run to its end; its outcome does not matter here.
fn settle(promise: js_sys::Promise) {
    spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}

fn to_payload(json: &JsValue) -> Option<Payload> {
    let text = js_sys::JSON::stringify(json).ok()?.as_string()?;
    serde_json::value::RawValue::from_string(text).ok()
}

/// Reads the selected candidate pair from the stats: relayed if our end is a TURN relay.
async fn selected_route(connection: &RtcPeerConnection) -> Option<Route> {
    let report: js_sys::Map = JsFuture::from(connection.get_stats()).await.ok()?.unchecked_into();
    let field = |stat: &JsValue, key: &str| js_sys::Reflect::get(stat, &key.into()).ok();
    let mut pair_id = None;
    report.for_each(&mut |stat, _| {
        if field(&stat, "type").and_then(|t| t.as_string()).as_deref() == Some("transport") {
            pair_id = field(&stat, "selectedCandidatePairId").filter(|id| id.is_string());
        }
    });
    let pair = report.get(&pair_id?);
    let local = report.get(&field(&pair, "localCandidateId")?);
    let kind = field(&local, "candidateType")?.as_string()?;
    Some(if kind == "relay" { Route::Relayed } else { Route::Direct })
}
