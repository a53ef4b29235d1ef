//! Machine-readable error codes and the errors of parsing a frame.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable code carried beside the human `message` of an `error` (a natter addition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame is not JSON, or not a JSON object.
    InvalidJson,
    /// The `type` is not one the server knows.
    UnknownType,
    /// A field the type needs is missing or has the wrong JSON type.
    BadMessage,
    /// A relay or leave before a successful login.
    NotLoggedIn,
    /// A second login on a socket that is already logged in.
    AlreadyLoggedIn,
    /// Empty, overlong or otherwise unusable name.
    BadName,
    /// Unusable room id.
    BadRoom,
    /// Someone in the room already has that name.
    NameTaken,
    /// A relay to a name nobody in the room has.
    NoSuchUser,
    /// A frame over the size limit.
    TooLarge,
    /// A binary frame: the protocol is JSON text only.
    BinaryFrame,
    /// Too many messages too fast.
    RateLimited,
    /// Too many sockets from one address.
    TooManyConnections,
    /// Any code from a newer server this build does not know.
    #[serde(other)]
    Unknown,
}

/// Why a text frame is not a valid message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON, or JSON that is not an object.
    InvalidJson,
    /// An object whose `type` is missing, not a string, or unknown; holds the `type` as
    /// the reference server would print it (`undefined` when missing).
    UnknownType(String),
    /// A known type with a missing or mistyped field.
    BadField {
        /// The message type.
        kind: &'static str,
        /// The offending field.
        field: &'static str,
    },
}

impl ParseError {
    /// The code an `error` reply carries for this parse error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ParseError::InvalidJson => ErrorCode::InvalidJson,
            ParseError::UnknownType(_) => ErrorCode::UnknownType,
            ParseError::BadField { .. } => ErrorCode::BadMessage,
        }
    }
}

impl fmt::Display for ParseError {
    /// The reference server's texts: it answers invalid JSON as the command `undefined`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::InvalidJson => f.write_str("Command not found: undefined"),
            ParseError::UnknownType(kind) => write!(f, "Command not found: {kind}"),
            ParseError::BadField { kind, field } => {
                write!(f, "Invalid {kind}: \"{field}\" is missing or has the wrong type")
            }
        }
    }
}

impl std::error::Error for ParseError {}
