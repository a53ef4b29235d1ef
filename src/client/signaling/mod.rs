//! The signaling part: one socket to the server, logging in (and back in after a loss,
//! with backoff), the list of who is online, and the messages for the server that wait
//! while it is away.

mod roster;

use super::events::{Dispatch, Event};
use crate::config;
use crate::i18n::{lang, t, tf, K};
use crate::state::{ChatState, LoginState, ServerLink};
use crate::web::drop_later;
use crate::web::page::page_href;
use crate::web::session_memory;
use crate::web::signaling_socket::{SignalingEvent, SignalingSocket};
use leptos::prelude::*;
use natter_model::backoff;
use natter_protocol::{ClientMessage, ErrorCode, IceServer, Payload, ServerMessage};
use std::cell::{Cell, RefCell};
use std::time::Duration;

use wasm_bindgen_futures::spawn_local;

/// What the server said that other parts must hear of.
pub enum FromServer {
    /// Logged in (again): who we are, the ICE servers to use, and the token to take the
    /// login back with.
    LoggedIn {
        me: String,
        ice_servers: Vec<IceServer>,
        resume: Option<String>,
    },
    /// Fresh ICE servers (TURN credentials) for the connections.
    IceServers(Vec<IceServer>),
    /// A negotiation message from a peer; the classic server leaves out who sent an answer,
    /// a candidate or a leave.
    Offer {
        from: String,
        offer: Payload,
    },
    Answer {
        from: Option<String>,
        answer: Payload,
    },
    Candidate {
        from: Option<String>,
        candidate: Payload,
    },
    Leave {
        from: Option<String>,
    },
    /// Someone new is in the room (not one coming back within the grace of a leave).
    Joined {
        name: String,
    },
    /// Another tab of this browser took our login over: this one stops.
    Replaced,
    /// Nothing for the other parts.
    Nothing,
}

/// The connection to the signaling server.
pub struct Signaling {
    state: ChatState,
    dispatch: Dispatch,
    url: RefCell<Option<String>>,
    socket: RefCell<Option<SignalingSocket>>,
    /// Logged in on the current socket.
    online: Cell<bool>,
    /// The name to log in (and back in) with.
    name: RefCell<Option<String>>,
    /// The server's token for taking our login back (after a reload, or when the server
    /// still holds our previous socket).
    resume: RefCell<Option<String>>,
    /// Relays that wait for the socket to be back.
    outbox: RefCell<Vec<ClientMessage>>,
    attempts: Cell<u32>,
    /// This login takes over another tab's ("Use here", or a room of "Your rooms").
    taking_over: Cell<bool>,
}

