//! `ChatClient`: drives the signaling socket and one peer link per conversation, and writes
//! what happens into [`ChatState`]. Components call its few verbs; the rest is events.

mod calls;
mod files;

use crate::browser::{drop_later, mark, now_rfc3339, page_href, random_id};
use crate::config;
use crate::negotiation::is_polite;
use crate::net::next_task::NextTask;
use crate::net::peer::{LinkState, PeerEvent, PeerLink, SendError, Signal};
use crate::net::signaling::{SignalingEvent, SignalingSocket};
use crate::peer_app::{PeerApp, OUR_FEATURES};
use crate::per_peer::PerPeer;
use crate::state::{ChatState, ServerLink, Session, Toast};
use leptos::prelude::*;
use natter_protocol::{
    ChatLine, ClientMessage, ErrorCode, IceServer, PeerMessage, ServerMessage,
    CHAT_CHANNEL_PROTOCOL, MAX_TEXT_CHARS,
};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen_futures::spawn_local;

/// Longest wait between two reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// How long a notice stays.
const TOAST_LIFETIME: Duration = Duration::from_secs(6);
/// Most notices shown at once.
const MAX_TOASTS: usize = 3;
/// How long the chat channel we opened waits for a natter peer's `hello`; a peer silent
/// that long is a classic client. A natter peer answers within a round trip.
const HELLO_WAIT: Duration = Duration::from_secs(3);

/// The chat's engine; shared as `Rc`, JS callbacks hold it weakly.
pub struct ChatClient {
    state: ChatState,
    this: Weak<ChatClient>,
    server_url: RefCell<Option<String>>,
    socket: RefCell<Option<SignalingSocket>>,
    /// Logged in on the current socket.
    online: Cell<bool>,
    /// The name to log in (and back in) with.
    name: RefCell<Option<String>>,
    ice_servers: RefCell<Vec<IceServer>>,
    links: RefCell<PerPeer<PeerLink>>,
    /// Signals that wait for the socket to be back.
    outbox: RefCell<Vec<ClientMessage>>,
    reconnect_attempts: Cell<u32>,
    /// Where an answer or candidate without a sender goes (the classic server omits it).
    last_offer_to: RefCell<Option<String>>,
    next_toast: Cell<u32>,
    /// The devices and streams of the call under way.
    media: RefCell<calls::CallMedia>,
    /// The browser objects of the file transfers under way.
    files: RefCell<Vec<files::FileJob>>,
    /// Texts from peers not handled yet, and the task that will (see [`Self::queue_text`]).
    inbox: RefCell<Vec<(String, String)>>,
    read_inbox_task: Option<NextTask>,
}

impl ChatClient {
    /// A client writing into `state`; idle until [`Self::login`].
    pub fn new(state: ChatState) -> Rc<Self> {
        Rc::new_cyclic(|this| ChatClient {
            state,
            this: this.clone(),
            server_url: RefCell::default(),
            socket: RefCell::default(),
            online: Cell::new(false),
            name: RefCell::default(),
            ice_servers: RefCell::default(),
            links: RefCell::default(),
            outbox: RefCell::default(),
            reconnect_attempts: Cell::new(0),
            last_offer_to: RefCell::default(),
            next_toast: Cell::new(0),
            media: RefCell::default(),
            files: RefCell::default(),
            inbox: RefCell::default(),
            read_inbox_task: {
                let this = this.clone();
                NextTask::new(move || {
                    if let Some(client) = this.upgrade() {
                        client.read_inbox();
                    }
                })
            },
        })
    }

    /// Logs in under `name` (checked here first, then by the server).
    pub fn login(&self, name: String) {
        if let Err(problem) = natter_protocol::validate_name(&name) {
            self.state.session.set(Session::LoggedOut { error: Some(problem) });
            return;
        }
        *self.name.borrow_mut() = Some(name);
        self.state.session.set(Session::LoggingIn);
        self.connect();
    }

    /// Shows the conversation with `peer` and starts connecting to them.
    pub fn select(&self, peer: &str) {
        mark(&format!("natter:select:{peer}"));
        self.state.selected.set(Some(peer.to_owned()));
        self.state.update_conversation(peer, |conversation| conversation.mark_read());
        self.ensure_chat(peer);
    }

    /// Sends `text` to the selected peer; queued until the channel is open. The composer
    /// refuses texts over [`MAX_TEXT_CHARS`] before they get here.
    pub fn send(&self, text: &str) {
        let text = text.trim();
        let (Some(peer), Some(me)) = (self.state.selected.get_untracked(), self.state.me()) else {
            return;
        };
        if text.is_empty() || text.chars().nth(MAX_TEXT_CHARS).is_some() {
            return;
        }
        let line = ChatLine {
            time: now_rfc3339(),
            message: text.to_owned(),
            name: me,
            id: Some(random_id()),
        };
        self.state.update_conversation(&peer, |conversation| conversation.write(line));
        self.ensure_chat(&peer);
        self.flush(&peer, false);
    }

