//! Messages the signaling server sends to a browser.

use crate::json::{self, optional, Object};
use crate::{ErrorCode, LabelProblem, Payload, CONNECT_GREETING, NAME_TAKEN_MESSAGE};

/// A logged-in user as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Server-assigned UUID, unique per login.
    pub id: String,
    /// The name the user logged in with (`userName` on the wire).
    pub user_name: String,
}

impl User {
    fn write(&self, o: &mut Object) {
        o.string("id", &self.id).string("userName", &self.user_name);
    }

    fn parse(raw: &str) -> Option<Self> {
        let [id, user_name] = json::fields(raw, ["id", "userName"])?;
        Some(User { id: json::text(id?)?, user_name: json::text(user_name?)? })
    }
}

/// One `RTCIceServer` dictionary, as the browser takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServer {
    /// `stun:` / `turn:` / `turns:` URLs.
    pub urls: Vec<String>,
    /// TURN user name (coturn REST scheme: `<unix-expiry>:<name>`).
    pub username: Option<String>,
    /// TURN password (coturn REST scheme: `base64(HMAC-SHA1(secret, username))`).
    pub credential: Option<String>,
}

impl IceServer {
    fn write(&self, o: &mut Object) {
        o.strings("urls", &self.urls)
            .optional_string("username", self.username.as_deref())
            .optional_string("credential", self.credential.as_deref());
    }

    fn parse(raw: &str) -> Option<Self> {
        let [urls, username, credential] = json::fields(raw, ["urls", "username", "credential"])?;
        Some(IceServer {
            urls: json::array(urls?, json::text)?,
            username: optional(username, json::text)?,
            credential: optional(credential, json::text)?,
        })
    }

    fn write_all(o: &mut Object, servers: &[IceServer]) {
        o.objects("iceServers", servers, IceServer::write);
    }
}

/// Server → client. Field order follows the reference server, natter's additions last.
/// Optional fields are left out when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerMessage {
    /// Sent once, right after the socket opens.
    Connect {
        /// [`CONNECT_GREETING`].
        message: String,
    },
    /// The answer to a `login`; build it with [`ServerMessage::login_ok`] or
    /// [`ServerMessage::login_failed`].
    Login {
        /// Whether the caller is now logged in.
        success: bool,
        /// On success: everyone else already in the room.
        users: Option<Vec<User>>,
        /// On failure: why, for a person.
        message: Option<String>,
        /// On failure: why, for a program.
        code: Option<ErrorCode>,
        /// On success: the caller's own id.
        id: Option<String>,
        /// On success: the secret that takes this login back from another socket (natter);
        /// send it as `login`'s `resume`.
        resume: Option<String>,
        /// On success: the ICE servers to use (`iceServers`).
        ice_servers: Option<Vec<IceServer>>,
        /// On success, when `ice_servers` holds TURN credentials: how many seconds they stay
        /// valid (`iceTtl`). Ask for fresh ones with `iceServers` before then.
        ice_ttl: Option<u64>,
        /// On success in a room (natter): the room's name as the room shows it, the
        /// spelling of whoever opened it ("Book Club" for a login to "book club").
        room: Option<String>,
        /// On a `name_taken` failure because the name looks like another (natter): that
        /// name, as its holder spelled it (`looksLike`).
        looks_like: Option<String>,
        /// On a `bad_name` or `bad_room` failure (natter): which rule the label broke.
        problem: Option<LabelProblem>,
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
        name: Option<String>,
    },
    /// A trickled ICE candidate; `name` is the sender (natter; the reference omits it).
    Candidate {
        /// The `RTCIceCandidateInit`.
        candidate: Payload,
        /// The sender, set by the server.
        name: Option<String>,
    },
    /// The peer hung up; `name` is who (natter; the reference omits it).
    Leave {
        /// The sender, set by the server.
        name: Option<String>,
    },
    /// Something the caller sent was refused.
    Error {
        /// Why, for a person (the reference's texts where it has one).
        message: String,
        /// Why, for a program (natter).
        code: Option<ErrorCode>,
    },
    /// The answer to a `ping`.
    Pong,
    /// The answer to an `iceServers` request: what a login now would get (natter).
    IceServers {
        /// The ICE servers to use from now on (`iceServers`).
        ice_servers: Vec<IceServer>,
        /// How many seconds their TURN credentials stay valid (`iceTtl`); absent when there
        /// are none.
        ice_ttl: Option<u64>,
    },
}

