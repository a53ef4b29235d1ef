//! `ChatClient`, the engine: a thin dispatcher over parts that each own their state (the
//! signaling socket, the peer links, messaging, calls, files). Components call its verbs;
//! everything the browser reports arrives as an [`Event`] and goes to the part that owns
//! it; what a part reports back is routed on here. Parts never call each other.
//!
//! Where behaviour lives, for the three journeys asked about first (event → part → state it
//! writes → component that draws it):
//!
//! | journey | event | part | state | drawn by |
//! |---|---|---|---|---|
//! | a line arrives | `Event::Text` (`web::peer_link::chat_channels`), read in `routing` | `messaging::Messaging::hear` (acks through `links`) | `conversations` | `message_list`, `person_entry` (preview, unread), `announcer` |
//! | a call starts | verb `start_call`, or a peer's `call` in `Event::Text` → `routing::on_peer_message` | `calls::Calls` (`start`, `on_message`; `Event::RingDue` for no answer) | `call` | `call_panel`, `call_buttons` |
//! | a room call runs | verbs `call_room`, `join_room_call`, `leave_room_call`; a peer's `roomCallJoin` in `Event::Text` → `routing::on_peer_message`; `Event::RoomDevicesOpened`; `FromLink::Track` | `room_calls::RoomCalls` (media through `apply_room`) | `room_call`, `room_streams` | `room_call` (`RoomCallBanner`, `RoomCallPanel`) |
//! | the people list changes | `Event::Signaling` (`updateUsers`, `leave`) and `Event::Link` | `signaling::roster`, `links::Links` | `users`, `gone`, `peers` | `listed` (who, in what order), `person_entry` |

mod calls;
mod events;
mod files;
mod history;
mod identity;
mod links;
mod messaging;
mod outlet;
mod room_calls;
mod room_verbs;
mod routing;
mod signaling;
mod stored;
mod verbs;

use crate::i18n::{lang, t, K};
use calls::{Calls, LinkMedia, MediaOrder};
use events::Dispatch;
use files::Files;
use history::History;
use identity::Identity;
use links::Links;
use messaging::Messaging;
use outlet::PeerOutlet;
use room_calls::{RoomCalls, RoomOrder};
use signaling::Signaling;

use crate::config;
use crate::state::{ChatState, LoginState};
use crate::web::attention;
use crate::web::page::{self, mark, page_href};
use crate::web::session_memory;
use crate::web::signaling_socket::SignalingEvent;
use crate::web::visited_rooms;
use leptos::prelude::*;
use natter_model::conversation::reply::Quote;
use natter_model::talk::Talk;
use natter_protocol::{ChatLine, ClientMessage, PeerMessage};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen_futures::spawn_local;

/// How long a page that goes away stays for a classic peer to see its chat channel close:
/// the closing handshake takes a round trip, and the page's end aborts the connection, which
/// the classic client alerts on if its channel is still open (docs/protocol.md, 8.3).
const CLASSIC_CLOSING_MS: f64 = 400.0;

/// The chat's engine; shared as `Rc`, browser callbacks hold it weakly.
pub struct ChatClient {
    state: ChatState,
    signaling: Signaling,
    links: Links,
    messaging: Messaging,
    calls: Calls,
    room_calls: RoomCalls,
    files: Files,
    identity: Identity,
    history: History,
    /// What the socket said while our identity was not ready: the login goes out at once,
    /// but connections must present our certificate from the start, so the answer and all
    /// after it wait (the answer usually comes after the identity anyway).
    held_for_identity: RefCell<Vec<SignalingEvent>>,
    /// Hears the page come into view or leave it, while the engine lives.
    _visibility: Option<crate::web::Listener>,
}

impl ChatClient {
    /// An engine writing into `state`. It opens the store and our identity at once, and
    /// logs back in by itself after a reload of this tab; otherwise it waits for
    /// [`Self::login`].
    pub fn new(state: ChatState) -> Rc<Self> {
        let client = Rc::new_cyclic(|this: &Weak<ChatClient>| {
            let dispatch = Dispatch::new(this.clone());
            let visibility = dispatch.clone();
            ChatClient {
                state,
                signaling: Signaling::new(state, dispatch.clone()),
                links: Links::new(state, dispatch.clone()),
                messaging: Messaging::new(state, dispatch.clone()),
                calls: Calls::new(state, dispatch.clone()),
                room_calls: RoomCalls::new(state, dispatch.clone()),
                files: Files::new(state, dispatch.clone()),
                identity: Identity::new(state, dispatch.clone()),
                history: History::new(state, dispatch),
                held_for_identity: RefCell::default(),
                _visibility: attention::on_visibility(move |_| {
                    visibility.send(events::Event::Visibility)
                }),
            }
        });
        client.history.open();
        if let Some(notice) = session_memory::take_notice() {
            state.notify(notice);
        }
        let room = state.room.get_untracked().unwrap_or_default();
        client.messaging.restore_room_name(visited_rooms::find(&room).and_then(|v| v.named));
        if let Some((name, token)) = session_memory::remembered(&room) {
            client.history.page_reloaded();
            client.signaling.login(name, token);
            client.signaling.connect();
        }
        client
    }

