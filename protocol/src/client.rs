//! Messages a browser sends to the signaling server.

use crate::{ParseError, Payload};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Client → server. Serialized with `"type"` first, as the reference client does.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ClientMessage {
    /// Log in under `name`; `room` (a natter addition) scopes who sees whom, none is the lobby.
    Login {
        /// The name to be known by.
        name: String,
        /// The room to join.
        #[serde(skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// An SDP offer for the user `name`.
    Offer {
        /// The recipient.
        name: String,
        /// The `RTCSessionDescriptionInit`.
        offer: Payload,
    },
    /// An SDP answer for the user `name`.
    Answer {
        /// The recipient.
        name: String,
        /// The `RTCSessionDescriptionInit`.
        answer: Payload,
    },
    /// A trickled ICE candidate for the user `name`.
    Candidate {
        /// The recipient.
        name: String,
        /// The `RTCIceCandidateInit`.
        candidate: Payload,
    },
    /// Hang up the conversation with the user `name`.
    Leave {
        /// The recipient.
        name: String,
    },
    /// Application-level liveness check; the server answers `pong` (a natter addition).
    Ping,
    /// Asks for the ICE servers again, with freshly minted TURN credentials; the server
    /// answers `iceServers` (a natter addition, sent only after login).
    IceServers,
}

/// Every field any client message has, each kept raw so one frame is scanned once and a
/// mistyped field can be named in the error.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<&'a RawValue>,
    #[serde(borrow)]
    name: Option<&'a RawValue>,
    #[serde(borrow)]
    room: Option<&'a RawValue>,
    #[serde(borrow)]
    offer: Option<&'a RawValue>,
    #[serde(borrow)]
    answer: Option<&'a RawValue>,
    #[serde(borrow)]
    candidate: Option<&'a RawValue>,
}

impl ClientMessage {
    /// Parses one text frame. Unknown fields are ignored, as the reference does.
    pub fn parse(frame: &str) -> Result<Self, ParseError> {
        // serde would also accept a JSON array as a struct; the protocol is objects only.
        if !frame.trim_start().starts_with('{') {
            return Err(ParseError::InvalidJson);
        }
        let envelope: Envelope =
            serde_json::from_str(frame).map_err(|_| ParseError::InvalidJson)?;
        let kind = match envelope.kind {
            None => return Err(ParseError::UnknownType("undefined".into())),
            Some(raw) => serde_json::from_str::<String>(raw.get())
                .map_err(|_| ParseError::UnknownType(raw.get().to_owned()))?,
        };
        let e = &envelope;
        Ok(match kind.as_str() {
            "login" => ClientMessage::Login {
                name: text("login", "name", e.name)?,
                room: optional_text("login", "room", e.room)?,
            },
            "offer" => ClientMessage::Offer {
                name: text("offer", "name", e.name)?,
                offer: payload("offer", "offer", e.offer)?,
            },
            "answer" => ClientMessage::Answer {
                name: text("answer", "name", e.name)?,
                answer: payload("answer", "answer", e.answer)?,
            },
            "candidate" => ClientMessage::Candidate {
                name: text("candidate", "name", e.name)?,
                candidate: payload("candidate", "candidate", e.candidate)?,
            },
            "leave" => ClientMessage::Leave { name: text("leave", "name", e.name)? },
            "ping" => ClientMessage::Ping,
            "iceServers" => ClientMessage::IceServers,
            _ => return Err(ParseError::UnknownType(kind)),
        })
    }

    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        crate::to_json_text(self)
    }
}

fn optional_text(
    kind: &'static str,
    field: &'static str,
    raw: Option<&RawValue>,
) -> Result<Option<String>, ParseError> {
    raw.map(|raw| {
        serde_json::from_str::<String>(raw.get()).map_err(|_| ParseError::BadField { kind, field })
    })
    .transpose()
}

fn text(
    kind: &'static str,
    field: &'static str,
    raw: Option<&RawValue>,
) -> Result<String, ParseError> {
    optional_text(kind, field, raw)?.ok_or(ParseError::BadField { kind, field })
}