impl ServerMessage {
    /// The greeting every new socket gets.
    pub fn connect() -> Self {
        ServerMessage::Connect { message: CONNECT_GREETING.into() }
    }

    /// A successful login; `resume` is its resume token, `ice_ttl` the lifetime of the
    /// TURN credentials, if any, and `room` the room's name as it shows.
    pub fn login_ok(
        users: Vec<User>,
        id: String,
        resume: String,
        ice_servers: Vec<IceServer>,
        ice_ttl: Option<u64>,
        room: Option<String>,
    ) -> Self {
        ServerMessage::Login {
            success: true,
            users: Some(users),
            message: None,
            code: None,
            id: Some(id),
            resume: Some(resume),
            ice_servers: Some(ice_servers),
            ice_ttl,
            room,
            looks_like: None,
            problem: None,
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
            resume: None,
            ice_servers: None,
            ice_ttl: None,
            room: None,
            looks_like: None,
            problem: None,
        }
    }

    /// The reference's answer to a taken name.
    pub fn name_taken() -> Self {
        Self::login_failed(ErrorCode::NameTaken, NAME_TAKEN_MESSAGE)
    }

    /// A refused name that looks like `holder`'s, already in the room.
    pub fn name_looks_like(holder: String) -> Self {
        let message =
            format!("{NAME_TAKEN_MESSAGE}: it looks like “{holder}”, a name already in use here");
        let mut refusal = Self::login_failed(ErrorCode::NameTaken, message);
        if let ServerMessage::Login { looks_like, .. } = &mut refusal {
            *looks_like = Some(holder);
        }
        refusal
    }

    /// A refused name (`code` [`ErrorCode::BadName`]) or room ([`ErrorCode::BadRoom`]).
    pub fn bad_label(code: ErrorCode, problem: LabelProblem, max_chars: usize) -> Self {
        let what = if code == ErrorCode::BadRoom { "Room" } else { "Name" };
        let mut refusal = Self::login_failed(code, problem.sentence(what, max_chars));
        if let ServerMessage::Login { problem: wire, .. } = &mut refusal {
            *wire = Some(problem);
        }
        refusal
    }

