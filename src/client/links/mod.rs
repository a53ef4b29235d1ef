//! The links part: one `PeerLink` per peer, what each connection is doing, and what each
//! peer's app understands (learnt from its chat channel and its `hello`: `apps`).

mod apps;

use super::events::{Dispatch, Event};
use crate::state::ChatState;
use crate::web::drop_later;
use crate::web::peer_link::{LinkEvent, LinkSignal, PeerLink};
use leptos::prelude::*;
use natter_model::link::{LinkState, PeerStatus, RelayReport};
use natter_model::negotiation::is_polite;
use natter_model::per_peer::PerPeer;
use natter_protocol::{ClientMessage, IceServer, Payload};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use web_sys::{MediaStreamTrack, RtcCertificate, RtcDataChannel};

/// How long the polite side of a pair waits before reconnecting unasked.
const POLITE_WAIT: Duration = Duration::from_secs(2);
/// How long a new connection may take before the peer is said to be out of reach. ICE
/// itself keeps checking far longer (tens of seconds) before it gives up.
const REACH_TIMEOUT: Duration = Duration::from_secs(12);

/// What a connection reported that other parts must hear of.
pub enum FromLink {
    /// A negotiation message for the signaling server.
    Relay(ClientMessage),
    /// The connection is gone for good or for now; transfers over it cannot go on.
    Lost,
    /// A chat channel opened; `resend` when lines sent earlier may have been lost.
    ChatOpen { resend: bool },
    /// No chat channel is open any more.
    ChatClosed,
    /// The peer's certificate fingerprint, from its offer or answer.
    Identity(String),
    /// A media track arrived (a call).
    Track(MediaStreamTrack),
    /// The peer opened a file's data channel.
    FileChannel(RtcDataChannel),
    /// Nothing for the other parts.
    Nothing,
}

/// The peer connections.
pub struct Links {
    state: ChatState,
    dispatch: Dispatch,
    links: RefCell<PerPeer<PeerLink>>,
    me: RefCell<String>,
    ice_servers: RefCell<Vec<IceServer>>,
    /// Where an answer or candidate without a sender goes (the classic server omits it).
    last_offer_to: RefCell<Option<String>>,
    /// Counts the attempts to connect, so that each connection's deadline is its own.
    attempts: Cell<u32>,
    /// Our identity, for every connection.
    certificate: RefCell<Option<RtcCertificate>>,
}