    /// Sends a message that failed again.
    pub fn retry(&self, peer: &str, id: &str) {
        self.state.update_conversation(peer, |conversation| conversation.retry(id));
        self.ensure_chat(peer);
        self.flush(peer, false);
    }

    /// What the app of `peer` has shown it understands.
    pub fn peer_app(&self, peer: &str) -> PeerApp {
        self.state.peers.with_untracked(|peers| peers.get(peer).map(|p| p.app).unwrap_or_default())
    }

    /// The page is going away: ends a call and tells every peer, over the server and by
    /// closing each connection, so that their transfers end at once instead of when ICE
    /// notices the silence seconds later.
    pub fn leave_page(&self) {
        self.hang_up();
        let peers: Vec<String> = self.links.borrow().names().map(str::to_owned).collect();
        for peer in peers {
            self.send_now(&ClientMessage::Leave { name: peer.clone() });
            self.close_link(&peer);
        }
    }

    /// Shows a notice for a few seconds, unless the same one is showing; the oldest goes
    /// when there are too many to read.
    pub fn toast(&self, text: impl Into<String>) {
        let text = text.into();
        let toasts = self.state.toasts;
        if toasts.with_untracked(|all| all.iter().any(|toast| toast.text == text)) {
            return;
        }
        let id = self.next_toast.get();
        self.next_toast.set(id.wrapping_add(1));
        toasts.update(|all| {
            all.push(Toast { id, text });
            if all.len() > MAX_TOASTS {
                all.remove(0);
            }
        });
        set_timeout(
            move || toasts.update(|all| all.retain(|toast| toast.id != id)),
            TOAST_LIFETIME,
        );
    }

    fn connect(&self) {
        let this = self.this.clone();
        spawn_local(async move {
            let Some(client) = this.upgrade() else { return };
            let url = match client.server_url().await {
                Ok(url) => url,
                Err(problem) => return client.login_refused(problem),
            };
            let events = this.clone();
            let socket = SignalingSocket::connect(&url, move |event| {
                if let Some(client) = events.upgrade() {
                    client.on_signaling(event);
                }
            });
            match socket {
                Ok(socket) => {
                    *client.socket.borrow_mut() = Some(socket);
                    if client.reconnect_attempts.get() == 0 {
                        client.state.server.set(ServerLink::Connecting);
                    }
                }
                Err(problem) => client.login_refused(problem),
            }
        });
    }

    async fn server_url(&self) -> Result<String, String> {
        if let Some(url) = self.server_url.borrow().clone() {
            return Ok(url);
        }
        let configured = config::configured_server().await;
        let url = config::signaling_url(&page_href(), configured.as_deref())?;
        *self.server_url.borrow_mut() = Some(url.clone());
        Ok(url)
    }

    fn on_signaling(&self, event: SignalingEvent) {
        match event {
            SignalingEvent::Open => {
                let name = self.name.borrow().clone().unwrap_or_default();
                let room = self.state.room.get_untracked();
                self.send_now(&ClientMessage::Login { name, room });
            }
            SignalingEvent::Message(message) => self.on_server_message(message),
            SignalingEvent::Closed => self.on_disconnect(),
        }
    }

    fn on_server_message(&self, message: ServerMessage) {
        match message {
            ServerMessage::Login { success: true, users, ice_servers, .. } => {
                self.logged_in(users.unwrap_or_default(), ice_servers.unwrap_or_default())
            }
            ServerMessage::Login { success: false, message, code, .. } => {
                let relogin =
                    matches!(self.state.session.get_untracked(), Session::LoggedIn { .. });
                if relogin && code == Some(ErrorCode::NameTaken) {
                    // Our previous socket is still registered until the server notices it
                    // is gone: try again shortly.
                    drop_later(self.socket.borrow_mut().take());
                    self.schedule_reconnect();
                } else {
                    self.login_refused(message.unwrap_or_else(|| "Login refused".into()));
                }
            }
            ServerMessage::UpdateUsers { user } => self.state.users.update(|users| {
                users.retain(|known| known.user_name != user.user_name);
                users.push(user);
            }),
            ServerMessage::RemoveUser { user } => self.user_left(&user.id, &user.user_name),
            ServerMessage::Offer { offer, name } => {
                self.with_link(&name, |link| link.receive_description(&offer));
            }
            ServerMessage::Answer { answer, name } => {
                if let Some(peer) = name.or_else(|| self.sender_unnamed()) {
                    self.with_existing_link(&peer, |link| link.receive_description(&answer));
                }
            }
            ServerMessage::Candidate { candidate, name } => {
                if let Some(peer) = name.or_else(|| self.sender_unnamed()) {
                    self.with_existing_link(&peer, |link| link.receive_candidate(&candidate));
                }
            }
            ServerMessage::Leave { name } => {
                if let Some(peer) = name.or_else(|| self.sender_unnamed()) {
                    self.close_link(&peer);
                }
            }
            ServerMessage::Error { message, .. } => self.toast(message),
            ServerMessage::Connect { .. }
            | ServerMessage::Pong
            | ServerMessage::IceServers { .. } => {}
        }
    }