    /// An error with its code.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        ServerMessage::Error { message: message.into(), code: Some(code) }
    }

    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        let code = |code: &Option<ErrorCode>| code.map(ErrorCode::as_str);
        match self {
            ServerMessage::Connect { message } => json::typed("connect", 0, |o| {
                o.string("message", message);
            }),
            ServerMessage::Login {
                success,
                users,
                message,
                code: c,
                id,
                resume,
                ice_servers,
                ice_ttl,
                room,
                looks_like,
                problem,
            } => {
                let capacity = users.as_ref().map_or(0, |users| users.len() * 64);
                json::typed("login", capacity, |o| {
                    o.boolean("success", *success);
                    if let Some(users) = users {
                        o.objects("users", users, User::write);
                    }
                    o.optional_string("message", message.as_deref())
                        .optional_string("code", code(c))
                        .optional_string("id", id.as_deref())
                        .optional_string("resume", resume.as_deref());
                    if let Some(servers) = ice_servers {
                        IceServer::write_all(o, servers);
                    }
                    if let Some(ttl) = ice_ttl {
                        o.unsigned("iceTtl", *ttl);
                    }
                    o.optional_string("room", room.as_deref())
                        .optional_string("looksLike", looks_like.as_deref())
                        .optional_string("problem", problem.map(LabelProblem::as_str));
                })
            }
            ServerMessage::UpdateUsers { user } => json::typed("updateUsers", 0, |o| {
                o.object("user", |o| user.write(o));
            }),
            ServerMessage::RemoveUser { user } => json::typed("removeUser", 0, |o| {
                o.object("user", |o| user.write(o));
            }),
            ServerMessage::Offer { offer, name } => relay("offer", offer, Some(name)),
            ServerMessage::Answer { answer, name } => relay("answer", answer, name.as_deref()),
            ServerMessage::Candidate { candidate, name } => {
                relay("candidate", candidate, name.as_deref())
            }
            ServerMessage::Leave { name } => json::typed("leave", 0, |o| {
                o.optional_string("name", name.as_deref());
            }),
            ServerMessage::Error { message, code: c } => json::typed("error", 0, |o| {
                o.string("message", message).optional_string("code", code(c));
            }),
            ServerMessage::Pong => json::typed("pong", 0, |_| {}),
            ServerMessage::IceServers { ice_servers, ice_ttl } => {
                json::typed("iceServers", 0, |o| {
                    IceServer::write_all(o, ice_servers);
                    if let Some(ttl) = ice_ttl {
                        o.unsigned("iceTtl", *ttl);
                    }
                })
            }
        }
    }

    /// Parses one text frame from a server, ours or the reference. `None` for a type this
    /// build does not know or a frame it cannot read: a client ignores those.
    pub fn parse(frame: &str) -> Option<Self> {
        // Every field any server message has, each checked whatever the type, as one pass
        // of serde over them all did. Payloads stay raw.
        let [kind, success, users, user, message, code, id, resume, ice_servers, ice_ttl, room, looks_like, problem, name, offer, answer, candidate] =
            json::fields(frame, FIELDS)?;
        let kind = json::string(kind?)?;
        let success = optional(success, json::boolean)?;
        let users = optional(users, |raw| json::array(raw, User::parse))?;
        let user = optional(user, User::parse)?;
        let message = optional(message, json::text)?;
        let code = optional(code, |raw| json::string(raw).map(|name| ErrorCode::from(&*name)))?;
        let id = optional(id, json::text)?;
        let resume = optional(resume, json::text)?;
        let ice_servers = optional(ice_servers, |raw| json::array(raw, IceServer::parse))?;
        let ice_ttl = optional(ice_ttl, json::unsigned)?;
        let room = optional(room, json::text)?;
        let looks_like = optional(looks_like, json::text)?;
        // A problem this build does not know is none: the message still says it.
        let problem = optional(problem, json::string)?.and_then(|p| LabelProblem::from_wire(&p));
        let name = optional(name, json::text)?;
        let [offer, answer, candidate] =
            [offer, answer, candidate].map(|raw| raw.map(Payload::checked));
        Some(match &*kind {
            "connect" => ServerMessage::Connect { message: message.unwrap_or_default() },
            "login" => ServerMessage::Login {
                success: success?,
                users,
                message,
                code,
                id,
                resume,
                ice_servers,
                ice_ttl,
                room,
                looks_like,
                problem,
            },
            "updateUsers" => ServerMessage::UpdateUsers { user: user? },
            "removeUser" => ServerMessage::RemoveUser { user: user? },
            "offer" => ServerMessage::Offer { offer: offer?, name: name? },
            "answer" => ServerMessage::Answer { answer: answer?, name },
            "candidate" => ServerMessage::Candidate { candidate: candidate?, name },
            "leave" => ServerMessage::Leave { name },
            "error" => ServerMessage::Error { message: message.unwrap_or_default(), code },
            "pong" => ServerMessage::Pong,
            "iceServers" => ServerMessage::IceServers { ice_servers: ice_servers?, ice_ttl },
            _ => return None,
        })
    }
}

/// The fields of every server message, in the order [`ServerMessage::parse`] takes them.
const FIELDS: [&str; 17] = [
    "type",
    "success",
    "users",
    "user",
    "message",
    "code",
    "id",
    "resume",
    "iceServers",
    "iceTtl",
    "room",
    "looksLike",
    "problem",
    "name",
    "offer",
    "answer",
    "candidate",
];

