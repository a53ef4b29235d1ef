//! Messages a browser sends to the signaling server.

use crate::{json, ParseError, Payload};

/// Client → server. Written with `"type"` first, as the reference client does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientMessage {
    /// Log in under `name`; `room` (a natter addition) scopes who sees whom, none is the lobby.
    Login {
        /// The name to be known by.
        name: String,
        /// The room to join.
        room: Option<String>,
        /// The token of an earlier login under this name in this room (a natter addition):
        /// it takes the name back even while the server still holds the old socket.
        resume: Option<String>,
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

impl ClientMessage {
    /// Parses one text frame. Unknown fields are ignored, as the reference does.
    pub fn parse(frame: &str) -> Result<Self, ParseError> {
        // Every field any client message has, each kept raw so one frame is scanned once
        // and a mistyped field can be named in the error.
        let [kind, name, room, resume, offer, answer, candidate] =
            json::fields(frame, ["type", "name", "room", "resume", "offer", "answer", "candidate"])
                .ok_or(ParseError::InvalidJson)?;
        let kind = match kind {
            None => return Err(ParseError::UnknownType("undefined".into())),
            Some(raw) => json::string(raw).ok_or_else(|| ParseError::UnknownType(raw.into()))?,
        };
        Ok(match &*kind {
            "login" => ClientMessage::Login {
                name: text("login", "name", name)?,
                room: optional_text("login", "room", room)?,
                resume: optional_text("login", "resume", resume)?,
            },
            "offer" => ClientMessage::Offer {
                name: text("offer", "name", name)?,
                offer: payload("offer", "offer", offer)?,
            },
            "answer" => ClientMessage::Answer {
                name: text("answer", "name", name)?,
                answer: payload("answer", "answer", answer)?,
            },
            "candidate" => ClientMessage::Candidate {
                name: text("candidate", "name", name)?,
                candidate: payload("candidate", "candidate", candidate)?,
            },
            "leave" => ClientMessage::Leave { name: text("leave", "name", name)? },
            "ping" => ClientMessage::Ping,
            "iceServers" => ClientMessage::IceServers,
            _ => return Err(ParseError::UnknownType(kind.into_owned())),
        })
    }

    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        match self {
            ClientMessage::Login { name, room, resume } => json::typed("login", 0, |o| {
                o.string("name", name)
                    .optional_string("room", room.as_deref())
                    .optional_string("resume", resume.as_deref());
            }),
            ClientMessage::Offer { name, offer } => relay("offer", name, offer),
            ClientMessage::Answer { name, answer } => relay("answer", name, answer),
            ClientMessage::Candidate { name, candidate } => relay("candidate", name, candidate),
            ClientMessage::Leave { name } => json::typed("leave", 0, |o| {
                o.string("name", name);
            }),
            ClientMessage::Ping => json::typed("ping", 0, |_| {}),
            ClientMessage::IceServers => json::typed("iceServers", 0, |_| {}),
        }
    }
}

/// A payload for a peer: `{"type":kind,"name":recipient,kind:payload}`.
fn relay(kind: &str, recipient: &str, payload: &Payload) -> String {
    json::typed(kind, recipient.len() + payload.get().len(), |o| {
        o.string("name", recipient).raw(kind, payload.get());
    })
}

fn optional_text(
    kind: &'static str,
    field: &'static str,
    raw: Option<&str>,
) -> Result<Option<String>, ParseError> {
    raw.map(|raw| json::text(raw).ok_or(ParseError::BadField { kind, field })).transpose()
}

fn text(kind: &'static str, field: &'static str, raw: Option<&str>) -> Result<String, ParseError> {
    optional_text(kind, field, raw)?.ok_or(ParseError::BadField { kind, field })
}

fn payload(
    kind: &'static str,
    field: &'static str,
    raw: Option<&str>,
) -> Result<Payload, ParseError> {
    raw.map(Payload::checked).ok_or(ParseError::BadField { kind, field })
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
        assert!(matches!(
            login,
            ClientMessage::Login { name, room: None, resume: None } if name == "alice"
        ));
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
        let resume = r#"{"type":"login","name":"alice","room":"team-42","resume":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"}"#;
        let login = ClientMessage::Login {
            name: "alice".into(),
            room: Some("team-42".into()),
            resume: Some("0f1e2d3c4b5a69788796a5b4c3d2e1f0".into()),
        };
        assert_eq!(login.to_json(), resume);
        assert_eq!(ClientMessage::parse(resume), Ok(login));
        let lobby = ClientMessage::Login { name: "a".into(), room: None, resume: Some("t".into()) };
        assert_eq!(lobby.to_json(), r#"{"type":"login","name":"a","resume":"t"}"#);
        assert_eq!(ClientMessage::parse(&lobby.to_json()), Ok(lobby));
        let refresh = r#"{"type":"iceServers"}"#;
        assert!(matches!(ClientMessage::parse(refresh), Ok(ClientMessage::IceServers)));
        assert_eq!(ClientMessage::IceServers.to_json(), refresh);
        assert_eq!(ClientMessage::Ping.to_json(), r#"{"type":"ping"}"#);
    }

    #[test]
    fn round_trips_through_json() {
        let message = ClientMessage::Candidate {
            name: "bob".into(),
            candidate: Payload::new(r#"{"candidate":"a","sdpMid":"0"}"#).unwrap(),
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
        assert_eq!(unknown(r#"{"type":"login","name":"a","resume":7}"#), bad("login", "resume"));
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
