//! The connection's own events: perfect negotiation (W3C WebRTC §10.7) over the signaling
//! server, ICE candidates both ways, state changes with an ICE restart on failure, and the
//! channels and tracks the peer adds.

use super::chat_channels::ChatChannels;
use super::route::selected_route;
use super::{settle, LinkEvent, LinkSignal};
use crate::web::Listener;
use natter_model::identity::fingerprint_from_sdp;
use natter_model::link::LinkState;
use natter_model::negotiation::{Negotiation, Verdict};
use natter_protocol::{Payload, CHAT_CHANNEL_LABEL};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    RtcDataChannelEvent, RtcIceCandidateInit, RtcPeerConnection, RtcPeerConnectionIceEvent,
    RtcPeerConnectionState, RtcSessionDescriptionInit, RtcSignalingState, RtcTrackEvent,
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
    #[wasm_bindgen(method, getter)]
    fn sctp(this: &PeerConnectionExtras) -> Option<SctpTransport>;

    /// `RTCSctpTransport`, for the ICE transport under it.
    type SctpTransport;
    #[wasm_bindgen(method, getter)]
    fn transport(this: &SctpTransport) -> DtlsTransport;
    /// `RTCDtlsTransport`.
    type DtlsTransport;
    #[wasm_bindgen(method, getter, js_name = iceTransport)]
    fn ice_transport(this: &DtlsTransport) -> IceTransport;
    /// `RTCIceTransport`, which says when ICE moves to another candidate pair.
    #[derive(Clone)]
    type IceTransport;
    #[wasm_bindgen(method, setter = onselectedcandidatepairchange)]
    fn set_onselectedcandidatepairchange(this: &IceTransport, handler: Option<&js_sys::Function>);
}

fn extras(connection: &RtcPeerConnection) -> &PeerConnectionExtras {
    connection.unchecked_ref()
}

/// The connection and its negotiation state.
pub(super) struct Negotiator {
    pub connection: RtcPeerConnection,
    pub negotiation: RefCell<Negotiation<JsValue>>,
    pub report: Rc<dyn Fn(LinkEvent)>,
    /// Hears ICE move to another candidate pair (once the connection has an ICE transport).
    pub pair_changes: RefCell<Option<Listener>>,
}

impl Negotiator {
    /// Listens to the connection; the listeners hold `this` and `chat` weakly.
    pub fn listen(this: &Rc<Self>, chat: &Rc<ChatChannels>) -> Vec<Listener> {
        let connection = &this.connection;
        let on = |handler: fn(&Rc<Negotiator>, JsValue)| {
            let weak = Rc::downgrade(this);
            move |event: JsValue| {
                if let Some(negotiator) = weak.upgrade() {
                    handler(&negotiator, event);
                }
            }
        };
        let chat: Weak<ChatChannels> = Rc::downgrade(chat);
        let report = this.report.clone();
        let remote_channel = move |event: JsValue| {
            let channel = event.unchecked_into::<RtcDataChannelEvent>().channel();
            match chat.upgrade() {
                Some(chat) if channel.label() == CHAT_CHANNEL_LABEL => chat.adopt(channel, true),
                _ => report(LinkEvent::Channel(channel)),
            }
        };
        vec![
            Listener::new(connection, RtcPeerConnection::set_onnegotiationneeded, on(Self::offer)),
            Listener::new(connection, RtcPeerConnection::set_onicecandidate, on(Self::candidate)),
            Listener::new(
                connection,
                RtcPeerConnection::set_onconnectionstatechange,
                on(Self::state_changed),
            ),
            Listener::new(connection, RtcPeerConnection::set_ondatachannel, remote_channel),
            Listener::new(connection, RtcPeerConnection::set_ontrack, on(Self::track)),
            Listener::new(
                connection,
                RtcPeerConnection::set_oniceconnectionstatechange,
                on(Self::ice_state_changed),
            ),
        ]
    }

    /// Handles a remote offer or answer.
    pub fn receive_description(self: &Rc<Self>, description: &Payload) {
        let Ok(description) = js_sys::JSON::parse(description.get()) else { return };
        let field = |key: &str| js_sys::Reflect::get(&description, &key.into()).ok()?.as_string();
        let is_offer = field("type").is_some_and(|kind| kind == "offer");
        let sdp = field("sdp").unwrap_or_default();
        if let Some(identity) = fingerprint_from_sdp(&sdp) {
            (self.report)(LinkEvent::Identity(identity));
        }
        self.negotiation.borrow_mut().note_session(&sdp);
        let stable = self.connection.signaling_state() == RtcSignalingState::Stable;
        let verdict = self.negotiation.borrow_mut().receive_description(is_offer, stable);
        if verdict == Verdict::Ignore {
            return;
        }
        let this = self.clone();
        spawn_local(async move {
            let description: RtcSessionDescriptionInit = description.unchecked_into();
            if JsFuture::from(this.connection.set_remote_description(&description)).await.is_err() {
                return;
            }
            let queued = this.negotiation.borrow_mut().remote_description_applied();
            for candidate in queued {
                this.add_candidate(candidate);
            }
            if is_offer
                && JsFuture::from(extras(&this.connection).set_local_description()).await.is_ok()
            {
                this.send_local_description(false);
            }
        });
    }

