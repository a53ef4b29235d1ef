//! What a peer's app has shown it understands: natter's typed messages (acks, calls,
//! files), or only the classic client's plain chat lines.

use crate::i18n::{Lang, K};
use natter_protocol::{
    FEATURE_ACKS, FEATURE_CALLS, FEATURE_EDITS, FEATURE_FILES, FEATURE_REACTIONS, FEATURE_READ,
    FEATURE_RESUME, FEATURE_ROOM, FEATURE_ROOM_CALLS, FEATURE_ROOM_FILES, FEATURE_ROOM_HISTORY,
    FEATURE_ROOM_NAME, FEATURE_ROOM_TYPING, FEATURE_TYPING,
};

/// What natter supports, as its `hello` lists it.
pub const OUR_FEATURES: [&str; 14] = [
    FEATURE_ACKS,
    FEATURE_CALLS,
    FEATURE_FILES,
    FEATURE_READ,
    FEATURE_TYPING,
    FEATURE_ROOM,
    FEATURE_ROOM_TYPING,
    FEATURE_ROOM_NAME,
    FEATURE_ROOM_FILES,
    FEATURE_REACTIONS,
    FEATURE_ROOM_HISTORY,
    FEATURE_ROOM_CALLS,
    // Issue 26: edits and deletions.
    FEATURE_EDITS,
    // Issue 26: offers and transfers that outlive a reload.
    FEATURE_RESUME,
];

/// The peer's app, as far as it has shown itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeerApp {
    /// Nothing known yet: no chat channel, or ours just opened and its `hello` is awaited.
    #[default]
    Unknown,
    /// Only plain chat lines (the classic client): never a typed message, never an ack.
    Classic,
    /// A natter app; `None` until its `hello` lists what it supports.
    Natter(Option<Features>),
}

/// What a natter peer supports beyond chat lines and acks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// Voice and video calls.
    pub calls: bool,
    /// File transfers.
    pub files: bool,
    /// Read receipts.
    pub read: bool,
    /// Typing notices.
    pub typing: bool,
    /// Lines to everyone in the room.
    pub room: bool,
    /// Typing notices in the room.
    pub room_typing: bool,
    /// A private room's name.
    pub room_name: bool,
    /// Files offered to everyone in the room.
    pub room_files: bool,
    /// Reactions to lines.
    pub reactions: bool,
    /// Signed room lines for newcomers (`roomKey`, `roomPast`).
    pub room_history: bool,
    /// Calls with everyone in the room.
    pub room_calls: bool,
    /// Edits and deletions of lines (`edit`, `roomEdit`).
    pub edits: bool,
    /// Offers made again, and transfers taken up where they broke, once the link is back.
    pub resume: bool,
}

/// Why a call or a file cannot be offered to a peer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// Its app has not said yet what it supports.
    Checking,
    /// Its app cannot take it.
    Never,
}

impl Unsupported {
    /// Why `peer` cannot take calls (or `files`), in `lang`'s words.
    pub fn explain(self, lang: Lang, peer: &str, files: bool) -> String {
        let key = match self {
            Unsupported::Checking => K::CheckingApp,
            Unsupported::Never if files => K::CantTakeFiles,
            Unsupported::Never => K::CantTakeCalls,
        };
        lang.fill(key, &[("peer", peer)])
    }
}

impl PeerApp {
    /// Whether typed messages (acks, calls, files, `hello`) may be sent: an old client would
    /// show them as chat lines.
    pub fn is_natter(self) -> bool {
        matches!(self, PeerApp::Natter(_))
    }

    /// Whether the peer acknowledges lines, so that unacknowledged ones are worth resending.
    pub fn acks(self) -> bool {
        self.is_natter()
    }

    /// The chat channel the peer opened is up: its sub-protocol tells natter from the
    /// classic client at once.
    pub fn peer_opened_channel(&mut self, natter_protocol: bool) {
        if natter_protocol {
            self.seen_natter();
        } else if *self == PeerApp::Unknown {
            *self = PeerApp::Classic;
        }
    }

    /// The peer sent something only natter sends: an ack, a line with an id, any typed
    /// message. Returns whether that is news.
    pub fn seen_natter(&mut self) -> bool {
        let news = !self.is_natter();
        if news {
            *self = PeerApp::Natter(None);
        }
        news
    }

    /// The peer's `hello`.
    pub fn hello(&mut self, features: &[String]) {
        let has = |feature: &str| features.iter().any(|f| f == feature);
        *self = PeerApp::Natter(Some(Features {
            calls: has(FEATURE_CALLS),
            files: has(FEATURE_FILES),
            read: has(FEATURE_READ),
            typing: has(FEATURE_TYPING),
            room: has(FEATURE_ROOM),
            room_typing: has(FEATURE_ROOM_TYPING),
            room_name: has(FEATURE_ROOM_NAME),
            room_files: has(FEATURE_ROOM_FILES),
            reactions: has(FEATURE_REACTIONS),
            room_history: has(FEATURE_ROOM_HISTORY),
            room_calls: has(FEATURE_ROOM_CALLS),
            edits: has(FEATURE_EDITS),
            resume: has(FEATURE_RESUME),
        }));
    }

    /// The chat channel we opened has been up a while and the peer said nothing natter
    /// would: it is a classic client.
    pub fn stayed_silent(&mut self) {
        if *self == PeerApp::Unknown {
            *self = PeerApp::Classic;
        }
    }

    /// Whether a call can be offered.
    pub fn calls(self) -> Result<(), Unsupported> {
        self.supports(|features| features.calls)
    }

    /// Whether a file can be offered.
    pub fn files(self) -> Result<(), Unsupported> {
        self.supports(|features| features.files)
    }

    /// Whether a file can be offered to the room, this peer among everyone.
    pub fn room_files(self) -> Result<(), Unsupported> {
        self.supports(|features| features.files && features.room_files)
    }

    /// Whether the peer is known never to take room lines (a classic client, or a natter
    /// without them): it is no longer waited for.
    pub fn never_in_room(self) -> bool {
        self.supports(|features| features.room) == Err(Unsupported::Never)
    }

    /// Whether the peer is known never to take what `feature` says (a classic client, or a
    /// `hello` without it).
    pub fn never(self, feature: fn(Features) -> bool) -> bool {
        self.supports(feature) == Err(Unsupported::Never)
    }

    /// Whether the peer reads `read` receipts and `typing` notices: only then are they sent.
    pub fn hears(self, feature: fn(Features) -> bool) -> bool {
        self.supports(feature).is_ok()
    }

    fn supports(self, feature: fn(Features) -> bool) -> Result<(), Unsupported> {
        match self {
            PeerApp::Natter(Some(features)) if feature(features) => Ok(()),
            PeerApp::Unknown | PeerApp::Natter(None) => Err(Unsupported::Checking),
            PeerApp::Classic | PeerApp::Natter(Some(_)) => Err(Unsupported::Never),
        }
    }
}
