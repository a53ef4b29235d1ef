//! Property tests: every message reads back as written, and no input panics a parser.

use natter_protocol::{
    json, ChatLine, ClientMessage, ErrorCode, IceServer, LabelProblem, ParseError, Payload,
    PeerMessage, ServerMessage, User,
};
use proptest::prelude::*;

/// Any text, control characters and non-ASCII included.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[\u{0}-\u{7f}]{0,12}", Just(String::new())]
}

/// JSON text as a browser's `JSON.stringify` or a person might write it, white space and all.
fn json_text() -> impl Strategy<Value = String> {
    let piece =
        prop::sample::select(vec!["a", "z", " ", "=", "é", "\\n", "\\/", "\\\"", "\\u00e9"]);
    let string =
        prop::collection::vec(piece, 0..8).prop_map(|pieces| format!("\"{}\"", pieces.concat()));
    let leaf = prop_oneof![
        string,
        any::<i32>().prop_map(|n| n.to_string()),
        Just("-1.5e-3".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("\"\\ud83d\\ude00 \\u00e9\"".to_owned()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::vec(("[a-zA-Z]{1,8}", inner), 0..4).prop_map(|members| {
                let members: Vec<String> =
                    members.into_iter().map(|(k, v)| format!("\"{k}\" : {v}")).collect();
                format!("{{ {} }}", members.join(","))
            }),
        ]
    })
}

/// A payload: any JSON but `null`, which counts as absent.
fn payload() -> impl Strategy<Value = Payload> {
    json_text()
        .prop_filter("null is no payload", |text| text != "null")
        .prop_map(|text| Payload::new(&text).expect("the strategy writes JSON"))
}

fn client_message() -> impl Strategy<Value = ClientMessage> {
    prop_oneof![
        (text(), prop::option::of(text()), prop::option::of(text()))
            .prop_map(|(name, room, resume)| ClientMessage::Login { name, room, resume }),
        (text(), payload()).prop_map(|(name, offer)| ClientMessage::Offer { name, offer }),
        (text(), payload()).prop_map(|(name, answer)| ClientMessage::Answer { name, answer }),
        (text(), payload())
            .prop_map(|(name, candidate)| ClientMessage::Candidate { name, candidate }),
        text().prop_map(|name| ClientMessage::Leave { name }),
        Just(ClientMessage::Ping),
        Just(ClientMessage::IceServers),
    ]
}

fn user() -> impl Strategy<Value = User> {
    (text(), text()).prop_map(|(id, user_name)| User { id, user_name })
}

fn ice_servers() -> impl Strategy<Value = Vec<IceServer>> {
    let server =
        (prop::collection::vec(text(), 0..3), prop::option::of(text()), prop::option::of(text()))
            .prop_map(|(urls, username, credential)| IceServer { urls, username, credential });
    prop::collection::vec(server, 0..3)
}

fn error_code() -> impl Strategy<Value = ErrorCode> {
    prop::sample::select(vec![
        ErrorCode::InvalidJson,
        ErrorCode::BadMessage,
        ErrorCode::NameTaken,
        ErrorCode::TooManyConnections,
        ErrorCode::TemporarilyUnavailable,
        ErrorCode::Unknown,
    ])
}

fn label_problem() -> impl Strategy<Value = LabelProblem> {
    prop::sample::select(vec![
        LabelProblem::Empty,
        LabelProblem::TooLong,
        LabelProblem::Control,
        LabelProblem::Hidden,
        LabelProblem::Spaces,
        LabelProblem::NothingVisible,
    ])
}

