//! natter's signaling messages (JSON over WebSocket), shared by the app and the server.
//!
//! The base messages are those of the classic Node.js tutorial server, field for field and
//! in the same order; everything natter adds is an optional field or a new type, so an old
//! peer ignores it. The specification is `docs/protocol.md`.

mod client;
mod error;
pub mod json;
mod peer;
mod raw_json;
mod server;

pub use client::ClientMessage;
pub use error::{ErrorCode, ParseError};
pub use peer::FEATURE_ROOM_CALLS;
pub use peer::{
    file_channel_label, file_id_of_label, ChatLine, PeerMessage, CHAT_CHANNEL_LABEL,
    CHAT_CHANNEL_PROTOCOL, FEATURE_ACKS, FEATURE_CALLS, FEATURE_EDITS, FEATURE_FILES,
    FEATURE_REACTIONS, FEATURE_READ, FEATURE_RESUME, FEATURE_ROOM, FEATURE_ROOM_FILES,
    FEATURE_ROOM_HISTORY, FEATURE_ROOM_NAME, FEATURE_ROOM_TYPING, FEATURE_TYPING, FILE_CHUNK_BYTES,
    MAX_PROOF_CHARS, MAX_TEXT_CHARS,
};
pub use raw_json::RawJson;
pub use server::{IceServer, ServerMessage, User};

/// An opaque JSON value relayed untouched between peers (an SDP or ICE candidate).
pub type Payload = RawJson;

/// Greeting the reference server sends on every new socket.
pub const CONNECT_GREETING: &str = "Well hello there, I am a WebSocket server";

/// Login failure text of the reference server.
pub const NAME_TAKEN_MESSAGE: &str = "Username is unavailable";

/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 32;

/// Longest room id, in characters.
pub const MAX_ROOM_CHARS: usize = 64;

/// Checks a user name: 1 to [`MAX_NAME_CHARS`] characters, no control characters, no
/// invisible characters or text-direction controls (see [`is_hidden`]), not blank and no
/// leading or trailing white space. The error is a sentence for the user. The server also
/// refuses a name that looks like one already in the room (`docs/protocol.md`, 5.1).
pub fn validate_name(name: &str) -> Result<(), String> {
    validate_label(name, MAX_NAME_CHARS, "Name")
}

/// Checks a room id by the same rules as a name, up to [`MAX_ROOM_CHARS`].
pub fn validate_room(room: &str) -> Result<(), String> {
    validate_label(room, MAX_ROOM_CHARS, "Room")
}

fn validate_label(text: &str, max_chars: usize, what: &str) -> Result<(), String> {
    check_label(text, max_chars).map_err(|problem| problem.sentence(what, max_chars))
}

/// What is wrong with a name or room id (the app says it in the person's language; the
/// server in English, see [`LabelProblem::sentence`], with the problem's wire name
/// beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    /// Blank.
    Empty,
    /// Over its most characters.
    TooLong,
    /// Control characters or line breaks.
    Control,
    /// Invisible characters or text-direction controls (see [`is_hidden`]).
    Hidden,
    /// White space before or after.
    Spaces,
    /// Nothing but joiners and variation selectors, which show as nothing: only the
    /// server finds this (it computes the name's key, `docs/protocol.md` 5.1).
    NothingVisible,
}

impl LabelProblem {
    const ALL: [LabelProblem; 6] = [
        LabelProblem::Empty,
        LabelProblem::TooLong,
        LabelProblem::Control,
        LabelProblem::Hidden,
        LabelProblem::Spaces,
        LabelProblem::NothingVisible,
    ];

    /// The problem as the wire names it (a failed login's `problem`).
    pub fn as_str(self) -> &'static str {
        match self {
            LabelProblem::Empty => "empty",
            LabelProblem::TooLong => "too_long",
            LabelProblem::Control => "control",
            LabelProblem::Hidden => "hidden",
            LabelProblem::Spaces => "spaces",
            LabelProblem::NothingVisible => "nothing_visible",
        }
    }

    /// The problem of a wire name; `None` for one this build does not know.
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|problem| problem.as_str() == name)
    }

    /// The server's English sentence for it: `what` is "Name" or "Room".
    pub fn sentence(self, what: &str, max_chars: usize) -> String {
        let problem = match self {
            LabelProblem::Empty => "must not be empty".to_owned(),
            LabelProblem::TooLong => format!("is too long ({max_chars} characters at most)"),
            LabelProblem::Control => {
                "must not contain control characters or line breaks".to_owned()
            }
            LabelProblem::Hidden => {
                "must not contain invisible characters or text-direction marks".to_owned()
            }
            LabelProblem::Spaces => "must not start or end with spaces".to_owned(),
            LabelProblem::NothingVisible => "must contain a visible character".to_owned(),
        };
        format!("{what} {problem}")
    }
}

/// Checks a name or room id of at most `max_chars` characters, by [`validate_name`]'s rules.
pub fn check_label(text: &str, max_chars: usize) -> Result<(), LabelProblem> {
    if text.trim().is_empty() {
        Err(LabelProblem::Empty)
    } else if text.chars().nth(max_chars).is_some() {
        Err(LabelProblem::TooLong)
    } else if text.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
        Err(LabelProblem::Control)
    } else if text.chars().any(is_hidden) {
        Err(LabelProblem::Hidden)
    } else if text.trim() != text {
        Err(LabelProblem::Spaces)
    } else {
        Ok(())
    }
}

/// Characters that show as nothing and that no script needs in a name: zero-width and
/// blank fillers, which make a name look like another or like none, and the text-direction
/// controls, which reorder how a name and what follows it show ("\u{202E}ecila" shows as
/// "alice"). Zero-width joiners and variation selectors are allowed: emoji and some
/// scripts need them.
fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(validate_name("alice").is_ok());
        assert!(validate_name("Ünïcødé 名前").is_ok());
        assert!(validate_name("__proto__").is_ok());
        assert!(validate_name(&"x".repeat(32)).is_ok());
        assert!(validate_name(&"é".repeat(32)).is_ok());
        assert!(validate_name(&"x".repeat(33)).is_err());
        assert!(validate_name("").is_err());
        assert!(validate_name("   ").is_err());
        assert!(validate_name(" alice").is_err());
        assert!(validate_name("al\nice").is_err());
        assert!(validate_name("al\u{7}ice").is_err());
        assert!(validate_name("al\u{2028}ice").is_err());
        assert!(validate_room(&"r".repeat(64)).is_ok());
        assert!(validate_room(&"r".repeat(65)).is_err());
    }

    #[test]
    fn hidden_characters_are_refused() {
        let hidden = "Name must not contain invisible characters or text-direction marks";
        for name in [
            "\u{202E}ecila",
            "alice\u{200B}",
            "al\u{2066}ice\u{2069}",
            "\u{200F}bob",
            "\u{3164}",
            "bob\u{FEFF}",
            "bo\u{AD}b",
        ] {
            assert_eq!(validate_name(name), Err(hidden.to_owned()), "{name:?}");
        }
        assert!(validate_room("team\u{202E}").is_err());
        // Emoji sequences and scripts that need joiners stay usable.
        for name in ["👩\u{200D}💻 dev", "❤\u{FE0F}", "\u{645}\u{6CC}\u{200C}\u{631}\u{648}\u{62F}"]
        {
            assert_eq!(validate_name(name), Ok(()), "{name:?}");
        }
    }
}