    fn logged_in(&self, users: Vec<natter_protocol::User>, ice_servers: Vec<IceServer>) {
        let name = self.name.borrow().clone().unwrap_or_default();
        self.online.set(true);
        self.reconnect_attempts.set(0);
        *self.ice_servers.borrow_mut() = ice_servers;
        self.state.users.set(users.into_iter().filter(|user| user.user_name != name).collect());
        self.state.session.set(Session::LoggedIn { name });
        self.state.server.set(ServerLink::Online);
        for message in self.outbox.take() {
            self.send_now(&message);
        }
    }

    fn login_refused(&self, problem: String) {
        self.online.set(false);
        drop_later(self.socket.borrow_mut().take());
        self.state.server.set(ServerLink::Idle);
        self.state.session.set(Session::LoggedOut { error: Some(problem) });
    }

    fn on_disconnect(&self) {
        self.online.set(false);
        drop_later(self.socket.borrow_mut().take());
        match self.state.session.get_untracked() {
            Session::LoggedIn { .. } => self.schedule_reconnect(),
            Session::LoggingIn => {
                let url = self.server_url.borrow().clone().unwrap_or_default();
                self.login_refused(format!("Cannot reach the signaling server at {url}"));
            }
            Session::LoggedOut { .. } => self.state.server.set(ServerLink::Idle),
        }
    }

    fn schedule_reconnect(&self) {
        let attempt = self.reconnect_attempts.get();
        self.reconnect_attempts.set(attempt + 1);
        let delay = (Duration::from_millis(500) * 2u32.saturating_pow(attempt)).min(MAX_BACKOFF);
        let seconds = delay.as_secs_f64().ceil() as u32;
        self.state.server.set(ServerLink::Reconnecting { seconds });
        let this = self.this.clone();
        set_timeout(
            move || {
                if let Some(client) = this.upgrade() {
                    client.state.server.set(ServerLink::Connecting);
                    client.connect();
                }
            },
            delay,
        );
    }

    fn user_left(&self, id: &str, name: &str) {
        self.state.users.update(|users| users.retain(|user| user.id != id));
        // A peer whose signaling socket dropped may still be reachable directly: keep an
        // open chat, close a link that has none.
        let chat_open =
            self.state.peers.with_untracked(|peers| peers.get(name).is_some_and(|p| p.chat_open));
        if !chat_open {
            self.close_link(name);
        } else if self.link_lost(name) {
            self.peer_gone_from_files(name);
        }
    }

    /// Whether `peer` is gone for a transfer: the connection failed, or it stopped
    /// answering and the peer left the server too (a closed page never closes its
    /// channels on our side; only ICE notices, after seconds).
    fn link_lost(&self, peer: &str) -> bool {
        let link = self.state.peers.with_untracked(|peers| peers.get(peer).and_then(|p| p.link));
        match link {
            Some(LinkState::Failed | LinkState::Closed) => true,
            Some(LinkState::Disconnected) => !self.is_online(peer),
            _ => false,
        }
    }

    fn is_online(&self, peer: &str) -> bool {
        self.state.users.with_untracked(|users| users.iter().any(|user| user.user_name == peer))
    }

    /// The peer an unnamed answer/candidate/leave comes from: the only one, or the last
    /// one offered to.
    fn sender_unnamed(&self) -> Option<String> {
        let links = self.links.borrow();
        match links.len() {
            1 => links.names().next().map(str::to_owned),
            _ => self.last_offer_to.borrow().clone(),
        }
    }

    fn ensure_chat(&self, peer: &str) {
        self.with_link(peer, |link| {
            if !link.has_chat() {
                link.open_chat();
            }
        });
    }

    fn with_existing_link(&self, peer: &str, act: impl FnOnce(&PeerLink)) {
        if let Some(link) = self.links.borrow().get(peer) {
            act(link);
        }
    }