    /// Logs in under `name` in `room` (`None`: the lobby), both checked here first, then
    /// by the server. A room chosen on the first screen goes into the page's address,
    /// which is then the link to share. `returning` to a room of "Your rooms" under the
    /// name used there, a login the server still holds is taken over.
    pub fn login(&self, room: Option<String>, name: String, returning: bool) {
        if self.state.login.get_untracked() == LoginState::LoggingIn {
            return;
        }
        let check = |room| natter_protocol::check_label(room, natter_protocol::MAX_ROOM_CHARS);
        if let Some(Err(problem)) = room.as_deref().map(check) {
            let problem = lang().label_problem(problem, true);
            self.state.login.set(LoginState::LoggedOut { error: Some(problem) });
            return;
        }
        let ready = match returning {
            true => self.signaling.return_as(room.as_deref().unwrap_or_default(), name),
            false => self.signaling.login(name, None),
        };
        if !ready {
            return;
        }
        if room != config::room(&page_href()) {
            config::show_room(room.as_deref());
        }
        self.state.room.set(room);
        self.signaling.connect();
    }

    /// Leaves the room for the first screen: the others see us go, as when the page
    /// closes; this tab does not log back in; the room stays in "Your rooms", its history
    /// kept.
    pub fn leave_room(&self) {
        session_memory::forget_tab();
        if let Some(first_screen) = config::without_room(&page_href()) {
            page::go(&first_screen);
        }
    }

    /// Takes over the login another tab of this browser holds in this room ("Use here").
    pub fn use_here(&self) {
        if self.signaling.use_here() {
            self.signaling.connect();
        }
    }

    /// Another tab took our login over: this one ends its calls and connections, so
    /// peers meet that tab instead (the server told them nothing: the name stays).
    fn stop_here(&self) {
        self.hang_up();
        self.leave_room_call();
        for peer in self.links.peers() {
            // A classic client alerts when a connection closes under its open channel:
            // only the channel goes; the connection goes when that page makes a new one.
            if self.links.app(&peer).is_natter() {
                self.close_peer(&peer);
            } else {
                self.links.close_quietly(&peer);
            }
        }
    }

    /// Shows the conversation `talk`; a person's starts connecting to them.
    pub fn select(&self, talk: Talk<&str>) {
        mark(&["natter:select:", talk.person().unwrap_or_default()].concat());
        self.state.selected.set(Some(talk.owned()));
        self.messaging.opened(talk, &self.links);
        if let Some(peer) = talk.person() {
            self.open_chat(peer);
        }
        self.persist();
    }

    /// We are typing in the selected conversation.
    pub fn typing(&self) {
        match self.state.selected.get_untracked() {
            Some(Talk::With(peer)) => self.messaging.typing(&peer, &self.links),
            Some(Talk::Room) => {
                // The line that follows will go over each person's own connection: opened
                // now, it is up by then, and the typing itself is heard.
                let recipients = self.room_recipients();
                recipients.iter().for_each(|peer| self.open_chat(peer));
                self.messaging.typing_in_room(&recipients, &self.links);
            }
            None => {}
        }
    }

    /// The person compared the safety codes with `peer`'s out of band.
    pub fn verify(&self, peer: &str) {
        self.identity.verify(peer);
    }

    /// Forgets the conversation with `peer`, here and in the store.
    pub fn clear_conversation(&self, peer: &str) {
        if let Some(key) = self.messaging.clear(peer) {
            self.history.clear(peer, &key);
        }
    }

    /// Forgets everything this device keeps: history, contacts, identity, and this tab's
    /// login. Then the page starts afresh, as on a first visit: logged out, and with a new
    /// identity at the next login.
    pub fn forget_everything(&self) {
        session_memory::forget();
        self.history.forget_all(t(K::Forgotten));
    }

