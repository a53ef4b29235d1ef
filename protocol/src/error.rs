//! Machine-readable error codes and the errors of parsing a frame.

use std::fmt;

/// Stable code carried beside the human `message` of an `error` (a natter addition).
/// On the wire it is its name in snake_case ([`ErrorCode::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The server cannot do this right now (several instances lost their shared Redis):
    /// try again in a few seconds.
    TemporarilyUnavailable,
    /// Any code from a newer server this build does not know.
    Unknown,
}

impl ErrorCode {
    /// Every code but [`ErrorCode::Unknown`].
    const KNOWN: [ErrorCode; 14] = [
        ErrorCode::InvalidJson,
        ErrorCode::UnknownType,
        ErrorCode::BadMessage,
        ErrorCode::NotLoggedIn,
        ErrorCode::AlreadyLoggedIn,
        ErrorCode::BadName,
        ErrorCode::BadRoom,
        ErrorCode::NameTaken,
        ErrorCode::NoSuchUser,
        ErrorCode::TooLarge,
        ErrorCode::BinaryFrame,
        ErrorCode::RateLimited,
        ErrorCode::TooManyConnections,
        ErrorCode::TemporarilyUnavailable,
    ];

    /// The code as the wire spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::UnknownType => "unknown_type",
            ErrorCode::BadMessage => "bad_message",
            ErrorCode::NotLoggedIn => "not_logged_in",
            ErrorCode::AlreadyLoggedIn => "already_logged_in",
            ErrorCode::BadName => "bad_name",
            ErrorCode::BadRoom => "bad_room",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::NoSuchUser => "no_such_user",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::BinaryFrame => "binary_frame",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::Unknown => "unknown",
        }
    }
}

impl From<&str> for ErrorCode {
    /// The code the wire spells `name`; [`ErrorCode::Unknown`] for one this build does not know.
    fn from(name: &str) -> Self {
        let known = ErrorCode::KNOWN.into_iter().find(|code| code.as_str() == name);
        known.unwrap_or(ErrorCode::Unknown)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_from_their_names() {
        for code in ErrorCode::KNOWN {
            assert_eq!(ErrorCode::from(code.as_str()), code);
        }
        assert_eq!(ErrorCode::TooManyConnections.as_str(), "too_many_connections");
        assert_eq!(ErrorCode::TemporarilyUnavailable.as_str(), "temporarily_unavailable");
        assert_eq!(ErrorCode::from("from_the_future"), ErrorCode::Unknown);
        assert_eq!(ErrorCode::from("unknown"), ErrorCode::Unknown);
        assert_eq!(ErrorCode::from("NameTaken"), ErrorCode::Unknown);
    }
}