    /// Runs `act` on the link to `peer`, creating the link first if there is none.
    fn with_link(&self, peer: &str, act: impl FnOnce(&PeerLink)) {
        if self.links.borrow().get(peer).is_none() {
            match self.new_link(peer) {
                Ok(link) => {
                    self.links.borrow_mut().insert(peer, link);
                    self.state
                        .update_peer(peer, |status| status.link = Some(LinkState::Connecting));
                }
                Err(problem) => return self.toast(problem),
            }
        }
        self.with_existing_link(peer, act);
    }

    fn new_link(&self, peer: &str) -> Result<PeerLink, String> {
        let me = self.name.borrow().clone().unwrap_or_default();
        let (signals, events) = (self.this.clone(), self.this.clone());
        let (signal_peer, event_peer) = (peer.to_owned(), peer.to_owned());
        PeerLink::new(
            is_polite(&me, peer),
            &self.ice_servers.borrow(),
            move |signal| {
                if let Some(client) = signals.upgrade() {
                    client.relay(&signal_peer, signal);
                }
            },
            move |event| {
                if let Some(client) = events.upgrade() {
                    client.on_peer_event(&event_peer, event);
                }
            },
        )
    }

    fn close_link(&self, peer: &str) {
        self.peer_gone_from_call(peer);
        self.peer_gone_from_files(peer);
        if let Some(link) = self.links.borrow_mut().remove(peer) {
            drop_later(link);
        }
        // Whoever comes back under this name may run another app.
        self.state.update_peer(peer, |status| {
            *status =
                crate::state::PeerStatus { link: Some(LinkState::Closed), ..Default::default() }
        });
    }

    fn relay(&self, peer: &str, signal: Signal) {
        let name = peer.to_owned();
        let message = match signal {
            Signal::Description { offer: true, description } => {
                *self.last_offer_to.borrow_mut() = Some(name.clone());
                ClientMessage::Offer { name, offer: description }
            }
            Signal::Description { offer: false, description } => {
                ClientMessage::Answer { name, answer: description }
            }
            Signal::Candidate(candidate) => ClientMessage::Candidate { name, candidate },
        };
        if !(self.online.get() && self.send_now(&message)) {
            self.outbox.borrow_mut().push(message);
        }
    }

    fn send_now(&self, message: &ClientMessage) -> bool {
        self.socket.borrow().as_ref().is_some_and(|socket| socket.send(message))
    }

    fn on_peer_event(&self, peer: &str, event: PeerEvent) {
        if let PeerEvent::Text(text) = event {
            return self.queue_text(peer, text);
        }
        // Whatever came before this event is handled before it.
        self.read_inbox();
        match event {
            PeerEvent::State(state) => {
                self.state.update_peer(peer, |status| status.link = Some(state));
                if self.link_lost(peer) {
                    self.peer_gone_from_files(peer);
                }
            }
            PeerEvent::Route(route) => {
                self.state.update_peer(peer, |status| status.route = Some(route))
            }
            PeerEvent::ChannelOpen { peer_protocol } => {
                mark(&format!("natter:open:{peer}"));
                self.state.update_peer(peer, |status| {
                    status.chat_open = true;
                    if let Some(protocol) = &peer_protocol {
                        status.app.peer_opened_channel(protocol == CHAT_CHANNEL_PROTOCOL);
                    }
                });
                if peer_protocol.is_none() && self.peer_app(peer) == PeerApp::Unknown {
                    self.await_hello(peer);
                }
                self.greet(peer);
                // Lines sent on an earlier channel may have been lost with it.
                self.flush(peer, self.peer_app(peer).acks());
            }
            PeerEvent::ChannelClosed => {
                self.state.update_peer(peer, |status| status.chat_open = false);
                self.peer_gone_from_files(peer);
                if !self.is_online(peer) {
                    self.close_link(peer);
                }
            }
            PeerEvent::Text(_) => {} // queued above
            PeerEvent::Track(track) => self.on_remote_track(peer, track),
            PeerEvent::Channel(channel) => self.on_file_channel(peer, channel),
        }
    }

    /// Keeps a text from `peer` for a task of its own, which handles every text queued by
    /// then: the page is drawn once per burst of messages, not once per message, so that
    /// even a flood leaves it responsive.
    fn queue_text(&self, peer: &str, text: String) {
        let first = {
            let mut inbox = self.inbox.borrow_mut();
            inbox.push((peer.to_owned(), text));
            inbox.len() == 1
        };
        match (&self.read_inbox_task, first) {
            (Some(task), true) => task.schedule(),
            (None, _) => self.read_inbox(),
            _ => {}
        }
    }