/// A relayed payload: `{"type":kind,kind:payload,"name":sender}`.
fn relay(kind: &str, payload: &Payload, sender: Option<&str>) -> String {
    let size = payload.get().len() + sender.map_or(0, str::len);
    json::typed(kind, size, |o| {
        o.raw(kind, payload.get()).optional_string("name", sender);
    })
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
        let offer =
            ServerMessage::Offer { offer: Payload::new("1").unwrap(), name: "alice".into() };
        assert_eq!(offer.to_json(), r#"{"type":"offer","offer":1,"name":"alice"}"#);
        let answer = ServerMessage::Answer { answer: Payload::new("2").unwrap(), name: None };
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
        let token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        let reply = ServerMessage::login_ok(
            vec![alice()],
            "2".into(),
            token.into(),
            vec![ice.clone()],
            None,
            Some("Book Club".into()),
        );
        let json = reply.to_json();
        assert_eq!(
            json,
            r#"{"type":"login","success":true,"users":[{"id":"1","userName":"alice"}],"id":"2","resume":"0f1e2d3c4b5a69788796a5b4c3d2e1f0","iceServers":[{"urls":["stun:127.0.0.1:3478"]}],"room":"Book Club"}"#
        );
        match ServerMessage::parse(&json) {
            Some(ServerMessage::Login {
                success: true,
                users,
                id,
                resume,
                ice_servers,
                room,
                ..
            }) => {
                assert_eq!(room.as_deref(), Some("Book Club"));
                assert_eq!(users, Some(vec![alice()]));
                assert_eq!(id.as_deref(), Some("2"));
                assert_eq!(resume.as_deref(), Some(token));
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
        let json =
            ServerMessage::login_ok(vec![], "2".into(), "t".into(), vec![turn()], Some(3600), None)
                .to_json();
        assert_eq!(
            json,
            r#"{"type":"login","success":true,"users":[],"id":"2","resume":"t","iceServers":[{"urls":["turn:127.0.0.1:3478"],"username":"1700000000:alice","credential":"TtElzSjT0GdnTQ9xdcRNxx96yQs="}],"iceTtl":3600}"#
        );
        assert!(matches!(
            ServerMessage::parse(&json),
            Some(ServerMessage::Login { ice_ttl: Some(3600), .. })
        ));
    }

    #[test]
    fn refusals_say_why_for_programs_too() {
        let like = ServerMessage::name_looks_like("Alice".into()).to_json();
        assert_eq!(
            like,
            r#"{"type":"login","success":false,"message":"Username is unavailable: it looks like “Alice”, a name already in use here","code":"name_taken","looksLike":"Alice"}"#
        );
        assert!(matches!(
            ServerMessage::parse(&like),
            Some(ServerMessage::Login { looks_like: Some(holder), .. }) if holder == "Alice"
        ));
        let blank = ServerMessage::bad_label(ErrorCode::BadName, LabelProblem::NothingVisible, 32)
            .to_json();
        assert_eq!(
            blank,
            r#"{"type":"login","success":false,"message":"Name must contain a visible character","code":"bad_name","problem":"nothing_visible"}"#
        );
        let long = ServerMessage::bad_label(ErrorCode::BadRoom, LabelProblem::TooLong, 64);
        match ServerMessage::parse(&long.to_json()) {
            Some(ServerMessage::Login { message, problem, .. }) => {
                assert_eq!(message.as_deref(), Some("Room is too long (64 characters at most)"));
                assert_eq!(problem, Some(LabelProblem::TooLong));
            }
            other => panic!("{other:?}"),
        }
        let newer = r#"{"type":"login","success":false,"message":"m","problem":"from_the_future"}"#;
        assert!(matches!(
            ServerMessage::parse(newer),
            Some(ServerMessage::Login { problem: None, .. })
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
            Some(ServerMessage::Login { success: true, id: None, resume: None, .. })
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