    /// Whether `description` comes from another remote connection than this one's.
    pub fn is_other_session(&self, description: &Payload) -> bool {
        let Ok(description) = js_sys::JSON::parse(description.get()) else { return false };
        let sdp =
            js_sys::Reflect::get(&description, &"sdp".into()).ok().and_then(|s| s.as_string());
        sdp.is_some_and(|sdp| self.negotiation.borrow().is_other_session(&sdp))
    }

    /// Handles a remote ICE candidate, queued until the remote description is applied.
    pub fn receive_candidate(&self, candidate: &Payload) {
        let Ok(candidate) = js_sys::JSON::parse(candidate.get()) else { return };
        let ready = self.negotiation.borrow_mut().receive_candidate(candidate);
        if let Some(candidate) = ready {
            self.add_candidate(candidate);
        }
    }

    fn offer(this: &Rc<Self>, _: JsValue) {
        let this = this.clone();
        spawn_local(async move {
            this.negotiation.borrow_mut().set_making_offer(true);
            let made = JsFuture::from(extras(&this.connection).set_local_description()).await;
            if made.is_ok() {
                this.send_local_description(true);
            }
            this.negotiation.borrow_mut().set_making_offer(false);
        });
    }

    fn send_local_description(&self, offer: bool) {
        let Some(local) = self.connection.local_description() else { return };
        if let Some(description) = to_payload(&local.to_json()) {
            (self.report)(LinkEvent::Signal(LinkSignal::Description { offer, description }));
        }
    }

    fn candidate(this: &Rc<Self>, event: JsValue) {
        let event: RtcPeerConnectionIceEvent = event.unchecked_into();
        // A null candidate only marks the end of gathering.
        let Some(candidate) = event.candidate() else { return };
        // `candidate:… typ relay …`: the word after `typ` (no substring search: its
        // generic code weighs more than this).
        let line = candidate.candidate();
        if line.split(' ').skip_while(|word| *word != "typ").nth(1) == Some("relay") {
            (this.report)(LinkEvent::RelayGathered);
        }
        if let Some(candidate) = to_payload(&candidate.to_json()) {
            (this.report)(LinkEvent::Signal(LinkSignal::Candidate(candidate)));
        }
    }

    fn add_candidate(&self, candidate: JsValue) {
        let candidate: RtcIceCandidateInit = candidate.unchecked_into();
        // Candidates of an offer we ignored fail to add: expected, so the rejection is consumed.
        settle(self.connection.add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&candidate)));
    }

    fn state_changed(this: &Rc<Self>, _: JsValue) {
        let state = match this.connection.connection_state() {
            RtcPeerConnectionState::Connected => LinkState::Connected,
            RtcPeerConnectionState::Disconnected => LinkState::Disconnected,
            RtcPeerConnectionState::Failed => LinkState::Failed,
            RtcPeerConnectionState::Closed => LinkState::Closed,
            _ => LinkState::Connecting,
        };
        (this.report)(LinkEvent::State(state));
        if state == LinkState::Failed {
            extras(&this.connection).restart_ice();
        }
    }

    /// ICE connected (again, after a restart): reads the path it took, and from then on
    /// hears when it moves to another one.
    fn ice_state_changed(this: &Rc<Self>, _: JsValue) {
        use web_sys::RtcIceConnectionState::{Completed, Connected};
        if !matches!(this.connection.ice_connection_state(), Connected | Completed) {
            return;
        }
        Self::read_route(this, JsValue::NULL);
        if this.pair_changes.borrow().is_some() {
            return;
        }
        let Some(sctp) = extras(&this.connection).sctp() else { return };
        let ice = sctp.transport().ice_transport();
        let weak = Rc::downgrade(this);
        let listener = Listener::new(&ice, IceTransport::set_onselectedcandidatepairchange, {
            move |event| {
                if let Some(this) = weak.upgrade() {
                    Self::read_route(&this, event);
                }
            }
        });
        *this.pair_changes.borrow_mut() = Some(listener);
    }

    fn read_route(this: &Rc<Self>, _: JsValue) {
        let weak = Rc::downgrade(this);
        spawn_local(async move {
            let Some(this) = weak.upgrade() else { return };
            if let Some(route) = selected_route(&this.connection).await {
                (this.report)(LinkEvent::Route(route));
            }
        });
    }

    fn track(this: &Rc<Self>, event: JsValue) {
        let track = event.unchecked_into::<RtcTrackEvent>().track();
        (this.report)(LinkEvent::Track(track));
    }
}

/// Hands the connection new STUN and TURN servers (fresh credentials): the next gathering
/// uses them. The rest of the configuration stays: a configuration without the
/// connection's certificate would be refused.
pub(super) fn set_ice_servers(connection: &RtcPeerConnection, servers: &js_sys::Array) {
    let config = connection.get_configuration();
    config.set_ice_servers(servers);
    let _ = connection.set_configuration_with_configuration(&config);
}

fn to_payload(json: &JsValue) -> Option<Payload> {
    let text = js_sys::JSON::stringify(json).ok()?.as_string()?;
    Payload::new(&text)
}
