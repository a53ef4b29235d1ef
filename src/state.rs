//! The app's shared reactive state: plain data in signals, read by components, written by
//! the engine's parts (each signal has one part that writes it).

use crate::web::file_job::FileJob;
use leptos::prelude::*;
use natter_model::call::Call;
use natter_model::conversation::reply::Quote;
use natter_model::identity::PeerIdentity;
use natter_model::link::PeerStatus;
use natter_model::notices::Notices;
use natter_model::per_peer::PerPeer;
use natter_model::room_call::RoomCall;
use natter_model::talk::{Conversations, Talk};
use natter_model::transfer::Transfer;
use natter_protocol::User;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::MediaStream;

/// How long a notice stays.
const NOTICE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(6);

/// Where the user is in logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginState {
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

/// One file transfer: what the UI shows of it, in a signal of its own (progress redraws
/// that transfer alone), and the browser objects the files part works with.
#[derive(Clone)]
pub struct TransferEntry {
    /// What is shown.
    pub view: ArcRwSignal<Transfer>,
    /// The file, its channel, the chunks so far.
    pub job: Rc<RefCell<FileJob>>,
}

impl TransferEntry {
    /// Whether this is transfer `id` with `peer`.
    pub fn is(&self, peer: &str, id: &str) -> bool {
        self.view.with_untracked(|t| t.peer == peer && t.id == id)
    }
}

/// The signals the components read; `Copy`, so it is cheap to hand around.
#[derive(Clone, Copy)]
pub struct ChatState {
    /// Login progress (written by the signaling part).
    pub login: RwSignal<LoginState>,
    /// The name another tab of this browser uses here, which this one may take over
    /// ("Use here"; signaling part).
    pub open_elsewhere: RwSignal<Option<String>>,
    /// The signaling socket (signaling part).
    pub server: RwSignal<ServerLink>,
    /// The room from the page URL; `None` is the lobby.
    pub room: RwSignal<Option<String>>,
    /// The room's name as the server spells it (the spelling of whoever opened it), once
    /// logged in (signaling part).
    pub room_shown: RwSignal<Option<String>>,
    /// The name a member gave this private room, if any (messaging part, which keeps who
    /// gave it and when).
    pub room_named: RwSignal<Option<String>>,
    /// Everyone else online in the room, in order of arrival (signaling part).
    pub users: RwSignal<Vec<User>>,
    /// Those in `users` the server no longer lists: shown offline at once, while the list
    /// keeps them a few seconds, in case it is a reload (signaling part).
    pub gone: RwSignal<Vec<User>>,
    /// The connection to each peer (links part).
    pub peers: RwSignal<PerPeer<PeerStatus>>,
    /// The room's conversation and each person's (messaging part).
    pub conversations: RwSignal<Conversations>,
    /// The conversation on screen.
    pub selected: RwSignal<Option<Talk>>,
    /// The line the next text sent in a conversation answers (set by a message's "Reply",
    /// taken by sending).
    pub replying: RwSignal<Option<(Talk, Quote)>>,
    /// Our line the composer of a conversation is editing: its id and its words (set by a
    /// message's "Edit" or Up in an empty composer, taken by saving or Escape).
    pub editing: RwSignal<Option<(Talk, Quote)>>,
    /// Our own safety code, once our identity is ready (identity part).
    pub my_code: RwSignal<Option<String>>,
    /// Who each peer is on its current connection (identity part).
    pub identities: RwSignal<PerPeer<PeerIdentity>>,
    /// Until when (`Date.now()` ms) each peer is shown typing to us (messaging part).
    pub typing: RwSignal<PerPeer<f64>>,
    /// Until when (`Date.now()` ms) each peer is shown typing in the room (messaging part).
    pub room_typing: RwSignal<PerPeer<f64>>,
    /// Why no history is kept on this device, if it is not (history part).
    pub history_off: RwSignal<Option<String>>,
    /// Desktop notifications: `None` where the browser has none, else whether allowed.
    pub notifications: RwSignal<Option<bool>>,
    /// Notices on screen (any part may add one).
    pub notices: RwSignal<Notices>,
    /// The call under way, if any (calls part).
    pub call: RwSignal<Option<Call>>,
    /// Our camera and microphone (or screen) in a call (calls part).
    pub local_stream: RwSignal<Option<MediaStream>, LocalStorage>,
    /// What the peer sends in a call (calls part).
    pub remote_stream: RwSignal<Option<MediaStream>, LocalStorage>,
    /// The room's call, if one runs (room calls part).
    pub room_call: RwSignal<Option<RoomCall>>,
    /// What each other member of the room's call sends us (room calls part).
    pub room_streams: RwSignal<PerPeer<MediaStream>, LocalStorage>,
    /// File transfers with every peer, oldest first, one entry per (peer, id) (files part).
    pub transfers: RwSignal<Vec<TransferEntry>, LocalStorage>,
}

