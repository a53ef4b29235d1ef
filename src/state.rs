//! The app's reactive state: plain data in signals, shared through context.

use crate::call::Call;
use crate::conversation::Conversation;
use crate::net::peer::{LinkState, Route};
use crate::peer_app::PeerApp;
use crate::per_peer::PerPeer;
use crate::transfer::Transfer;
use leptos::prelude::*;
use natter_protocol::User;

/// Where the user is in logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Showing the login form, with the last refusal if any.
    LoggedOut { error: Option<String> },
    /// A login is on its way.
    LoggingIn,
    /// Logged in under `name`.
    LoggedIn { name: String },
}

/// The signaling socket, as the status bar tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerLink {
    /// Not connected and not trying.
    Idle,
    /// Connecting or logging in.
    Connecting,
    /// Logged in and listening.
    Online,
    /// Lost; the next attempt is in `seconds`.
    Reconnecting { seconds: u32 },
}

/// What the users list shows of the connection to one peer.
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
}

/// A short notice at the corner of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// For removal.
    pub id: u32,
    /// What to say.
    pub text: String,
}

/// Every signal the components read; `Copy`, so it is cheap to hand around.
#[derive(Clone, Copy)]
pub struct ChatState {
    /// Login progress.
    pub session: RwSignal<Session>,
    /// The signaling socket.
    pub server: RwSignal<ServerLink>,
    /// The room from the page URL; `None` is the lobby.
    pub room: RwSignal<Option<String>>,
    /// Everyone else online in the room, in order of arrival.
    pub users: RwSignal<Vec<User>>,
    /// Connection status per peer name.
    pub peers: RwSignal<PerPeer<PeerStatus>>,
    /// Conversations per peer name.
    pub conversations: RwSignal<PerPeer<Conversation>>,
    /// The conversation on screen.
    pub selected: RwSignal<Option<String>>,
    /// Notices on screen.
    pub toasts: RwSignal<Vec<Toast>>,
    /// The call under way, if any.
    pub call: RwSignal<Option<Call>>,
    /// Bumped whenever the call's streams change, so the videos pick them up (the streams
    /// themselves are browser objects, kept by the client).
    pub media_epoch: RwSignal<u32>,
    /// File transfers with every peer, oldest first (the files themselves are browser
    /// objects, kept by the client).
    pub transfers: RwSignal<Vec<Transfer>>,
}

impl ChatState {
    /// Fresh state for a page in `room`.
    pub fn new(room: Option<String>) -> Self {
        ChatState {
            session: RwSignal::new(Session::LoggedOut { error: None }),
            server: RwSignal::new(ServerLink::Idle),
            room: RwSignal::new(room),
            users: RwSignal::new(Vec::new()),
            peers: RwSignal::default(),
            conversations: RwSignal::default(),
            selected: RwSignal::new(None),
            toasts: RwSignal::new(Vec::new()),
            call: RwSignal::new(None),
            media_epoch: RwSignal::new(0),
            transfers: RwSignal::new(Vec::new()),
        }
    }

    /// Our own name, once logged in.
    pub fn me(&self) -> Option<String> {
        match self.session.get_untracked() {
            Session::LoggedIn { name } => Some(name),
            _ => None,
        }
    }

    /// Changes the conversation with `peer`, creating it if needed.
    pub fn update_conversation<R>(
        &self,
        peer: &str,
        change: impl FnOnce(&mut Conversation) -> R,
    ) -> R {
        // A write guard (it notifies when dropped) is one type for every caller, where
        // `update` would repeat the signal's code for each closure: smaller wasm.
        change(self.conversations.write().get_or_default(peer))
    }

    /// Changes the transfer `id` with `peer`, if there is one.
    pub fn update_transfer<R>(
        &self,
        peer: &str,
        id: &str,
        change: impl FnOnce(&mut Transfer) -> R,
    ) -> Option<R> {
        self.transfers.write().iter_mut().find(|t| t.peer == peer && t.id == id).map(change)
    }

    /// Changes what is shown of the connection to `peer`.
    pub fn update_peer(&self, peer: &str, change: impl FnOnce(&mut PeerStatus)) {
        change(self.peers.write().get_or_default(peer));
    }
}
