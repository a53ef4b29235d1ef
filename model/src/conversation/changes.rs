//! What changed in a conversation since storage last saved it.

/// What changed since the last [`take_changes`](super::Conversation::take_changes): messages
/// to save, by `seq`, and those let go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// New or changed messages.
    pub saved: Vec<u64>,
    /// Messages no longer kept.
    pub removed: Vec<u64>,
    /// The unread count or the trimmed mark changed.
    pub state: bool,
}

impl Changes {
    /// Notes `seq` to save, keeping the list sorted and each once (without a sort, which
    /// would weigh on the download).
    pub(super) fn save(&mut self, seq: u64) {
        if let Err(at) = self.saved.binary_search(&seq) {
            self.saved.insert(at, seq);
        }
    }

    /// Nothing to save.
    pub fn is_empty(&self) -> bool {
        self.saved.is_empty() && self.removed.is_empty() && !self.state
    }
}
