//! The dispatcher's routing: every [`Event`] goes to the part that owns it, and what a
//! part reports back goes on to the parts that must hear of it.

use super::events::{Engine, Event};
use super::files::FileNews;
use super::links::FromLink;
use super::messaging::Heard;
use super::outlet::PeerOutlet;
use super::signaling::FromServer;
use super::ChatClient;
use crate::web::attention;
use crate::web::peer_link::LinkEvent;
use leptos::prelude::*;
use natter_model::talk::Talk;
use natter_protocol::{file_channel_label, PeerMessage, User};

impl ChatClient {
    pub(super) fn on_server(&self, said: FromServer) {
        let unnamed = |from: Option<String>| from.or_else(|| self.links.sender_unnamed());
        match said {
            FromServer::LoggedIn { me, ice_servers, resume } => {
                self.on_logged_in(me, ice_servers, resume)
            }
            FromServer::IceServers(ice_servers) => self.links.refresh(ice_servers),
            FromServer::Offer { from, offer } => {
                // The peer's page was replaced without a `leave` (Firefox closes the socket
                // before `pagehide`; a crash): its old connection goes, the offer starts anew.
                if self.links.is_other_session(&from, &offer) {
                    self.close_peer(&from);
                }
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
                    // Its page is going: a reload, most likely, to take transfers up after.
                    self.files.peer_gone(&peer, true);
                    self.close_peer(&peer);
                }
            }
            FromServer::Joined { name } => self.peer_joined(&name),
            FromServer::Replaced => self.stop_here(),
            FromServer::Nothing => {}
        }
    }

    /// `peer` is in the room (back, if the conversation said they left). A connection from an earlier visit under that name that is
    /// not up goes, so the newcomer is met afresh and its identity checked (one that is up
    /// outlived a signaling outage: it stays). A conversation kept with the name
    /// reconnects (as does one with room lines waiting for them, a room with a name
    /// to tell them, room lines to pass on to them, or a room call we are in), and what
    /// waits for them goes.
    fn peer_joined(&self, peer: &str) {
        if self.links.is_down(peer) {
            self.close_peer(peer);
        }
        self.messaging.back(peer);
        self.messaging.newcomer(peer);
        if self.messaging.peers().iter().any(|kept| kept == peer)
            || self.messaging.room_waits_for(peer)
            || self.meets_strangers()
                && (self.messaging.room_name().is_some()
                    || self.messaging.has_past()
                    || self.state.in_room_call())
        {
            self.reconnect(peer);
        }
    }

    /// Whether we connect unasked to someone we never talked with (to tell a room's name or
    /// history). Not in the lobby: a classic client, which knows no other room, holds one
    /// connection, and one made unasked would take it from whoever it talks to.
    fn meets_strangers(&self) -> bool {
        self.state.room.with_untracked(Option::is_some)
    }

    /// `peer` left the server. Its page may still be reachable directly: an open chat
    /// stays, a connection without one closes.
    fn peer_left(&self, peer: &str) {
        if !self.state.peer(peer).usable() {
            self.messaging.left(peer);
        }
        self.files.peer_left(peer);
        if !self.state.peer(peer).chat_open {
            self.close_peer(peer);
        } else if self.links.is_lost(peer) {
            self.files.peer_gone(peer, false);
        }
    }

    fn on_link(&self, peer: &str, event: LinkEvent) {
        match self.links.on_event(peer, event) {
            FromLink::Relay(message) => self.signaling.relay(message),
            FromLink::Lost => self.files.peer_gone(peer, false),
            FromLink::ChatOpen { resend } => {
                self.messaging.flush(peer, resend, &self.links);
                self.files.offer_waiting(peer, &self.links);
            }
            FromLink::ChatClosed => {
                self.files.peer_gone(peer, true);
                if !self.state.is_online(peer) {
                    self.messaging.left(peer);
                    self.close_peer(peer);
                }
            }
            FromLink::Track(track) => {
                self.calls.on_track(peer, &track);
                self.apply_room(self.room_calls.on_track(peer, &track));
            }
            FromLink::Identity(fingerprint) => self.on_identity(peer, &fingerprint),
            FromLink::FileChannel(channel) => self.files.peer_channel(peer, channel),
            FromLink::Nothing => {}
        }
    }

    /// Reads every text waiting in the inbox, oldest first.
    // Called from every event: inlined, its whole call tree would be in the download twice.
    #[inline(never)]
    fn read_inbox(&self) {
        for (peer, text) in self.messaging.take_inbox() {
            self.hear(&peer, &text);
        }
    }

    fn hear(&self, peer: &str, text: &str) {
        let natter = |client: &Self| {
            if client.links.heard_natter(peer) {
                // Lines sent before and not acknowledged are worth resending now.
                client.messaging.flush(peer, true, &client.links);
            }
        };
        match self.messaging.hear(peer, text) {
            Heard::Unknown => {}
            Heard::Line { ack, shown, room } => {
                if let Some(id) = ack {
                    natter(self);
                    self.links.send(peer, &PeerMessage::Ack { id });
                }
                if let Some(text) = shown {
                    self.announce(if room { Talk::Room } else { Talk::With(peer) }, peer, &text);
                }
            }
            Heard::Receipt => natter(self),
            Heard::Past { first } => {
                natter(self);
                // The room has history: we meet everyone present, whose own links tell us
                // the keys to check it with (unasked: each pair at once, without glare).
                if first && self.meets_strangers() {
                    let unmet = self.room_recipients().into_iter().filter(|p| !self.links.has(p));
                    unmet.for_each(|peer| self.reconnect(&peer));
                }
            }
            Heard::Hello(features) => {
                natter(self);
                self.links.heard_hello(peer, &features);
                // Edits wait for the `hello` that says the peer takes them.
                self.messaging.flush(peer, false, &self.links);
                self.messaging.flush_room(peer, true, &self.links);
                self.messaging.tell_room_name(peer, &self.links);
                self.files.offer_waiting(peer, &self.links);
                self.room_calls.hello(peer, &self.links);
                let key = self.identity.line_public_key();
                self.messaging.greet_with_past(peer, key, &self.links);
                // What was shown before the peer said it reads receipts is reported now.
                if self.state.shows(Talk::With(peer)) {
                    self.messaging.seen(Talk::With(peer), &self.links);
                }
            }
            Heard::Other(message) => {
                natter(self);
                self.on_peer_message(peer, message);
            }
        }
    }

    /// A new line from `peer` in the conversation `talk` (theirs, or the room's): read at
    /// once if that conversation is on screen, or shown as a notification while the page
    /// is hidden, if allowed.
    fn announce(&self, talk: Talk<&str>, peer: &str, text: &str) {
        if self.state.shows(talk) {
            self.messaging.seen(talk, &self.links);
        }
        if !attention::visible() && self.state.notifications.get_untracked() == Some(true) {
            // One notification per person's conversation at a time; the room's are untagged.
            attention::notify(peer, text, talk.person().unwrap_or_default());
        }
    }

    fn on_peer_message(&self, peer: &str, message: PeerMessage) {
        let file = matches!(
            message,
            PeerMessage::FileOffer { .. }
                | PeerMessage::RoomFileOffer { .. }
                | PeerMessage::FileAnswer { .. }
                | PeerMessage::FileCancel { .. }
                | PeerMessage::FileDone { .. }
        );
        if self.room_calls.owns(peer, &message) {
            return self.apply_room(self.room_calls.on_message(peer, message, &self.links));
        }
        if !file {
            return self.apply(self.calls.on_message(peer, message, &self.links));
        }
        match self.files.on_message(peer, message, &self.links) {
            Some(FileNews::Offered(name, file)) => {
                self.messaging.offered_file(Talk::With(peer), peer, name, file)
            }
            Some(FileNews::OfferedToRoom(name, file)) => {
                self.messaging.offered_file(Talk::Room, peer, name, file)
            }
            Some(FileNews::Accepted(id)) => {
                let channel = self.links.open_channel(peer, &file_channel_label(&id));
                self.files.opened_channel(peer, &id, channel);
            }
            None => {}
        }
    }
}

