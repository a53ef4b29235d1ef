//! `PeerLink`: one RTCPeerConnection to one remote user, with its chat channels, its media
//! senders and glare-free negotiation; what the peer says on a chat channel goes to one
//! callback, everything else the connection sees to another.

mod chat_channels;
mod negotiator;
mod route;
mod senders;

use crate::i18n::{t, K};
use crate::web::Listener;
use chat_channels::ChatChannels;
use natter_model::link::{LinkState, Route};
use natter_model::negotiation::Negotiation;
use natter_protocol::{IceServer, Payload};
use negotiator::Negotiator;
use senders::Senders;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcCertificate, RtcConfiguration, RtcDataChannel, RtcIceServer,
    RtcPeerConnection,
};

/// What a link reports to its owner.
pub enum LinkEvent {
    /// A negotiation message to relay to the peer through the signaling server.
    Signal(LinkSignal),
    /// The connection state changed.
    State(LinkState),
    /// The selected path is known, or changed.
    Route(Route),
    /// A TURN server gave us a relay address.
    RelayGathered,
    /// The peer's certificate fingerprint, from its offer or answer: who it is.
    Identity(String),
    /// A chat channel is open: queued messages can go. `peer_protocol` is the sub-protocol
    /// of a channel the peer opened (`None` for ours): natter's tells who the peer is.
    ChatOpen { peer_protocol: Option<String> },
    /// No chat channel is open any more.
    ChatClosed,
    /// The peer sends a media track (a call).
    Track(MediaStreamTrack),
    /// The peer opened a data channel other than the chat's (a file's bytes).
    Channel(RtcDataChannel),
}

/// A negotiation message for the peer.
pub enum LinkSignal {
    /// An offer or answer (`RTCSessionDescriptionInit`).
    Description { offer: bool, description: Payload },
    /// A trickled ICE candidate.
    Candidate(Payload),
}

/// Why a text did not go out on the chat channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// No chat channel is open: the text waits for one.
    NotOpen,
    /// The open channel refused this text (too large, or closing under it).
    Refused,
}

/// One peer connection; dropping it closes the connection.
pub struct PeerLink {
    negotiator: Rc<Negotiator>,
    chat: Rc<ChatChannels>,
    senders: Senders,
    /// Bytes sent on this connection's file channels (see `file_channel::Outlet::room`).
    file_bytes_sent: Rc<Cell<u64>>,
    _listeners: Vec<Listener>,
}

impl PeerLink {
    /// A new connection with the given ICE servers and our `certificate`; nothing is sent
    /// until [`Self::open_chat`] or a remote offer. `polite` decides who yields when both
    /// offer at once. Each text from the peer's chat channel goes to `hear`, what else
    /// happens to `report`.
    pub fn new(
        polite: bool,
        ice_servers: &[IceServer],
        certificate: Option<&RtcCertificate>,
        hear: impl Fn(String) + 'static,
        report: impl Fn(LinkEvent) + 'static,
    ) -> Result<Self, String> {
        let config = RtcConfiguration::new();
        config.set_ice_servers(&rtc_ice_servers(ice_servers));
        // Our identity: the same certificate for every connection.
        if let Some(certificate) = certificate {
            config.set_certificates(&js_sys::Array::of1(certificate));
        }
        let connection = RtcPeerConnection::new_with_configuration(&config)
            .map_err(|_| t(K::NoPeerConnection).to_owned())?;
        let report: Rc<dyn Fn(LinkEvent)> = Rc::new(report);
        let chat = Rc::new(ChatChannels::new(Rc::new(hear), report.clone()));
        let negotiator = Rc::new(Negotiator {
            connection: connection.clone(),
            negotiation: RefCell::new(Negotiation::new(polite)),
            report,
            pair_changes: RefCell::default(),
        });
        let listeners = Negotiator::listen(&negotiator, &chat);
        Ok(PeerLink {
            negotiator,
            chat,
            senders: Senders::new(connection),
            file_bytes_sent: Rc::default(),
            _listeners: listeners,
        })
    }

    /// Opens the chat channel from this side (the click on a user); negotiation follows.
    pub fn open_chat(&self) {
        self.chat.open(&self.negotiator.connection);
    }

    /// Whether a chat channel exists (open or opening), so no second one is needed.
    pub fn has_chat(&self) -> bool {
        self.chat.exists()
    }

    /// Closes the chat channels, the connection staying; returns whether one was open.
    pub fn close_chat(&self) -> bool {
        self.chat.close()
    }

    /// Sends text on an open chat channel.
    pub fn send_text(&self, text: &str) -> Result<(), SendError> {
        self.chat.send(text)
    }

    /// Opens an ordered, reliable data channel labelled `label` beside the chat's.
    pub fn open_channel(&self, label: &str) -> RtcDataChannel {
        self.negotiator.connection.create_data_channel(label)
    }

    /// The count of bytes sent on this connection's file channels, for their senders.
    pub fn file_bytes_sent(&self) -> Rc<Cell<u64>> {
        self.file_bytes_sent.clone()
    }

    /// New STUN and TURN servers (fresh credentials) for the next ICE gathering.
    pub fn set_ice_servers(&self, ice_servers: &[IceServer]) {
        negotiator::set_ice_servers(&self.negotiator.connection, &rtc_ice_servers(ice_servers));
    }

    /// Handles a remote offer or answer.
    pub fn receive_description(&self, description: &Payload) {
        self.negotiator.receive_description(description);
    }

    /// Whether `description` comes from another connection than the peer's so far: its
    /// page was replaced, and this connection leads nowhere any more.
    pub fn is_other_session(&self, description: &Payload) -> bool {
        self.negotiator.is_other_session(description)
    }

    /// Handles a remote ICE candidate, queued until the remote description is applied.
    pub fn receive_candidate(&self, candidate: &Payload) {
        self.negotiator.receive_candidate(candidate);
    }

    /// Sends every track of `stream` (a call starts); negotiation follows.
    pub fn add_media(&self, stream: &MediaStream) {
        self.senders.add_media(stream);
    }

    /// Sends `track` as our video, in place of the current one (see [`Senders::send_video`]).
    pub fn send_video(&self, track: &MediaStreamTrack, stream: Option<&MediaStream>) {
        self.senders.send_video(track, stream);
    }

    /// Sends no video any more, keeping the sender for a later track.
    pub fn stop_video(&self) {
        self.senders.stop_video();
    }

    /// Stops sending every track of the call; negotiation follows.
    pub fn remove_media(&self) {
        self.senders.remove_media();
    }
}

impl Drop for PeerLink {
    fn drop(&mut self) {
        self.chat.forget();
        self.negotiator.connection.close();
    }
}

/// The browser's `RTCIceServer` dictionaries for the servers the signaling server handed out.
fn rtc_ice_servers(servers: &[IceServer]) -> js_sys::Array {
    servers.iter().map(rtc_ice_server).collect()
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
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}
