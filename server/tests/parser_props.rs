//! Property tests: the parser and a live connection never panic, whatever arrives.

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use natter_protocol::{ClientMessage, ParseError};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{Map, Value};
use tokio_tungstenite::tungstenite::Message;

/// Arbitrary JSON values, biased toward objects with the protocol's field names.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("login"),
            Just("offer"),
            Just("answer"),
            Just("candidate"),
            Just("leave"),
            Just("ping"),
            Just("iceServers"),
            Just("__proto__"),
            Just("constructor"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let key = prop_oneof![
            Just("type".to_owned()),
            Just("name".to_owned()),
            Just("room".to_owned()),
            Just("offer".to_owned()),
            Just("answer".to_owned()),
            Just("candidate".to_owned()),
            ".{0,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #[test]
    fn parse_never_panics_on_any_string(frame in ".*") {
        let _ = ClientMessage::parse(&frame);
    }

    #[test]
    fn parse_never_panics_on_any_bytes_as_text(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = ClientMessage::parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn parse_classifies_any_json_value(value in json()) {
        let frame = value.to_string();
        match ClientMessage::parse(&frame) {
            Ok(message) => {
                // Whatever parses round-trips to the same message.
                prop_assert!(ClientMessage::parse(&message.to_json()).is_ok());
            }
            Err(ParseError::InvalidJson) => prop_assert!(!value.is_object()),
            Err(_) => prop_assert!(value.is_object()),
        }
    }
}

/// Arbitrary frames, JSON and not, through one real connection: it answers every one and
/// stays usable, and the server keeps serving a second user.
#[test]
fn a_connection_survives_arbitrary_frames() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let frames =
        prop::collection::vec(prop_oneof![json().prop_map(|v| v.to_string()), ".{0,64}"], 1..40);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    runtime.block_on(async {
        let config = natter_server::Config::parse_from([
            "natter-server",
            "--static-dir",
            "/nonexistent",
            "--rate-burst",
            "100000",
        ]);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        let sockets = natter_server::Sockets { http: listener, stun: None };
        tokio::spawn(natter_server::serve(config, sockets, std::future::pending()));
        let (mut witness, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
        witness.next().await.unwrap().unwrap(); // greeting
        let cases: Vec<Vec<String>> =
            (0..24).map(|_| frames.new_tree(&mut runner).unwrap().current()).collect();
        for case in cases {
            let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
            ws.next().await.unwrap().unwrap(); // greeting
            for frame in &case {
                ws.send(Message::text(frame.as_str())).await.unwrap();
            }
            ws.send(Message::text(r#"{"type":"ping"}"#)).await.unwrap();
            // Every frame gets at most one reply (a relay's goes elsewhere); the pong ends it.
            let pong = natter_protocol::ServerMessage::Pong.to_json();
            let mut replies = 0;
            loop {
                match ws.next().await {
                    Some(Ok(Message::Text(text))) if text.as_str() == pong => break,
                    Some(Ok(Message::Text(_))) => replies += 1,
                    Some(Ok(_)) => {}
                    other => panic!("connection lost on {case:?}: {other:?}"),
                }
            }
            assert!(replies <= case.len(), "{case:?}");
            drop(ws);
        }
        witness.send(Message::text(r#"{"type":"ping"}"#)).await.unwrap();
        loop {
            if let Some(Ok(Message::Text(_))) = witness.next().await {
                break;
            }
        }
    });
}
