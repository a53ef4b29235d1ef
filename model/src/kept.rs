//! What the device keeps of a conversation: the changes to write, and a conversation read
//! back, each under its store key.

use crate::conversation::{Conversation, Message};

/// A conversation's changes, for the store.
pub struct Saved {
    /// The peer's name now.
    pub name: String,
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
    /// The name it was last held under.
    pub name: String,
    /// Its key (see [`Saved::key`]).
    pub key: String,
    pub conversation: Conversation,
}
