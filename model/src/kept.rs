//! What the device keeps of a conversation: the changes to write, and a conversation read
//! back, each under its store key; and how the store names conversations.

use crate::conversation::{Conversation, Message};
use crate::talk::Talk;

/// The start of the key of a conversation whose peer is not identified yet.
const UNIDENTIFIED: &str = "name:";

/// A conversation's changes, for the store.
pub struct Saved {
    /// Whose conversation it is now.
    pub talk: Talk,
    /// Its key: the peer's fingerprint, or a stand-in for a peer not identified yet.
    pub key: String,
    /// New and changed messages.
    pub messages: Vec<Message>,
    /// Messages let go, by `seq`.
    pub removed: Vec<u64>,
    pub unread: usize,
    pub trimmed: bool,
}

/// A conversation read back from the store.
pub struct Loaded {
    /// Whose conversation it was last.
    pub talk: Talk,
    /// Its key (see [`Saved::key`]).
    pub key: String,
    pub conversation: Conversation,
}

/// The name the store files a conversation under: the person's, or an empty one for the
/// room's own (no person's name is empty; the store's records predate [`Talk`]).
pub fn stored_name(talk: Talk<&str>) -> &str {
    match talk {
        Talk::Room => "",
        Talk::With(name) => name,
    }
}

/// The conversation a name read back from the store stands for (see [`stored_name`]).
pub fn talk_of(stored: String) -> Talk {
    if stored.is_empty() {
        Talk::Room
    } else {
        Talk::With(stored)
    }
}

/// The key of the conversation `talk` while its peer is not identified (the room's never
/// is: it belongs to no one identity).
pub fn unidentified_key(talk: Talk<&str>) -> String {
    [UNIDENTIFIED, stored_name(talk)].concat()
}

/// The identity a store key names: `None` for an [`unidentified_key`].
pub fn identity_of(key: String) -> Option<String> {
    (!key.starts_with(UNIDENTIFIED)).then_some(key)
}
