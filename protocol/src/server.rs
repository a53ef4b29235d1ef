//! Messages the signaling server sends to a browser.

use crate::{ErrorCode, Payload, CONNECT_GREETING, NAME_TAKEN_MESSAGE};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A logged-in user as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Server-assigned UUID, unique per login.
    pub id: String,
    /// The name the user logged in with.
    #[serde(rename = "userName")]
    pub user_name: String,
}

/// One `RTCIceServer` dictionary, as the browser takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    /// `stun:` / `turn:` / `turns:` URLs.
    pub urls: Vec<String>,
    /// TURN user name (coturn REST scheme: `<unix-expiry>:<name>`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub username: Option<String>,
    /// TURN password (coturn REST scheme: `base64(HMAC-SHA1(secret, username))`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub credential: Option<String>,
}

/// Server → client. Field order follows the reference server, natter's additions last.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ServerMessage {
    /// Sent once, right after the socket opens.
    Connect {
        /// [`CONNECT_GREETING`].
        message: String,
    },
    /// The answer to a `login`; build it with [`ServerMessage::login_ok`] or
    /// [`ServerMessage::login_failed`].
    #[serde(rename_all = "camelCase")]
    Login {
        /// Whether the caller is now logged in.
        success: bool,
        /// On success: everyone else already in the room.
        #[serde(skip_serializing_if = "Option::is_none")]
        users: Option<Vec<User>>,
        /// On failure: why, for a person.
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// On failure: why, for a program.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<ErrorCode>,
        /// On success: the caller's own id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// On success: the ICE servers to use.
        #[serde(skip_serializing_if = "Option::is_none")]
        ice_servers: Option<Vec<IceServer>>,
        /// On success, when `ice_servers` holds TURN credentials: how many seconds they stay
        /// valid. Ask for fresh ones with `iceServers` before then.
        #[serde(skip_serializing_if = "Option::is_none")]
        ice_ttl: Option<u64>,
    },
    /// Someone joined the caller's room.
    UpdateUsers {
        /// Who.
        user: User,
    },
    /// Someone left the caller's room (their socket closed).
    RemoveUser {
        /// Who.
        user: User,
    },
    /// An SDP offer from `name`.
    Offer {
        /// The `RTCSessionDescriptionInit`.
        offer: Payload,
        /// The sender, set by the server.
        name: String,
    },
    /// An SDP answer; `name` is the sender (natter; the reference omits it).
    Answer {
        /// The `RTCSessionDescriptionInit`.
        answer: Payload,
        /// The sender, set by the server.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// A trickled ICE candidate; `name` is the sender (natter; the reference omits it).
    Candidate {
        /// The `RTCIceCandidateInit`.
        candidate: Payload,
        /// The sender, set by the server.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The peer hung up; `name` is who (natter; the reference omits it).
    Leave {
        /// The sender, set by the server.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// Something the caller sent was refused.
    Error {
        /// Why, for a person (the reference's texts where it has one).
        message: String,
        /// Why, for a program (natter).
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<ErrorCode>,
    },
    /// The answer to a `ping`.
    Pong,
    /// The answer to an `iceServers` request: what a login now would get (natter).
    #[serde(rename_all = "camelCase")]
    IceServers {
        /// The ICE servers to use from now on.
        ice_servers: Vec<IceServer>,
        /// How many seconds their TURN credentials stay valid; absent when there are none.
        #[serde(skip_serializing_if = "Option::is_none")]
        ice_ttl: Option<u64>,
    },
}

impl ServerMessage {
    /// The greeting every new socket gets.
    pub fn connect() -> Self {
        ServerMessage::Connect { message: CONNECT_GREETING.into() }
    }

    /// A successful login; `ice_ttl` is the lifetime of the TURN credentials, if any.
    pub fn login_ok(
        users: Vec<User>,
        id: String,
        ice_servers: Vec<IceServer>,
        ice_ttl: Option<u64>,
    ) -> Self {
        ServerMessage::Login {
            success: true,
            users: Some(users),
            message: None,
            code: None,
            id: Some(id),
            ice_servers: Some(ice_servers),
            ice_ttl,
        }
    }

    /// A refused login; a taken name keeps the reference's text.
    pub fn login_failed(code: ErrorCode, message: impl Into<String>) -> Self {
        ServerMessage::Login {
            success: false,
            users: None,
            message: Some(message.into()),
            code: Some(code),
            id: None,
            ice_servers: None,
            ice_ttl: None,
        }
    }

    /// The reference's answer to a taken name.
    pub fn name_taken() -> Self {
        Self::login_failed(ErrorCode::NameTaken, NAME_TAKEN_MESSAGE)
    }

    /// An error with its code.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        ServerMessage::Error { message: message.into(), code: Some(code) }
    }

    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        crate::to_json_text(self)
    }

    /// Parses one text frame from a server, ours or the reference. `None` for a type this
    /// build does not know or a frame it cannot read: a client ignores those.
    pub fn parse(frame: &str) -> Option<Self> {
        let e: Envelope = serde_json::from_str(frame).ok()?;
        let payload = |raw: Option<&RawValue>| raw.map(RawValue::to_owned);
        Some(match e.kind.as_str() {
            "connect" => ServerMessage::Connect { message: e.message.unwrap_or_default() },
            "login" => ServerMessage::Login {
                success: e.success?,
                users: e.users,
                message: e.message,
                code: e.code,
                id: e.id,
                ice_servers: e.ice_servers,
                ice_ttl: e.ice_ttl,
            },
            "updateUsers" => ServerMessage::UpdateUsers { user: e.user? },
            "removeUser" => ServerMessage::RemoveUser { user: e.user? },
            "offer" => ServerMessage::Offer { offer: payload(e.offer)?, name: e.name? },
            "answer" => ServerMessage::Answer { answer: payload(e.answer)?, name: e.name },
            "candidate" => {
                ServerMessage::Candidate { candidate: payload(e.candidate)?, name: e.name }
            }
            "leave" => ServerMessage::Leave { name: e.name },
            "error" => {
                ServerMessage::Error { message: e.message.unwrap_or_default(), code: e.code }
            }
            "pong" => ServerMessage::Pong,
            "iceServers" => {
                ServerMessage::IceServers { ice_servers: e.ice_servers?, ice_ttl: e.ice_ttl }
            }
            _ => return None,
        })
    }
}