impl Engine for ChatClient {
    fn handle(&self, event: Event) {
        // The one rule of order, kept here alone: what peers said before an event is read
        // before it. Their texts wait in the inbox (`Event::Text`) for a task of their own
        // (`Event::ReadInbox`), or for the next other event, whichever comes first.
        if !matches!(event, Event::Text { .. } | Event::ReadInbox) {
            self.read_inbox();
        }
        let out = &self.links;
        match event {
            Event::Text { peer, text } => {
                if self.messaging.queue(peer, text) {
                    self.read_inbox();
                }
            }
            Event::ReadInbox => self.read_inbox(),
            Event::StoreOpened(store) => self.on_store_opened(store),
            Event::StoreFailed(problem) => self.history.failed(problem),
            Event::IdentityReady(certificate) => self.on_identity_ready(certificate),
            Event::CodeReady { peer, fingerprint, code } => {
                self.identity.code_ready(peer, &fingerprint, code)
            }
            Event::ContactRead { peer, fingerprint, verified } => {
                self.identity.contact_read(&peer, &fingerprint, verified)
            }
            Event::HistoryLoaded(loaded, files, transfers) => {
                self.on_history_loaded(loaded, files, transfers)
            }
            Event::Visibility => {
                if let Some(talk) = self.state.selected.get_untracked() {
                    self.messaging.seen(talk.as_deref(), out);
                }
            }
            Event::TypingDue { peer, room } => self.messaging.typing_due(&peer, room),
            Event::ServerUrl(url) => self.signaling.on_url(url),
            Event::Signaling(event) => match self.identity.settled() {
                true => self.on_server(self.signaling.on_socket(event)),
                false => self.held_for_identity.borrow_mut().push(event),
            },
            Event::Reconnect => self.signaling.reconnect(),
            Event::LeftDue { id } => {
                let login = |gone: &Vec<User>| gone.iter().find(|login| login.id == id).cloned();
                let left = self.state.gone.with_untracked(login);
                match (self.signaling.left_due(&id), left) {
                    (Some(peer), _) => self.peer_left(&peer),
                    // The name is back under a new login within the grace: a new page (a
                    // reload, or someone else), met as a newcomer.
                    (None, Some(login)) if self.state.is_here(&login.user_name) => {
                        self.peer_joined(&login.user_name)
                    }
                    (None, _) => {}
                }
            }
            Event::IceRefreshDue => self.signaling.refresh_ice(),
            Event::ReachDue { peer, attempt } => self.links.reach_due(&peer, attempt),
            Event::Link { peer, event } => self.on_link(&peer, event),
            Event::HelloDue { peer } => {
                self.links.hello_due(&peer);
                self.messaging.flush_room(&peer, false, out);
                self.files.offer_waiting(&peer, out);
            }
            Event::ReconnectDue { peer } => {
                if !self.links.has(&peer) {
                    self.open_chat(&peer);
                }
            }
            Event::RingDue { grace_ms } => self.apply(self.calls.ring_due(grace_ms, out)),
            Event::DevicesOpened { peer, opened } => {
                self.apply(self.calls.devices_opened(peer, opened, out))
            }
            Event::RoomDevicesOpened(opened) => {
                self.apply_room(self.room_calls.devices_opened(opened, out))
            }
            Event::ScreenOpened(Ok(screen)) if self.state.in_room_call() => {
                self.apply_room(self.room_calls.screen_opened(screen, out))
            }
            Event::ScreenOpened(screen) => self.apply(self.calls.screen_opened(screen, out)),
            Event::ScreenEnded if self.state.in_room_call() => {
                self.apply_room(self.room_calls.stop_sharing(out))
            }
            Event::ScreenEnded => self.apply(self.calls.stop_sharing(out)),
            Event::File { peer, id, event } => {
                let sent_on_link = self.links.file_bytes_sent(&peer);
                self.files.on_channel(&peer, &id, event, sent_on_link, out);
            }
            Event::FileClosed { peer, id } => self.files.closed_due(&peer, &id),
            Event::Digested { peer, id, digest } => {
                if let Some(file) = self.files.digested(&peer, &id, digest, out) {
                    self.history.keep_file(&peer, &id, &file);
                }
            }
            Event::Sent { peer, id, outcome } => self.files.sent(&peer, &id, outcome, out),
            Event::SentSoFar { peer, id, bytes } => self.files.sent_so_far(&peer, &id, bytes),
            Event::PieceKept { peer, id, written } => {
                self.files.piece_kept(&peer, &id, written.is_ok());
                if let Err(problem) = written {
                    self.history.failed(problem);
                }
            }
            Event::LineKeyReady(line_key) => self.identity.line_key_ready(line_key),
            Event::RoomLineSigned { line, sig, recipients } => {
                self.write_room_line(line, sig, recipients)
            }
            Event::PastChecked { relayer, line, sig, good } => {
                self.messaging.past_checked(&relayer, line, sig, good)
            }
        }
        self.persist();
    }
}