fn server_message() -> impl Strategy<Value = ServerMessage> {
    let login = (
        any::<bool>(),
        prop::option::of(prop::collection::vec(user(), 0..3)),
        prop::option::of(text()),
        prop::option::of(error_code()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(ice_servers()),
        prop::option::of(any::<u64>()),
        (prop::option::of(text()), prop::option::of(text()), prop::option::of(label_problem())),
    )
        .prop_map(
            |(success, users, message, code, id, resume, ice_servers, ice_ttl, refusal)| {
                let (room, looks_like, problem) = refusal;
                ServerMessage::Login {
                    success,
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
                }
            },
        );
    prop_oneof![
        text().prop_map(|message| ServerMessage::Connect { message }),
        login,
        user().prop_map(|user| ServerMessage::UpdateUsers { user }),
        user().prop_map(|user| ServerMessage::RemoveUser { user }),
        (payload(), text()).prop_map(|(offer, name)| ServerMessage::Offer { offer, name }),
        (payload(), prop::option::of(text()))
            .prop_map(|(answer, name)| ServerMessage::Answer { answer, name }),
        (payload(), prop::option::of(text()))
            .prop_map(|(candidate, name)| ServerMessage::Candidate { candidate, name }),
        prop::option::of(text()).prop_map(|name| ServerMessage::Leave { name }),
        (text(), prop::option::of(error_code()))
            .prop_map(|(message, code)| ServerMessage::Error { message, code }),
        Just(ServerMessage::Pong),
        (ice_servers(), prop::option::of(any::<u64>()))
            .prop_map(|(ice_servers, ice_ttl)| ServerMessage::IceServers { ice_servers, ice_ttl }),
    ]
}

fn peer_message() -> impl Strategy<Value = PeerMessage> {
    prop_oneof![
        (text(), text(), text(), prop::option::of(text()), prop::option::of(text())).prop_map(
            |(time, message, name, id, reply_to)| {
                PeerMessage::Line(ChatLine { time, message, name, id, reply_to, edited: None })
            }
        ),
        prop::collection::vec(text(), 0..4).prop_map(|features| PeerMessage::Hello { features }),
        text().prop_map(|id| PeerMessage::Ack { id }),
        text().prop_map(|id| PeerMessage::Read { id }),
        Just(PeerMessage::Typing),
        Just(PeerMessage::RoomTyping),
        any::<bool>().prop_map(|video| PeerMessage::Call { video }),
        any::<bool>().prop_map(|accept| PeerMessage::CallAnswer { accept }),
        Just(PeerMessage::CallEnd),
        any::<(bool, bool, bool)>().prop_map(|(muted, camera_off, sharing)| {
            PeerMessage::CallState { muted, camera_off, sharing }
        }),
        (text(), text(), any::<u64>(), text())
            .prop_map(|(id, name, size, mime)| PeerMessage::FileOffer { id, name, size, mime }),
        (text(), any::<bool>(), any::<u64>())
            .prop_map(|(id, accept, at)| PeerMessage::FileAnswer { id, accept, at }),
        text().prop_map(|id| PeerMessage::FileCancel { id }),
        (text(), text()).prop_map(|(id, sha256)| PeerMessage::FileDone { id, sha256 }),
        (text(), text(), any::<u64>()).prop_map(|(name, by, at)| PeerMessage::RoomName {
            name,
            by,
            at
        }),
    ]
}

/// Text made of JSON's own pieces, so that parsers get deep into broken input.
fn json_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "d800",
        "dc00",
        "00e9",
        "null",
        "tru",
        "true",
        "-",
        "0",
        "1",
        ".",
        "e",
        " ",
        "\n",
        "\"type\"",
        "\"offer\"",
        "\"login\"",
        "\"name\"",
        "\"users\"",
        "\"id\"",
        "\"resume\"",
        "é",
        "\u{1}",
    ]);
    prop::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
}

fn parse_everything(text: &str) {
    let _ = ClientMessage::parse(text);
    let _ = ServerMessage::parse(text);
    let _ = PeerMessage::parse(text);
    let _ = Payload::new(text);
    let _ = json::string_field(text, "server");
}

proptest! {
    #[test]
    fn client_messages_read_back_on_the_server(message in client_message()) {
        prop_assert_eq!(ClientMessage::parse(&message.to_json()), Ok(message));
    }

    #[test]
    fn server_messages_read_back_in_the_client(message in server_message()) {
        prop_assert_eq!(ServerMessage::parse(&message.to_json()), Some(message));
    }

    #[test]
    fn peer_messages_read_back(message in peer_message()) {
        prop_assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
    }

    #[test]
    fn payloads_keep_their_text(text in json_text()) {
        let payload = Payload::new(&format!(" \n{text}\t")).unwrap();
        prop_assert_eq!(payload.get(), text.as_str());
    }

    #[test]
    fn no_string_panics_a_parser(text in ".*") {
        parse_everything(&text);
    }

    #[test]
    fn no_bytes_panic_a_parser(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn no_json_like_text_panics_a_parser(text in json_like()) {
        parse_everything(&text);
        parse_everything(&format!(r#"{{"type":"offer","name":"b","offer":{text}}}"#));
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let open = "[".repeat(100_000);
    parse_everything(&open);
    let frame = format!(r#"{{"type":"offer","name":"b","offer":{open}}}"#);
    assert_eq!(ClientMessage::parse(&frame), Err(ParseError::InvalidJson));
    assert_eq!(ServerMessage::parse(&frame), None);
    assert_eq!(PeerMessage::parse(&format!(r#"{{"type":"ack","id":"1","x":{open}}}"#)), None);
    // Closed, it is a payload like any other: serde_json relayed it too, having no depth
    // limit for a value it keeps raw.
    let closed = format!(r#"{{"type":"offer","name":"b","offer":{open}{}}}"#, "]".repeat(100_000));
    assert!(matches!(ClientMessage::parse(&closed), Ok(ClientMessage::Offer { .. })));
}