    fn read_inbox(&self) {
        for (peer, text) in self.inbox.take() {
            self.on_peer_text(&peer, &text);
        }
    }

    fn on_peer_text(&self, peer: &str, text: &str) {
        let message = PeerMessage::parse(text);
        // Only natter sends typed messages and lines with ids.
        let natter_sign = match &message {
            Some(PeerMessage::Line(line)) => line.id.is_some(),
            Some(_) => true,
            None => false,
        };
        if natter_sign && self.update_app(peer, PeerApp::seen_natter) {
            self.greet(peer);
            // Lines sent before and not acknowledged are worth resending now.
            self.flush(peer, true);
        }
        match message {
            Some(PeerMessage::Hello { features }) => {
                self.update_app(peer, |app| app.hello(&features));
                self.greet(peer);
            }
            Some(PeerMessage::Line(line)) => {
                let id = line.id.clone();
                let viewing = self.state.selected.get_untracked().as_deref() == Some(peer);
                self.state.update_conversation(peer, |conversation| {
                    conversation.receive(peer, line, viewing)
                });
                // Only natter peers send ids, and only they understand an ack.
                if let Some(id) = id {
                    self.send_peer(peer, &PeerMessage::Ack { id });
                }
            }
            Some(PeerMessage::Ack { id }) => self
                .state
                .update_conversation(peer, |conversation| conversation.mark_delivered(&id)),
            Some(
                file @ (PeerMessage::FileOffer { .. }
                | PeerMessage::FileAnswer { .. }
                | PeerMessage::FileCancel { .. }
                | PeerMessage::FileDone { .. }),
            ) => self.on_file_message(peer, file),
            Some(call) => self.on_call_message(peer, call),
            None => {}
        }
    }

    /// Sends a typed message to `peer` on the chat channel; `false` if none is open, or if
    /// the peer is not known to be natter (an old client would show it as a chat line).
    fn send_peer(&self, peer: &str, message: &PeerMessage) -> bool {
        if !self.peer_app(peer).is_natter() {
            return false;
        }
        let text = message.to_json();
        self.links.borrow().get(peer).is_some_and(|link| link.send_text(&text).is_ok())
    }

    /// Changes what is known of the app of `peer`.
    fn update_app<R>(&self, peer: &str, change: impl FnOnce(&mut PeerApp) -> R) -> R {
        let mut result = None;
        self.state.update_peer(peer, |status| result = Some(change(&mut status.app)));
        result.unwrap_or_else(|| unreachable!("update_peer always runs the change"))
    }

    /// Sends our `hello` to a natter peer, once per connection.
    fn greet(&self, peer: &str) {
        let due = self.state.peers.with_untracked(|peers| {
            peers.get(peer).is_some_and(|p| p.app.is_natter() && p.chat_open && !p.greeted)
        });
        let features = OUR_FEATURES.iter().map(|&f| f.to_owned()).collect();
        if due && self.send_peer(peer, &PeerMessage::Hello { features }) {
            self.state.update_peer(peer, |status| status.greeted = true);
        }
    }

    /// The chat channel we opened to `peer` is up: a natter peer says `hello` at once, a
    /// classic client never does.
    fn await_hello(&self, peer: &str) {
        let this = self.this.clone();
        let peer = peer.to_owned();
        set_timeout(
            move || {
                if let Some(client) = this.upgrade() {
                    client.update_app(&peer, PeerApp::stayed_silent);
                }
            },
            HELLO_WAIT,
        );
    }

    /// Hands the lines waiting for `peer` to an open channel, and with `resend` those sent
    /// but not acknowledged, if the peer acknowledges lines (see
    /// [`crate::conversation::Conversation::to_send`]). A line the channel refuses is marked
    /// failed, and the ones after it still go.
    fn flush(&self, peer: &str, resend: bool) {
        let resend = resend && self.peer_app(peer).acks();
        let lines = self.state.conversations.with_untracked(|all| {
            all.get(peer).map(|conversation| conversation.to_send(resend)).unwrap_or_default()
        });
        self.with_existing_link(peer, |link| {
            for line in lines {
                let id = line.id.clone().unwrap_or_default();
                let sent = link.send_text(&PeerMessage::Line(line).to_json());
                self.state.update_conversation(peer, |conversation| match sent {
                    Ok(()) => conversation.mark_sent(&id),
                    Err(SendError::Refused) => conversation.mark_failed(&id),
                    Err(SendError::NotOpen) => {}
                });
                if sent == Err(SendError::NotOpen) {
                    break;
                }
            }
        });
    }
}
