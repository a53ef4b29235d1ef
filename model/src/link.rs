//! The connection to one peer as people see it: how far it has come, which path it took,
//! and what the peer's app understands.

use crate::i18n::{Lang, K};
use crate::peer_app::PeerApp;

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

/// Why a peer could not be reached, once connecting has taken too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// No direct path, and no TURN relay was handed out.
    NoRelay,
    /// No direct path, and the relay turned us away (wrong credentials, or it is down).
    RelayRefused,
    /// No direct path, and the relay gave us an address but could not connect the two.
    RelayFailed,
}

/// What ICE found out about the relay of one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RelayReport {
    /// A TURN server was handed out.
    pub configured: bool,
    /// It gave us a relay address (a relay candidate was gathered).
    pub gathered: bool,
}

impl RelayReport {
    /// Why the peer is out of reach, given what the relay did.
    pub fn verdict(self) -> Unreachable {
        match (self.configured, self.gathered) {
            (false, _) => Unreachable::NoRelay,
            (true, false) => Unreachable::RelayRefused,
            (true, true) => Unreachable::RelayFailed,
        }
    }
}

impl Unreachable {
    /// What the conversation says, in words.
    pub fn explain(self, lang: Lang, peer: &str) -> String {
        let why = lang.get(match self {
            Unreachable::NoRelay => K::NoRelay,
            Unreachable::RelayRefused => K::RelayRefused,
            Unreachable::RelayFailed => K::RelayFailed,
        });
        lang.fill(K::CantReach, &[("peer", peer), ("why", why)])
    }
}

/// What is known of the connection to one peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeerStatus {
    /// `None`: no connection yet.
    pub link: Option<LinkState>,
    /// Known once connected.
    pub route: Option<Route>,
    /// A chat channel is open.
    pub chat_open: bool,
    /// What the peer's app understands.
    pub app: PeerApp,
    /// Our `hello` went to this peer on this connection.
    pub greeted: bool,
    /// What the relay did for this connection.
    pub relay: RelayReport,
    /// Connecting took too long: why the peer is out of reach (cleared once connected).
    pub unreachable: Option<Unreachable>,
    /// Which attempt to connect this is, so a late verdict on an earlier one is ignored.
    pub attempt: u32,
}

impl PeerStatus {
    /// A closed connection: whoever comes back under the name may run another app.
    pub fn closed() -> Self {
        PeerStatus { link: Some(LinkState::Closed), ..PeerStatus::default() }
    }

    /// Whether the chat is up over a connection that works, so a call can start. A lost
    /// connection counts as down even before its channel notices.
    pub fn usable(&self) -> bool {
        self.chat_open && self.link == Some(LinkState::Connected)
    }

    /// A stable word for styling and tests.
    pub fn key(status: Option<&PeerStatus>) -> &'static str {
        if status.is_some_and(|s| s.unreachable.is_some()) {
            return "unreachable";
        }
        match status.and_then(|s| s.link) {
            None => "none",
            Some(LinkState::Disconnected | LinkState::Failed) => "reconnecting",
            Some(LinkState::Closed) => "closed",
            Some(_) if status.is_some_and(|s| s.chat_open) => "connected",
            Some(_) => "connecting",
        }
    }

    /// The words a person reads.
    pub fn describe(status: Option<&PeerStatus>, lang: Lang) -> String {
        let route = match status.and_then(|s| s.route) {
            Some(Route::Direct) => lang.get(K::RouteDirect),
            Some(Route::Relayed) => lang.get(K::RouteRelayed),
            None => "",
        };
        let key = match PeerStatus::key(status) {
            "none" => K::NotConnected,
            "connected" => return lang.fill(K::Connected, &[("route", route)]),
            "connecting" => K::LinkConnecting,
            "reconnecting" => K::LinkReconnecting,
            "unreachable" => K::CantReachShort,
            _ => K::LinkClosed,
        };
        lang.get(key).to_owned()
    }
}
