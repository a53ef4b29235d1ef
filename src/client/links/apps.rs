//! What each peer's app understands: natter or the classic client, and what its `hello`
//! lists; our own `hello`, once per connection.

use super::{FromLink, Links};
use crate::client::events::Event;
use crate::client::outlet::PeerOutlet;
use crate::web::page::mark;
use crate::web::peer_link::SendError;
use leptos::prelude::*;
use natter_model::peer_app::{PeerApp, OUR_FEATURES};
use natter_protocol::{PeerMessage, CHAT_CHANNEL_PROTOCOL};
use std::time::Duration;

/// How long the chat channel we opened waits for a natter peer's `hello`; a peer silent
/// that long is a classic client. A natter peer answers within a round trip.
const HELLO_WAIT: Duration = Duration::from_secs(3);

impl Links {
    /// The peer showed it is natter (a typed message, an ack, a line with an id); returns
    /// whether that is news, which makes unacknowledged lines worth resending.
    pub fn heard_natter(&self, peer: &str) -> bool {
        let news = self.update(peer, |status| status.app.seen_natter());
        self.greet(peer);
        news
    }

    /// The peer's `hello`.
    pub fn heard_hello(&self, peer: &str, features: &[String]) {
        self.update(peer, |status| status.app.hello(features));
        self.greet(peer);
    }

    /// The chat channel we opened has been up a while: a peer that said nothing natter
    /// would is a classic client.
    pub fn hello_due(&self, peer: &str) {
        self.update(peer, |status| status.app.stayed_silent());
    }

    pub(super) fn chat_opened(&self, peer: &str, peer_protocol: Option<String>) -> FromLink {
        mark(&format!("natter:open:{peer}"));
        self.update(peer, |status| {
            status.chat_open = true;
            if let Some(protocol) = &peer_protocol {
                status.app.peer_opened_channel(protocol == CHAT_CHANNEL_PROTOCOL);
            }
        });
        if peer_protocol.is_none() && self.app(peer) == PeerApp::Unknown {
            self.dispatch.later(Event::HelloDue { peer: peer.to_owned() }, HELLO_WAIT);
        }
        self.greet(peer);
        // Lines sent on an earlier channel may have been lost with it.
        FromLink::ChatOpen { resend: self.app(peer).acks() }
    }

    /// Sends our `hello` to a natter peer, once per connection.
    fn greet(&self, peer: &str) {
        let status = self.state.peer(peer);
        if !(status.app.is_natter() && status.chat_open && !status.greeted) {
            return;
        }
        let features = OUR_FEATURES.iter().map(|&f| f.to_owned()).collect();
        if self.send(peer, &PeerMessage::Hello { features }) {
            self.update(peer, |status| status.greeted = true);
        }
    }
}

impl PeerOutlet for Links {
    fn app(&self, peer: &str) -> PeerApp {
        self.state.peer(peer).app
    }

    fn identity(&self, peer: &str) -> Option<String> {
        self.state.identities.with_untracked(|all| all.get(peer).map(|i| i.fingerprint.clone()))
    }

    fn send_line(&self, peer: &str, text: &str) -> Result<(), SendError> {
        self.with_existing(peer, |link| link.send_text(text)).unwrap_or(Err(SendError::NotOpen))
    }

    fn send(&self, peer: &str, message: &PeerMessage) -> bool {
        self.app(peer).is_natter() && self.send_line(peer, &message.to_json()).is_ok()
    }
}