fn payload(
    kind: &'static str,
    field: &'static str,
    raw: Option<&RawValue>,
) -> Result<Payload, ParseError> {
    match raw {
        Some(raw) if raw.get() != "null" => Ok(raw.to_owned()),
        _ => Err(ParseError::BadField { kind, field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(kind: &'static str, field: &'static str) -> ParseError {
        ParseError::BadField { kind, field }
    }

    #[test]
    fn parses_every_base_message() {
        let login = ClientMessage::parse(r#"{"type":"login","name":"alice"}"#).unwrap();
        assert!(matches!(login, ClientMessage::Login { name, room: None } if name == "alice"));
        let offer = r#"{"type":"offer","name":"bob","offer":{"type":"offer","sdp":"v=0\r\n"}}"#;
        match ClientMessage::parse(offer).unwrap() {
            ClientMessage::Offer { name, offer } => {
                assert_eq!(name, "bob");
                assert_eq!(offer.get(), r#"{"type":"offer","sdp":"v=0\r\n"}"#);
            }
            other => panic!("{other:?}"),
        }
        let leave = ClientMessage::parse(r#"{"type":"leave","name":"bob","extra":[1]}"#).unwrap();
        assert!(matches!(leave, ClientMessage::Leave { name } if name == "bob"));
        assert!(matches!(ClientMessage::parse(r#"{"type":"ping"}"#), Ok(ClientMessage::Ping)));
    }

    #[test]
    fn parses_natter_additions() {
        let refresh = r#"{"type":"iceServers"}"#;
        assert!(matches!(ClientMessage::parse(refresh), Ok(ClientMessage::IceServers)));
        assert_eq!(ClientMessage::IceServers.to_json(), refresh);
        assert_eq!(ClientMessage::Ping.to_json(), r#"{"type":"ping"}"#);
    }

    #[test]
    fn round_trips_through_json() {
        let message = ClientMessage::Candidate {
            name: "bob".into(),
            candidate: crate::payload(&serde_json::json!({"candidate": "a", "sdpMid": "0"})),
        };
        let json = message.to_json();
        assert!(json.starts_with(r#"{"type":"candidate","name":"bob","#), "{json}");
        assert!(matches!(ClientMessage::parse(&json), Ok(ClientMessage::Candidate { .. })));
    }

    #[test]
    fn rejects_what_is_not_a_message() {
        for frame in ["", "nope", "null", "[]", r#"["login","x"]"#, "5", r#""login""#, "{"] {
            assert_eq!(
                ClientMessage::parse(frame).unwrap_err(),
                ParseError::InvalidJson,
                "{frame}"
            );
        }
        let unknown = |frame| ClientMessage::parse(frame).unwrap_err();
        assert_eq!(unknown("{}"), ParseError::UnknownType("undefined".into()));
        assert_eq!(unknown(r#"{"type":"dance"}"#), ParseError::UnknownType("dance".into()));
        assert_eq!(unknown(r#"{"type":7}"#), ParseError::UnknownType("7".into()));
        assert_eq!(unknown(r#"{"type":"__proto__"}"#), ParseError::UnknownType("__proto__".into()));
        assert_eq!(unknown(r#"{"type":"login"}"#), bad("login", "name"));
        assert_eq!(unknown(r#"{"type":"login","name":5}"#), bad("login", "name"));
        assert_eq!(unknown(r#"{"type":"login","name":"a","room":[]}"#), bad("login", "room"));
        assert_eq!(unknown(r#"{"type":"offer","name":"b"}"#), bad("offer", "offer"));
        assert_eq!(
            unknown(r#"{"type":"answer","name":"b","answer":null}"#),
            bad("answer", "answer")
        );
        assert_eq!(unknown(r#"{"type":"leave","name":null}"#), bad("leave", "name"));
    }

    #[test]
    fn error_texts_match_the_reference() {
        assert_eq!(ParseError::InvalidJson.to_string(), "Command not found: undefined");
        assert_eq!(ParseError::UnknownType("x".into()).to_string(), "Command not found: x");
    }
}