impl Links {
    /// No connection yet.
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        Links {
            state,
            dispatch,
            links: RefCell::default(),
            me: RefCell::default(),
            ice_servers: RefCell::default(),
            last_offer_to: RefCell::default(),
            attempts: Cell::new(0),
            certificate: RefCell::default(),
        }
    }

    /// Our identity: every connection from now on presents this certificate.
    pub fn set_certificate(&self, certificate: Option<RtcCertificate>) {
        *self.certificate.borrow_mut() = certificate;
    }

    /// Logged in as `me`: new connections use `ice_servers`.
    pub fn start(&self, me: String, ice_servers: Vec<IceServer>) {
        *self.me.borrow_mut() = me;
        self.refresh(ice_servers);
    }

    /// Fresh ICE servers (TURN credentials): for new connections, and for the next
    /// gathering of those under way.
    pub fn refresh(&self, ice_servers: Vec<IceServer>) {
        for link in self.links.borrow().values() {
            link.set_ice_servers(&ice_servers);
        }
        *self.ice_servers.borrow_mut() = ice_servers;
    }

    /// Attempt `attempt` to reach `peer` has had its time: if it has not connected, says
    /// why the peer is out of reach (ICE may still get through later).
    pub fn reach_due(&self, peer: &str, attempt: u32) {
        let status = self.state.peer(peer);
        let stuck = status.attempt == attempt && status.link == Some(LinkState::Connecting);
        if stuck && self.state.is_online(peer) {
            self.update(peer, |status| status.unreachable = Some(status.relay.verdict()));
        }
    }

    /// The peers we have a connection with.
    pub fn peers(&self) -> Vec<String> {
        self.links.borrow().names().map(str::to_owned).collect()
    }

    /// Opens a chat channel to `peer` unless one is open or opening; `Err` says why not.
    pub fn open_chat(&self, peer: &str) -> Result<(), String> {
        self.with_link(peer, |link| {
            if !link.has_chat() {
                link.open_chat();
            }
        })
    }

    /// A remote offer or answer from `peer`; an offer may start the connection.
    pub fn receive_description(&self, peer: &str, description: &Payload) -> Result<(), String> {
        self.with_link(peer, |link| link.receive_description(description))
    }

    /// Whether an offer from `peer` comes from another page than our connection's (see
    /// [`PeerLink::is_other_session`]).
    pub fn is_other_session(&self, peer: &str, offer: &Payload) -> bool {
        self.with_existing(peer, |link| link.is_other_session(offer)).unwrap_or(false)
    }

    /// A remote ICE candidate from `peer`.
    pub fn receive_candidate(&self, peer: &str, candidate: &Payload) {
        if let Some(link) = self.links.borrow().get(peer) {
            link.receive_candidate(candidate);
        }
    }

    /// The peer an unnamed answer, candidate or leave comes from: the only one, or the last
    /// one offered to.
    pub fn sender_unnamed(&self) -> Option<String> {
        let links = self.links.borrow();
        match links.len() {
            1 => links.names().next().map(str::to_owned),
            _ => self.last_offer_to.borrow().clone(),
        }
    }

    /// Runs `act` on the connection to `peer`, if there is one.
    pub fn with_existing<R>(&self, peer: &str, act: impl FnOnce(&PeerLink) -> R) -> Option<R> {
        self.links.borrow().get(peer).map(act)
    }

    /// Opens a data channel labelled `label` to `peer`.
    pub fn open_channel(&self, peer: &str, label: &str) -> Option<RtcDataChannel> {
        self.with_existing(peer, |link| link.open_channel(label))
    }

    /// The count of file bytes sent on the connection to `peer`.
    pub fn file_bytes_sent(&self, peer: &str) -> Rc<Cell<u64>> {
        self.with_existing(peer, PeerLink::file_bytes_sent).unwrap_or_default()
    }

    /// Closes the connection to `peer`; whoever comes back under that name starts afresh.
    pub fn close(&self, peer: &str) {
        if let Some(link) = self.links.borrow_mut().remove(peer) {
            // Its listeners may be running this very call.
            drop_later(link);
        }
        self.update(peer, |status| *status = PeerStatus::closed());
    }

    /// Closes the chat channels to `peer`, leaving the connection to the page's end: a
    /// classic client takes a closed channel quietly, but alerts when the connection closes
    /// while its channel is open. Returns whether a channel was open.
    pub fn close_quietly(&self, peer: &str) -> bool {
        self.with_existing(peer, PeerLink::close_chat).unwrap_or(false)
    }

    /// Whether `peer` is gone for a transfer: the connection failed, or it stopped
    /// answering and the peer left the server too (a closed page never closes its
    /// channels on our side; only ICE notices, after seconds).
    pub fn is_lost(&self, peer: &str) -> bool {
        match self.state.peer(peer).link {
            Some(LinkState::Failed | LinkState::Closed) => true,
            Some(LinkState::Disconnected) => !self.state.is_online(peer),
            _ => false,
        }
    }

    /// Whether there is a connection to `peer` that is not up: one that went down, or one
    /// still waiting for an answer.
    pub fn is_down(&self, peer: &str) -> bool {
        let link = self.state.peer(peer).link;
        link.is_some() && link != Some(LinkState::Connected)
    }

    /// Whether to connect to `peer` now, unasked (history read back, a peer back in the
    /// room). Both sides may do so at the same moment, and Chromium can come out of a
    /// collision of first offers with no candidates on the side that yielded: the polite
    /// side waits a little ([`Event::ReconnectDue`]) and goes only if nothing connected.
    pub fn unasked_now(&self, peer: &str) -> bool {
        if !is_polite(&self.me.borrow(), peer) {
            return true;
        }
        self.dispatch.later(Event::ReconnectDue { peer: peer.to_owned() }, POLITE_WAIT);
        false
    }

    /// Whether there is a connection to `peer`, in any state.
    pub fn has(&self, peer: &str) -> bool {
        self.links.borrow().get(peer).is_some()
    }

    /// What the connection to `peer` reported.
    pub fn on_event(&self, peer: &str, event: LinkEvent) -> FromLink {
        match event {
            LinkEvent::Signal(signal) => return FromLink::Relay(self.relay(peer, signal)),
            LinkEvent::State(link) => {
                self.update(peer, |status| {
                    status.link = Some(link);
                    if link == LinkState::Connected {
                        status.unreachable = None;
                    }
                });
                if self.is_lost(peer) {
                    return FromLink::Lost;
                }
            }
            LinkEvent::Route(route) => self.update(peer, |status| status.route = Some(route)),
            LinkEvent::RelayGathered => self.update(peer, |status| status.relay.gathered = true),
            LinkEvent::ChatOpen { peer_protocol } => return self.chat_opened(peer, peer_protocol),
            LinkEvent::ChatClosed => {
                self.update(peer, |status| status.chat_open = false);
                return FromLink::ChatClosed;
            }
            LinkEvent::Track(track) => return FromLink::Track(track),
            LinkEvent::Identity(fingerprint) => return FromLink::Identity(fingerprint),
            LinkEvent::Channel(channel) => return FromLink::FileChannel(channel),
        }
        FromLink::Nothing
    }

    fn relay(&self, peer: &str, signal: LinkSignal) -> ClientMessage {
        let name = peer.to_owned();
        match signal {
            LinkSignal::Description { offer: true, description } => {
                *self.last_offer_to.borrow_mut() = Some(name.clone());
                ClientMessage::Offer { name, offer: description }
            }
            LinkSignal::Description { offer: false, description } => {
                ClientMessage::Answer { name, answer: description }
            }
            LinkSignal::Candidate(candidate) => ClientMessage::Candidate { name, candidate },
        }
    }

    /// Runs `act` on the link to `peer`, creating the link first if there is none.
    fn with_link(&self, peer: &str, act: impl FnOnce(&PeerLink)) -> Result<(), String> {
        if self.links.borrow().get(peer).is_none() {
            let (hears, reports) = (self.dispatch.clone(), self.dispatch.clone());
            let (speaker, owner) = (peer.to_owned(), peer.to_owned());
            let link = PeerLink::new(
                is_polite(&self.me.borrow(), peer),
                &self.ice_servers.borrow(),
                self.certificate.borrow().as_ref(),
                // What the peer says is for the messaging part: it does not pass through here.
                move |text| hears.send(Event::Text { peer: speaker.clone(), text }),
                move |event| reports.send(Event::Link { peer: owner.clone(), event }),
            )?;
            self.links.borrow_mut().insert(peer, link);
            let attempt = self.attempts.get().wrapping_add(1);
            self.attempts.set(attempt);
            let configured = self.ice_servers.borrow().iter().any(|server| {
                server.urls.iter().any(|url| url.starts_with("turn:") || url.starts_with("turns:"))
            });
            self.update(peer, |status| {
                *status = PeerStatus {
                    link: Some(LinkState::Connecting),
                    relay: RelayReport { configured, gathered: false },
                    attempt,
                    ..PeerStatus::default()
                }
            });
            let due = Event::ReachDue { peer: peer.to_owned(), attempt };
            self.dispatch.later(due, REACH_TIMEOUT);
        }
        self.with_existing(peer, act);
        Ok(())
    }

    pub(super) fn update<R>(&self, peer: &str, change: impl FnOnce(&mut PeerStatus) -> R) -> R {
        change(self.state.peers.write().get_or_default(peer))
    }
}
