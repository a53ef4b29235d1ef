//! How long to wait before reconnecting to the signaling server.

use std::time::Duration;

/// The first retry comes this soon.
const FIRST: Duration = Duration::from_millis(500);
/// Longest wait between two attempts.
const MAX: Duration = Duration::from_secs(8);

/// The wait before reconnection attempt `attempt` (0 for the first): doubling from half a
/// second, at most [`MAX`].
pub fn delay(attempt: u32) -> Duration {
    (FIRST * 2u32.saturating_pow(attempt)).min(MAX)
}

/// The wait in whole seconds, rounded up, as the status bar says it.
pub fn seconds(delay: Duration) -> u32 {
    delay.as_secs_f64().ceil() as u32
}