    /// Asks the person whether new messages may show as notifications when the tab is
    /// hidden.
    pub fn enable_notifications(&self) {
        let notifications = self.state.notifications;
        spawn_local(async move {
            notifications.set(Some(attention::ask_for_notifications().await));
        });
    }

    /// Sends `text` to the selected peer, or to everyone in the room; queued until the
    /// channel is open.
    pub fn send(&self, text: &str) {
        let (Some(talk), Some(me)) = (self.state.selected.get_untracked(), self.state.me()) else {
            return;
        };
        // A reply answers a line of this conversation only, and waits for words to send.
        if text.trim().is_empty() {
            return;
        }
        let reply = self.state.replying.try_update(Option::take).flatten();
        let reply = reply.filter(|(to, _)| *to == talk).map(|(_, quote)| quote);
        let Talk::With(peer) = talk else { return self.send_to_room(me, text, reply) };
        if self.messaging.write(&peer, me, text, reply) {
            self.open_chat(&peer);
            self.messaging.flush(&peer, false, &self.links);
            self.persist();
        }
    }

    /// Adds or takes back our reaction `emoji` to the line `id` of the conversation `talk`,
    /// and tells whoever it concerns whose app takes reactions (a classic app gets nothing).
    pub fn react(&self, talk: Talk<&str>, id: &str, emoji: &str) {
        let Some(me) = self.state.me() else { return };
        let Some(on) = self.messaging.react(talk, id, &me, emoji) else { return };
        let peers = match talk {
            Talk::With(peer) => vec![peer.to_owned()],
            Talk::Room => self.present(),
        };
        let (id, emoji) = (id.to_owned(), emoji.to_owned());
        let message = PeerMessage::React { id, emoji, on, room: talk.is_room() };
        for peer in peers {
            if self.links.app(&peer).hears(|features| features.reactions) {
                self.links.send(&peer, &message);
            }
        }
        self.persist();
    }

    /// Edits our line `id` of the conversation `talk` to `words`, or deletes it (`None`),
    /// for everyone it went to: in a room, signed as an edit (docs/protocol.md, 7.10).
    pub fn edit(&self, talk: Talk<&str>, id: &str, words: Option<&str>) {
        match talk {
            Talk::With(peer) if self.messaging.edit(peer, id, words) => {
                self.open_chat(peer);
                self.messaging.flush(peer, false, &self.links);
                self.persist();
            }
            Talk::With(_) => {}
            Talk::Room => self
                .messaging
                .room_edit(id, words)
                .into_iter()
                .for_each(|line| self.sign_room_line(line)),
        }
    }

    /// Everyone in the room now, by name.
    fn present(&self) -> Vec<String> {
        self.state.users.with_untracked(|users| {
            users.iter().map(|user| user.user_name.clone()).collect::<Vec<_>>()
        })
    }

    /// Everyone in the room now whose app may take the room's lines, by name.
    pub(super) fn room_recipients(&self) -> Vec<String> {
        let present = self.present();
        present.into_iter().filter(|peer| !self.links.app(peer).never_in_room()).collect()
    }

    /// A line to everyone in the room who can take one: each gets it over their own
    /// connection, opened now if need be. Signed first, where we have a key, so that
    /// whoever passes it on to a newcomer cannot change it (docs/protocol.md, 7.10).
    fn send_to_room(&self, me: String, text: &str, reply: Option<Quote>) {
        let Some(line) = self.messaging.room_line(me, text, reply) else { return };
        self.sign_room_line(line);
    }

    /// Our room `line` (or edit) is signed, where we have a key, then written for everyone
    /// present who can take it.
    fn sign_room_line(&self, line: ChatLine) {
        let recipients = self.room_recipients();
        let bytes = self.messaging.signed_bytes(&line);
        // Without a key the line goes unsigned, at once.
        if !self.identity.sign_room_line(line.clone(), bytes, recipients.clone()) {
            self.write_room_line(line, None, recipients);
        }
    }

    /// Our line (signed where we have a key) goes into the room, and out to each of
    /// `recipients`.
    fn write_room_line(&self, line: ChatLine, sig: Option<String>, recipients: Vec<String>) {
        self.messaging.write_room_line(line, sig, recipients.clone());
        self.flush_room_to(&recipients);
    }

    /// Hands each of `peers` the room lines waiting for it, connecting to it first.
    fn flush_room_to(&self, peers: &[String]) {
        for peer in peers {
            self.open_chat(peer);
            self.messaging.flush_room(peer, false, &self.links);
        }
        self.persist();
    }