/// Every field any server message has. Payloads stay raw: an internally tagged enum would
/// buffer them, and serde_json cannot hand out raw values from a buffer.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    #[serde(rename = "type")]
    kind: String,
    success: Option<bool>,
    users: Option<Vec<User>>,
    user: Option<User>,
    message: Option<String>,
    code: Option<ErrorCode>,
    id: Option<String>,
    ice_servers: Option<Vec<IceServer>>,
    ice_ttl: Option<u64>,
    name: Option<String>,
    #[serde(borrow)]
    offer: Option<&'a RawValue>,
    #[serde(borrow)]
    answer: Option<&'a RawValue>,
    #[serde(borrow)]
    candidate: Option<&'a RawValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> User {
        User { id: "1".into(), user_name: "alice".into() }
    }

    #[test]
    fn base_messages_are_byte_compatible_with_the_reference() {
        assert_eq!(
            ServerMessage::connect().to_json(),
            r#"{"type":"connect","message":"Well hello there, I am a WebSocket server"}"#
        );
        assert_eq!(
            ServerMessage::name_taken().to_json(),
            r#"{"type":"login","success":false,"message":"Username is unavailable","code":"name_taken"}"#
        );
        assert_eq!(
            ServerMessage::UpdateUsers { user: alice() }.to_json(),
            r#"{"type":"updateUsers","user":{"id":"1","userName":"alice"}}"#
        );
        let offer = ServerMessage::Offer { offer: crate::payload(&1), name: "alice".into() };
        assert_eq!(offer.to_json(), r#"{"type":"offer","offer":1,"name":"alice"}"#);
        let answer = ServerMessage::Answer { answer: crate::payload(&2), name: None };
        assert_eq!(answer.to_json(), r#"{"type":"answer","answer":2}"#);
        assert_eq!(ServerMessage::Leave { name: None }.to_json(), r#"{"type":"leave"}"#);
    }

    #[test]
    fn login_success_lists_users_first() {
        let ice = IceServer {
            urls: vec!["stun:127.0.0.1:3478".into()],
            username: None,
            credential: None,
        };
        let json =
            ServerMessage::login_ok(vec![alice()], "2".into(), vec![ice.clone()], None).to_json();
        assert_eq!(
            json,
            r#"{"type":"login","success":true,"users":[{"id":"1","userName":"alice"}],"id":"2","iceServers":[{"urls":["stun:127.0.0.1:3478"]}]}"#
        );
        match ServerMessage::parse(&json) {
            Some(ServerMessage::Login { success: true, users, id, ice_servers, .. }) => {
                assert_eq!(users, Some(vec![alice()]));
                assert_eq!(id.as_deref(), Some("2"));
                assert_eq!(ice_servers, Some(vec![ice]));
            }
            other => panic!("{other:?}"),
        }
    }

    fn turn() -> IceServer {
        IceServer {
            urls: vec!["turn:127.0.0.1:3478".into()],
            username: Some("1700000000:alice".into()),
            credential: Some("TtElzSjT0GdnTQ9xdcRNxx96yQs=".into()),
        }
    }

    #[test]
    fn turn_credentials_come_with_their_lifetime() {
        let json = ServerMessage::login_ok(vec![], "2".into(), vec![turn()], Some(3600)).to_json();
        assert_eq!(
            json,
            r#"{"type":"login","success":true,"users":[],"id":"2","iceServers":[{"urls":["turn:127.0.0.1:3478"],"username":"1700000000:alice","credential":"TtElzSjT0GdnTQ9xdcRNxx96yQs="}],"iceTtl":3600}"#
        );
        assert!(matches!(
            ServerMessage::parse(&json),
            Some(ServerMessage::Login { ice_ttl: Some(3600), .. })
        ));
    }

    #[test]
    fn ice_servers_answers_read_back() {
        let fresh = ServerMessage::IceServers { ice_servers: vec![turn()], ice_ttl: Some(600) };
        let json = fresh.to_json();
        assert_eq!(
            json,
            r#"{"type":"iceServers","iceServers":[{"urls":["turn:127.0.0.1:3478"],"username":"1700000000:alice","credential":"TtElzSjT0GdnTQ9xdcRNxx96yQs="}],"iceTtl":600}"#
        );
        match ServerMessage::parse(&json) {
            Some(ServerMessage::IceServers { ice_servers, ice_ttl }) => {
                assert_eq!((ice_servers, ice_ttl), (vec![turn()], Some(600)));
            }
            other => panic!("{other:?}"),
        }
        let stun_only = ServerMessage::IceServers { ice_servers: vec![], ice_ttl: None };
        assert_eq!(stun_only.to_json(), r#"{"type":"iceServers","iceServers":[]}"#);
        assert!(ServerMessage::parse(r#"{"type":"iceServers"}"#).is_none());
    }

    #[test]
    fn parses_what_the_reference_sends() {
        let login = r#"{"type":"login","success":true,"users":[]}"#;
        assert!(matches!(
            ServerMessage::parse(login),
            Some(ServerMessage::Login { success: true, id: None, .. })
        ));
        let candidate = r#"{"type":"candidate","candidate":{"candidate":"c"}}"#;
        match ServerMessage::parse(candidate) {
            Some(ServerMessage::Candidate { candidate, name: None }) => {
                assert_eq!(candidate.get(), r#"{"candidate":"c"}"#)
            }
            other => panic!("{other:?}"),
        }
        let error = r#"{"type":"error","message":"Command not found: x"}"#;
        assert!(matches!(
            ServerMessage::parse(error),
            Some(ServerMessage::Error { code: None, .. })
        ));
        let newer = r#"{"type":"error","message":"m","code":"from_the_future"}"#;
        assert!(matches!(
            ServerMessage::parse(newer),
            Some(ServerMessage::Error { code: Some(ErrorCode::Unknown), .. })
        ));
        assert!(ServerMessage::parse(r#"{"type":"whatever","x":1}"#).is_none());
        assert!(ServerMessage::parse("garbage").is_none());
    }
}
