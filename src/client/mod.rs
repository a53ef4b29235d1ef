//! `ChatClient`, the engine: a thin dispatcher over parts that each own their state (the
//! signaling socket, the peer links, the chat, calls, files). Components call its verbs;
//! everything the browser reports arrives as an [`Event`] and goes to the part that owns
//! it; what a part reports back is routed on here. Parts never call each other.

mod calls;
mod chat;
mod events;
mod files;
mod links;
mod outlet;
mod signaling;

use calls::{Calls, LinkMedia, MediaOrder};
use chat::{Chat, Heard};
use events::{Dispatch, Engine, Event};
use files::Files;
use links::{FromLink, Links};
use outlet::PeerOutlet;
use signaling::{FromServer, Signaling};

use crate::state::ChatState;
use crate::web::page::mark;
use leptos::prelude::*;
use natter_model::call::CallKind;
use natter_protocol::{file_channel_label, ClientMessage, PeerMessage};
use std::rc::{Rc, Weak};
use web_sys::FileList;

/// The chat's engine; shared as `Rc`, browser callbacks hold it weakly.
pub struct ChatClient {
    state: ChatState,
    signaling: Signaling,
    links: Links,
    chat: Chat,
    calls: Calls,
    files: Files,
}

impl ChatClient {
    /// An engine writing into `state`; idle until [`Self::login`].
    pub fn new(state: ChatState) -> Rc<Self> {
        Rc::new_cyclic(|this: &Weak<ChatClient>| {
            let dispatch = Dispatch::new(this.clone());
            ChatClient {
                state,
                signaling: Signaling::new(state, dispatch.clone()),
                links: Links::new(state, dispatch.clone()),
                chat: Chat::new(state, dispatch.clone()),
                calls: Calls::new(state, dispatch.clone()),
                files: Files::new(state, dispatch),
            }
        })
    }

    /// Logs in under `name` (checked here first, then by the server).
    pub fn login(&self, name: String) {
        self.signaling.login(name);
    }

    /// Shows the conversation with `peer` and starts connecting to them.
    pub fn select(&self, peer: &str) {
        mark(&format!("natter:select:{peer}"));
        self.state.selected.set(Some(peer.to_owned()));
        self.chat.mark_read(peer);
        self.open_chat(peer);
    }

    /// Sends `text` to the selected peer; queued until the channel is open.
    pub fn send(&self, text: &str) {
        let (Some(peer), Some(me)) = (self.state.selected.get_untracked(), self.state.me()) else {
            return;
        };
        if self.chat.write(&peer, me, text) {
            self.open_chat(&peer);
            self.chat.flush(&peer, false, &self.links);
        }
    }

    /// Sends a message that failed again.
    pub fn retry(&self, peer: &str, id: &str) {
        self.chat.retry(peer, id);
        self.open_chat(peer);
        self.chat.flush(peer, false, &self.links);
    }

    /// The page is going away: ends a call and tells every peer, over the server and by
    /// closing each connection, so that their transfers end at once instead of when ICE
    /// notices the silence seconds later.
    pub fn leave_page(&self) {
        self.hang_up();
        for peer in self.links.peers() {
            self.signaling.send_now(&ClientMessage::Leave { name: peer.clone() });
            self.close_peer(&peer);
        }
    }

    /// Rings `peer` for a call.
    pub fn start_call(&self, peer: &str, kind: CallKind) {
        self.calls.start(peer, kind, &self.links);
    }

    /// Accepts the incoming call.
    pub fn accept_call(&self) {
        self.calls.accept(&self.links);
    }

    /// Declines the incoming call, or cancels or ends the current one.
    pub fn hang_up(&self) {
        self.apply(self.calls.hang_up(&self.links));
    }

    /// Mutes or unmutes the microphone.
    pub fn toggle_mute(&self) {
        self.calls.toggle_mute(&self.links);
    }

    /// Turns the camera off or on.
    pub fn toggle_camera(&self) {
        self.calls.toggle_camera(&self.links);
    }

    /// Shows the screen instead of the camera, or goes back to the camera.
    pub fn toggle_screen(&self) {
        self.apply(self.calls.toggle_screen(&self.links));
    }

    /// Offers every file in `files` to `peer`.
    pub fn send_files(&self, peer: &str, files: FileList) {
        self.files.offer(peer, files, &self.links);
    }

    /// Takes the file `peer` offers.
    pub fn accept_file(&self, peer: &str, id: &str) {
        self.files.accept(peer, id, &self.links);
    }

    /// Refuses the file `peer` offers.
    pub fn decline_file(&self, peer: &str, id: &str) {
        self.files.decline(peer, id, &self.links);
    }

    /// Stops a transfer, ours or the peer's, offered or under way.
    pub fn cancel_file(&self, peer: &str, id: &str) {
        self.files.cancel(peer, id, &self.links);
    }

    /// Removes an ended transfer from the list, freeing the received file.
    pub fn dismiss_file(&self, peer: &str, id: &str) {
        self.files.dismiss(peer, id);
    }

    fn open_chat(&self, peer: &str) {
        if let Err(problem) = self.links.open_chat(peer) {
            self.state.notify(problem);
        }
    }

    fn on_server(&self, said: FromServer) {
        let unnamed = |from: Option<String>| from.or_else(|| self.links.sender_unnamed());
        match said {
            FromServer::LoggedIn { me, ice_servers } => self.links.start(me, ice_servers),
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

    fn close_peer(&self, peer: &str) {
        self.apply(self.calls.peer_gone(peer));
        self.files.peer_gone(peer);
        self.links.close(peer);
    }

    fn on_link(&self, peer: &str, event: crate::web::peer_link::LinkEvent) {
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

    /// Carries out what the calls part asks of a connection.
    fn apply(&self, order: MediaOrder) {
        let Some((peer, media)) = order else { return };
        self.links.with_existing(&peer, |link| match media {
            LinkMedia::Add(stream) => link.add_media(&stream),
            LinkMedia::SendVideo(track, stream) => link.send_video(&track, stream.as_ref()),
            LinkMedia::StopVideo => link.stop_video(),
            LinkMedia::Remove => link.remove_media(),
        });
    }
}

impl Engine for ChatClient {
    fn handle(&self, event: Event) {
        // Whatever a peer sent before this event is read before it.
        if !matches!(event, Event::Link { event: crate::web::peer_link::LinkEvent::Text(_), .. }) {
            self.read_inbox();
        }
        let out = &self.links;
        match event {
            Event::ServerUrl(url) => self.signaling.on_url(url),
            Event::Signaling(event) => self.on_server(self.signaling.on_socket(event)),
            Event::Reconnect => self.signaling.reconnect(),
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
