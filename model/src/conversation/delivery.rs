//! How far an outgoing message has come.

/// How far an outgoing message has come; marks only move forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Waiting for the channel to open.
    Queued,
    /// The channel refused it; waits for the user to retry.
    Failed,
    /// Handed to the data channel.
    Sent,
    /// The receiver acknowledged it.
    Delivered,
    /// The receiver's screen showed it.
    Read,
}

impl Delivery {
    /// A stable word for styling, tests and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Failed => "failed",
            Delivery::Sent => "sent",
            Delivery::Delivered => "delivered",
            Delivery::Read => "read",
        }
    }
}