    /// Sends a message of the conversation `talk` that failed again.
    pub fn retry(&self, talk: Talk<&str>, id: &str) {
        self.messaging.retry(talk, id);
        let Talk::With(peer) = talk else { return self.flush_room_to(&self.links.peers()) };
        self.open_chat(peer);
        self.messaging.flush(peer, false, &self.links);
        self.persist();
    }

    /// Starts the connection to `peer` afresh (after it could not be reached).
    pub fn reconnect_peer(&self, peer: &str) {
        self.close_peer(peer);
        self.open_chat(peer);
    }

    /// The page is going away: ends a call and tells every peer. A natter peer hears `leave`
    /// and its connection closes at once, so that its transfers end now instead of when ICE
    /// notices the silence seconds later. The classic client ignores `leave` and alerts when
    /// the connection closes under the channel it opened: toward a peer not known to be
    /// natter, the chat channels close, and the page stays until the peer has seen that (the
    /// page's end closes the connection; docs/protocol.md, section 8.3).
    pub fn leave_page(&self) {
        self.hang_up();
        self.leave_room_call();
        let mut closing = false;
        for peer in self.links.peers() {
            self.signaling.send_now(&ClientMessage::Leave { name: peer.clone() });
            if self.links.app(&peer).is_natter() {
                self.close_peer(&peer);
            } else {
                closing |= self.links.close_quietly(&peer);
            }
        }
        if closing {
            page::hold(CLASSIC_CLOSING_MS);
        }
    }

    pub(super) fn open_chat(&self, peer: &str) {
        // Nobody to offer to: what is written waits until they are back (`peer_joined`).
        if !self.state.is_here(peer) && !self.links.has(peer) {
            return;
        }
        if let Err(problem) = self.links.open_chat(peer) {
            self.state.notify(problem);
        }
    }

    /// Connects to `peer` unasked, when its turn comes (see [`Links::unasked_now`]).
    fn reconnect(&self, peer: &str) {
        if self.links.unasked_now(peer) {
            self.open_chat(peer);
        }
    }

    fn close_peer(&self, peer: &str) {
        self.apply(self.calls.peer_gone(peer));
        self.apply_room(self.room_calls.peer_gone(peer));
        self.files.peer_gone(peer, false);
        self.links.close(peer);
        self.identity.forget(peer);
        self.messaging.peer_gone(peer);
    }

    /// Hands the store whatever changed in the conversations.
    pub(super) fn persist(&self) {
        self.history.save(self.messaging.take_dirty());
        self.history.keep_visit(self.messaging.room_name());
    }

    /// Carries out what the calls part asks of a connection; an ended call leaves its line
    /// in the conversation.
    fn apply(&self, order: MediaOrder) {
        let Some((peer, media)) = order else { return };
        if let LinkMedia::End(line, missed) = &media {
            match missed {
                Some(kind) => self.messaging.missed_call(&peer, *kind, line.clone()),
                None => self.messaging.note(Talk::With(&peer), line.clone()),
            }
            self.persist();
        }
        self.links.with_existing(&peer, |link| match media {
            LinkMedia::Add(stream) => link.add_media(&stream),
            LinkMedia::SendVideo(track, stream) => link.send_video(&track, stream.as_ref()),
            LinkMedia::StopVideo => link.stop_video(),
            LinkMedia::End(..) => link.remove_media(),
        });
    }

    /// Carries out what the room calls part asks of the connections: our media to each
    /// member it starts going to, off those it stops going to; an ended call leaves its
    /// line in the room's conversation.
    fn apply_room(&self, order: RoomOrder) {
        let RoomOrder { plan, stream, line, screen, video } = order;
        for peer in &plan.stop {
            self.links.with_existing(peer, |link| link.remove_media());
        }
        if let Some(stream) = &stream {
            for peer in &plan.start {
                self.links.with_existing(peer, |link| {
                    link.add_media(stream);
                    // Sharing: the screen in place of the camera just added.
                    if let Some(screen) = &screen {
                        link.send_video(screen, Some(stream));
                    }
                });
            }
        }
        for peer in video.iter().flat_map(|(to, _)| to) {
            self.links.with_existing(peer, |link| match video.as_ref().map(|(_, v)| v) {
                Some(LinkMedia::SendVideo(track, stream)) => {
                    link.send_video(track, stream.as_ref())
                }
                Some(LinkMedia::StopVideo) => link.stop_video(),
                _ => {}
            });
        }
        if let Some(line) = line {
            self.messaging.note(Talk::Room, line);
            self.persist();
        }
    }
}

#[cfg(test)]
mod testing;