impl Signaling {
    /// Idle until [`Self::login`].
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        Signaling {
            state,
            dispatch,
            url: RefCell::default(),
            socket: RefCell::default(),
            online: Cell::new(false),
            name: RefCell::default(),
            resume: RefCell::default(),
            outbox: RefCell::default(),
            attempts: Cell::new(0),
            taking_over: Cell::new(false),
        }
    }

    /// Prepares a login under `name` (checked here first, then by the server), with the
    /// resume token of a login this tab had before a reload; `false` if the name is
    /// refused. [`Self::connect`] logs in.
    pub fn login(&self, name: String, resume: Option<String>) -> bool {
        if let Err(problem) = natter_protocol::check_label(&name, natter_protocol::MAX_NAME_CHARS) {
            let problem = lang().label_problem(problem, false);
            self.state.login.set(LoginState::LoggedOut { error: Some(problem) });
            return false;
        }
        *self.name.borrow_mut() = Some(name);
        *self.resume.borrow_mut() = resume;
        self.state.login.set(LoginState::LoggingIn);
        true
    }

    /// Where we are, as history keys it: the signaling server and the room (names are
    /// only unique there).
    pub fn place(&self) -> String {
        let room = self.state.room.get_untracked().unwrap_or_default();
        [self.url.borrow().as_deref().unwrap_or_default(), "#", &room].concat()
    }

    /// Finds the server (once), then opens a socket to it.
    pub fn connect(&self) {
        let known = self.url.borrow().clone();
        if let Some(url) = known {
            return self.on_url(Ok(url));
        }
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let configured = config::configured_server().await;
            let url = config::signaling_url(&page_href(), configured.as_deref());
            dispatch.send(Event::ServerUrl(url));
        });
    }

    /// The server's address is known: connects and logs in as soon as the socket opens.
    pub fn on_url(&self, url: Result<String, String>) {
        let url = match url {
            Ok(url) => url,
            Err(problem) => return self.refused(problem),
        };
        *self.url.borrow_mut() = Some(url.clone());
        let dispatch = self.dispatch.clone();
        match SignalingSocket::connect(&url, move |event| dispatch.send(Event::Signaling(event))) {
            Ok(socket) => {
                let name = self.name.borrow().clone().unwrap_or_default();
                let room = self.state.room.get_untracked();
                let resume = self.resume.borrow().clone();
                socket.send(&ClientMessage::Login { name, room, resume });
                *self.socket.borrow_mut() = Some(socket);
                if self.attempts.get() == 0 {
                    self.state.server.set(ServerLink::Connecting);
                }
            }
            Err(problem) => self.refused(problem),
        }
    }

    /// What the socket reported.
    pub fn on_socket(&self, event: SignalingEvent) -> FromServer {
        match event {
            SignalingEvent::Message(message) => self.on_message(message),
            SignalingEvent::Closed { replaced: true } => {
                // Another tab took our login over: coming back by ourselves would take it
                // from that one; the person may ("Use here").
                self.resume.take();
                self.state.open_elsewhere.set(self.name.borrow().clone());
                self.refused(t(K::OpenInAnotherTab).into());
                FromServer::Replaced
            }
            SignalingEvent::Closed { replaced: false } => {
                self.disconnected();
                FromServer::Nothing
            }
        }
    }

    /// Sends a relay now, or once the server is back.
    pub fn relay(&self, message: ClientMessage) {
        if !(self.online.get() && self.send_now(&message)) {
            self.outbox.borrow_mut().push(message);
        }
    }

    /// Sends a message now if the socket is open; `false` if it did not go.
    pub fn send_now(&self, message: &ClientMessage) -> bool {
        self.socket.borrow().as_ref().is_some_and(|socket| socket.send(message))
    }

    fn on_message(&self, message: ServerMessage) -> FromServer {
        match message {
            ServerMessage::Login {
                success: true,
                users,
                ice_servers,
                ice_ttl,
                resume,
                room,
                ..
            } => {
                self.refresh_before(ice_ttl);
                *self.resume.borrow_mut() = resume;
                self.room_named(room);
                return self.logged_in(users.unwrap_or_default(), ice_servers.unwrap_or_default());
            }
            ServerMessage::IceServers { ice_servers, ice_ttl } => {
                self.refresh_before(ice_ttl);
                return FromServer::IceServers(ice_servers);
            }
            ServerMessage::Login { success: false, code, looks_like, problem, .. } => {
                let relogin =
                    matches!(self.state.login.get_untracked(), LoginState::LoggedIn { .. });
                let passing =
                    matches!(code, Some(ErrorCode::NameTaken | ErrorCode::TemporarilyUnavailable));
                if relogin && passing {
                    // Our previous socket is still registered until the server notices it
                    // is gone, or the server's instances lost their Redis for a moment:
                    // try again shortly.
                    drop_later(self.socket.borrow_mut().take());
                    self.schedule_reconnect();
                } else if code == Some(ErrorCode::NameTaken) && looks_like.is_none() {
                    self.name_in_use();
                } else {
                    self.refused(lang().login_refusal(code, looks_like.as_deref(), problem));
                }
            }
            ServerMessage::UpdateUsers { user } => {
                if let Some(name) = self.listed(user) {
                    return FromServer::Joined { name };
                }
            }
            ServerMessage::RemoveUser { user } => self.unlisted(user),
            ServerMessage::Offer { offer, name } => return FromServer::Offer { from: name, offer },
            ServerMessage::Answer { answer, name } => {
                return FromServer::Answer { from: name, answer }
            }
            ServerMessage::Candidate { candidate, name } => {
                return FromServer::Candidate { from: name, candidate }
            }
            ServerMessage::Leave { name } => return FromServer::Leave { from: name },
            ServerMessage::Error { code, message } => {
                if let Some(notice) = lang().server_error(code, message) {
                    self.state.notify(notice);
                }
            }
            ServerMessage::Connect { .. } | ServerMessage::Pong => {}
        }
        FromServer::Nothing
    }

    /// Our name is in use in the room. If another tab of this browser logged in under it
    /// (its token is shared), the person may take it over here; a token tried in vain is
    /// stale, and a stranger's login only hears that the name is taken.
    fn name_in_use(&self) {
        let room = self.state.room.get_untracked().unwrap_or_default();
        let name = self.name.borrow().clone().unwrap_or_default();
        match session_memory::shared_token(&room, &name) {
            Some(token) if self.resume.borrow().as_deref() != Some(&token) => {
                self.state.open_elsewhere.set(Some(name));
                self.refused(t(K::OpenInAnotherTab).into());
            }
            shared => {
                if shared.is_some() {
                    session_memory::forget_shared(&room);
                }
                self.refused(lang().name_taken(None));
            }
        }
    }

    /// Takes over the login another tab of this browser holds here, with the token it
    /// shared; `false` if the name is refused.
    pub fn use_here(&self) -> bool {
        let room = self.state.room.get_untracked().unwrap_or_default();
        let Some(name) = self.state.open_elsewhere.get_untracked() else { return false };
        self.return_as(&room, name)
    }

    /// Prepares a login under `name` in `room` with the token of this browser's latest
    /// login there, if it was under that name: a login the server still holds (another
    /// tab's, or a page's gone without closing its socket) is taken over, not refused.
    pub fn return_as(&self, room: &str, name: String) -> bool {
        let token = session_memory::shared_token(room, &name);
        let taking_over = token.is_some();
        let ready = self.login(name, token);
        self.taking_over.set(ready && taking_over);
        ready
    }

    /// The server says how the room we joined is spelled (its first member's way): the
    /// page shows that; the address keeps ours.
    fn room_named(&self, shown: Option<String>) {
        self.state.room_shown.set(shown);
    }

    fn logged_in(
        &self,
        users: Vec<natter_protocol::User>,
        ice_servers: Vec<IceServer>,
    ) -> FromServer {
        let me = self.name.borrow().clone().unwrap_or_default();
        self.online.set(true);
        self.attempts.set(0);
        self.state.open_elsewhere.set(None);
        self.state.users.set(users.into_iter().filter(|user| user.user_name != me).collect());
        self.state.login.set(LoginState::LoggedIn { name: me.clone() });
        self.state.server.set(ServerLink::Online);
        for message in self.outbox.take() {
            self.send_now(&message);
        }
        if self.taking_over.take() {
            // The other tab's connections are over: peers hear it as from a page that
            // left, before this tab's offers.
            let peers = self.state.users.with_untracked(|users| {
                users.iter().map(|user| user.user_name.clone()).collect::<Vec<_>>()
            });
            for name in peers {
                self.send_now(&ClientMessage::Leave { name });
            }
        }
        let resume = self.resume.borrow().clone();
        FromServer::LoggedIn { me, ice_servers, resume }
    }

    fn refused(&self, problem: String) {
        self.online.set(false);
        drop_later(self.socket.borrow_mut().take());
        self.state.server.set(ServerLink::Idle);
        self.state.login.set(LoginState::LoggedOut { error: Some(problem) });
    }

    fn disconnected(&self) {
        self.online.set(false);
        drop_later(self.socket.borrow_mut().take());
        match self.state.login.get_untracked() {
            LoginState::LoggedIn { .. } => self.schedule_reconnect(),
            LoginState::LoggingIn => {
                // The next login looks for the server anew: config.json, unread offline,
                // may name another one.
                let url = self.url.take().unwrap_or_default();
                config::read_config_again();
                self.refused(tf(K::CannotReachServer, &[("url", &url)]));
            }
            LoginState::LoggedOut { .. } => self.state.server.set(ServerLink::Idle),
        }
    }

    fn schedule_reconnect(&self) {
        let attempt = self.attempts.get();
        self.attempts.set(attempt + 1);
        let delay = backoff::delay(attempt);
        self.state.server.set(ServerLink::Reconnecting { seconds: backoff::seconds(delay) });
        self.dispatch.later(Event::Reconnect, delay);
    }

    /// Asks for fresh credentials when four fifths of `ttl` seconds have passed, so that a
    /// connection gathering anew (an ICE restart) never uses expired ones.
    fn refresh_before(&self, ttl: Option<u64>) {
        if let Some(ttl) = ttl {
            let delay = Duration::from_secs(ttl.max(5)) * 4 / 5;
            self.dispatch.later(Event::IceRefreshDue, delay);
        }
    }

    /// The credentials will expire soon: asks for fresh ones (a socket that is down gets
    /// them with its next login).
    pub fn refresh_ice(&self) {
        if self.online.get() {
            self.send_now(&ClientMessage::IceServers);
        }
    }

    /// The backoff is over: tries again.
    pub fn reconnect(&self) {
        self.state.server.set(ServerLink::Connecting);
        self.connect();
    }
}
