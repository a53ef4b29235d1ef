//! The dispatcher's routing: every [`Event`] goes to the part that owns it, and what a
//! part reports back goes on to the parts that must hear of it.

use super::chat::Heard;
use super::events::{Engine, Event};
use super::links::FromLink;
use super::outlet::PeerOutlet;
use super::signaling::FromServer;
use super::ChatClient;
use crate::web::peer_link::LinkEvent;
use natter_protocol::{file_channel_label, PeerMessage};

impl ChatClient {
    fn on_server(&self, said: FromServer) {
        let unnamed = |from: Option<String>| from.or_else(|| self.links.sender_unnamed());
        match said {
            FromServer::LoggedIn { me, ice_servers } => self.links.start(me, ice_servers),
            FromServer::IceServers(ice_servers) => self.links.refresh(ice_servers),
            FromServer::Left(peer) => self.peer_left(&peer),
            FromServer::Offer { from, offer } => {
                if let Err(problem) = self.links.receive_description(&from, &offer) {
                    self.state.notify(problem);
                }
            }
            FromServer::Answer { from, answer } => {
                if let Some(peer) = unnamed(from) {
                    self.links.with_existing(&peer, |link| link.receive_description(&answer));
                }
            }
            FromServer::Candidate { from, candidate } => {
                if let Some(peer) = unnamed(from) {
                    self.links.receive_candidate(&peer, &candidate);
                }
            }
            FromServer::Leave { from } => {
                if let Some(peer) = unnamed(from) {
                    self.close_peer(&peer);
                }
            }
            FromServer::Nothing => {}
        }
    }

    /// `peer` left the server. Its page may still be reachable directly: an open chat
    /// stays, a connection without one closes.
    fn peer_left(&self, peer: &str) {
        if !self.state.peer(peer).chat_open {
            self.close_peer(peer);
        } else if self.links.is_lost(peer) {
            self.files.peer_gone(peer);
        }
    }

    fn on_link(&self, peer: &str, event: LinkEvent) {
        match self.links.on_event(peer, event) {
            FromLink::Relay(message) => self.signaling.relay(message),
            FromLink::Lost => self.files.peer_gone(peer),
            FromLink::ChatOpen { resend } => self.chat.flush(peer, resend, &self.links),
            FromLink::ChatClosed => {
                self.files.peer_gone(peer);
                if !self.state.is_online(peer) {
                    self.close_peer(peer);
                }
            }
            FromLink::Text(text) => {
                if self.chat.queue(peer, text) {
                    self.read_inbox();
                }
            }
            FromLink::Track(track) => self.calls.on_track(peer, &track),
            FromLink::FileChannel(channel) => self.files.peer_channel(peer, channel),
            FromLink::Nothing => {}
        }
    }

    // Called from every event: inlined, its whole call tree would be in the download twice.
    #[inline(never)]
    fn read_inbox(&self) {
        for (peer, text) in self.chat.take_inbox() {
            self.hear(&peer, &text);
        }
    }

    fn hear(&self, peer: &str, text: &str) {
        let natter = |client: &Self| {
            if client.links.heard_natter(peer) {
                // Lines sent before and not acknowledged are worth resending now.
                client.chat.flush(peer, true, &client.links);
            }
        };
        match self.chat.hear(peer, text) {
            Heard::Chat | Heard::Unknown => {}
            Heard::NatterChat { ack } => {
                natter(self);
                if let Some(id) = ack {
                    self.links.send(peer, &PeerMessage::Ack { id });
                }
            }
            Heard::Hello(features) => {
                natter(self);
                self.links.heard_hello(peer, &features);
            }
            Heard::Other(message) => {
                natter(self);
                self.on_peer_message(peer, message);
            }
        }
    }

    fn on_peer_message(&self, peer: &str, message: PeerMessage) {
        let file = matches!(
            message,
            PeerMessage::FileOffer { .. }
                | PeerMessage::FileAnswer { .. }
                | PeerMessage::FileCancel { .. }
                | PeerMessage::FileDone { .. }
        );
        if !file {
            return self.apply(self.calls.on_message(peer, message, &self.links));
        }
        if let Some(id) = self.files.on_message(peer, message, &self.links) {
            let channel = self.links.open_channel(peer, &file_channel_label(&id));
            self.files.opened_channel(peer, &id, channel);
        }
    }
}

impl Engine for ChatClient {
    fn handle(&self, event: Event) {
        // Whatever a peer sent before this event is read before it.
        if !matches!(event, Event::Link { event: LinkEvent::Text(_), .. }) {
            self.read_inbox();
        }
        let out = &self.links;
        match event {
            Event::ServerUrl(url) => self.signaling.on_url(url),
            Event::Signaling(event) => self.on_server(self.signaling.on_socket(event)),
            Event::Reconnect => self.signaling.reconnect(),
            Event::IceRefreshDue => self.signaling.refresh_ice(),
            Event::ReachDue { peer, attempt } => self.links.reach_due(&peer, attempt),
            Event::Link { peer, event } => self.on_link(&peer, event),
            Event::ReadInbox => {}
            Event::HelloDue { peer } => self.links.hello_due(&peer),
            Event::RingDue { grace_ms } => self.apply(self.calls.ring_due(grace_ms, out)),
            Event::DevicesOpened { peer, opened } => {
                self.apply(self.calls.devices_opened(peer, opened, out))
            }
            Event::ScreenOpened(screen) => self.apply(self.calls.screen_opened(screen, out)),
            Event::ScreenEnded => self.apply(self.calls.stop_sharing(out)),
            Event::File { peer, id, event } => {
                let sent_on_link = self.links.file_bytes_sent(&peer);
                self.files.on_channel(&peer, &id, event, sent_on_link, out);
            }
            Event::FileClosed { peer, id } => self.files.closed_due(&peer, &id),
            Event::OfferDue { peer, id } => self.files.offer_due(&peer, &id, out),
            Event::Digested { peer, id, digest } => self.files.digested(&peer, &id, digest, out),
            Event::Sent { peer, id, outcome } => self.files.sent(&peer, &id, outcome, out),
            Event::SentSoFar { peer, id, bytes } => self.files.sent_so_far(&peer, &id, bytes),
        }
    }
}