impl ChatState {
    /// Fresh state for a page in `room`.
    pub fn new(room: Option<String>) -> Self {
        ChatState {
            login: RwSignal::new(LoginState::LoggedOut { error: None }),
            open_elsewhere: RwSignal::new(None),
            server: RwSignal::new(ServerLink::Idle),
            room: RwSignal::new(room),
            room_shown: RwSignal::new(None),
            room_named: RwSignal::new(None),
            users: RwSignal::new(Vec::new()),
            gone: RwSignal::new(Vec::new()),
            peers: RwSignal::default(),
            conversations: RwSignal::default(),
            selected: RwSignal::new(None),
            replying: RwSignal::new(None),
            editing: RwSignal::new(None),
            my_code: RwSignal::new(None),
            identities: RwSignal::default(),
            typing: RwSignal::default(),
            room_typing: RwSignal::default(),
            history_off: RwSignal::new(None),
            notifications: RwSignal::new(crate::web::attention::notifications_allowed()),
            notices: RwSignal::default(),
            call: RwSignal::new(None),
            local_stream: RwSignal::new_local(None),
            remote_stream: RwSignal::new_local(None),
            room_call: RwSignal::new(None),
            room_streams: RwSignal::new_local(PerPeer::default()),
            transfers: RwSignal::new_local(Vec::new()),
        }
    }

    /// Whether we are in the room's call.
    pub fn in_room_call(&self) -> bool {
        untrack(|| self.in_room_call_tracked())
    }

    /// Whether we are in the room's call, for a component that follows it.
    pub fn in_room_call_tracked(&self) -> bool {
        self.room_call.get().is_some_and(|call| call.joined.is_some())
    }

    /// Our own name, once logged in.
    pub fn me(&self) -> Option<String> {
        match self.login.get_untracked() {
            LoginState::LoggedIn { name } => Some(name),
            _ => None,
        }
    }

    /// The room's name to show: the one a member gave it, else as the server spells it,
    /// else as the address does.
    pub fn room_name(&self) -> Option<String> {
        let named = self.room_named.get();
        named.or_else(|| self.room_shown.get()).or_else(|| self.room.get())
    }

    /// Whether `peer` is online on the signaling server.
    pub fn is_online(&self, peer: &str) -> bool {
        self.users.with_untracked(|users| users.iter().any(|user| user.user_name == peer))
    }

    /// Whether `peer` is online, not just kept in the list after leaving: someone to
    /// connect to.
    pub fn is_here(&self, peer: &str) -> bool {
        self.gone.with_untracked(|gone| {
            self.users.with_untracked(|users| {
                users.iter().any(|user| user.user_name == peer && !gone.contains(user))
            })
        })
    }

    /// Shows a notice for a few seconds.
    pub fn notify(&self, text: impl Into<String>) {
        self.notify_about(None, text.into());
    }

    /// Shows a notice about `person` (their avatar beside it), if any, for a few seconds.
    pub fn notify_about(&self, person: Option<&str>, text: String) {
        let notices = self.notices;
        let about = person.map(str::to_owned);
        if let Some(id) = notices.try_update(|all| all.push(text, about)).flatten() {
            set_timeout(move || notices.update(|all| all.remove(id)), NOTICE_LIFETIME);
        }
    }

    /// Whether the conversation on screen is `talk`.
    pub fn shows(&self, talk: Talk<&str>) -> bool {
        self.selected.with_untracked(|selected| selected.as_ref().map(Talk::as_deref) == Some(talk))
    }

    /// What is known of the connection to `peer`.
    pub fn peer(&self, peer: &str) -> PeerStatus {
        self.peers.with_untracked(|peers| peers.get(peer).copied().unwrap_or_default())
    }
}
