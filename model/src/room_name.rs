//! A private room's name ("Book club"): what a member may call it, and which of two names
//! given at about the same time every member ends up with.

use natter_protocol::{check_label, LabelProblem, MAX_NAME_CHARS, MAX_ROOM_CHARS};

/// Hex digits of a private room's id: 80 random bits, not to be guessed.
pub const PRIVATE_ROOM_DIGITS: usize = 20;

/// How far in the future, by our clock, a peer's name may be dated: clocks differ a little,
/// but a name dated years ahead would win over every later one.
const LATEST_AHEAD_MS: u64 = 10 * 60 * 1000;

/// The name a member gave the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomName {
    /// The name, as shown.
    pub text: String,
    /// The member who gave it.
    pub by: String,
    /// When, in milliseconds since the Unix epoch.
    pub at: u64,
}

impl RoomName {
    /// The name a peer sent, if it is one: a name as [`check`] leaves it, given by a
    /// valid user name, not dated too far ahead of `now` (ms).
    pub fn from_peer(text: String, by: String, at: u64, now: u64) -> Option<RoomName> {
        let fine = check_label(&text, MAX_ROOM_CHARS).is_ok()
            && check_label(&by, MAX_NAME_CHARS).is_ok()
            && at <= now.saturating_add(LATEST_AHEAD_MS);
        fine.then_some(RoomName { text, by, at })
    }

    /// Whether this name replaces `current`: the latest wins, then the greater `by`, then
    /// the greater text, so every member, whatever order names reach it in, keeps the same.
    pub fn wins_over(&self, current: Option<&RoomName>) -> bool {
        current.is_none_or(|c| (self.at, &self.by, &self.text) > (c.at, &c.by, &c.text))
    }
}

/// What a person typed as the room's name, trimmed, if it can be one: 1 to
/// [`MAX_ROOM_CHARS`] characters, no control or invisible characters.
pub fn check(typed: &str) -> Result<String, LabelProblem> {
    let text = typed.trim();
    check_label(text, MAX_ROOM_CHARS).map(|()| text.to_owned())
}

/// Whether `room` is a private room's id (as "Start a private room" makes them): only those
/// are given names, a room entered by its name has one already.
pub fn is_private(room: &str) -> bool {
    room.len() == PRIVATE_ROOM_DIGITS
        && room.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
