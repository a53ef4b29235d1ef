//! Bad input and abuse: each gets a clear error or close, and everyone else is still served.

use crate::common::{start, Client};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

/// Logs in a bystander whose service must survive whatever the test does.
async fn bystander(server: &crate::common::TestServer) -> Client {
    Client::login(server, "bystander").await.0
}

#[tokio::test]
async fn frames_that_are_not_json_objects_are_invalid_json() {
    let server = start(&[]).await;
    let mut witness = bystander(&server).await;
    let mut client = Client::open(&server).await;
    for frame in ["", "nope", "null", "[]", "[1,2]", "5", "true", r#""login""#, "{", "{}}"] {
        client.send(frame).await;
        assert_eq!(
            client.recv().await,
            r#"{"type":"error","message":"Command not found: undefined","code":"invalid_json"}"#,
            "{frame:?}"
        );
    }
    client.assert_alive().await;
    witness.assert_alive().await;
}

#[tokio::test]
async fn missing_or_mistyped_fields_are_bad_messages() {
    let server = start(&[]).await;
    let mut client = Client::open(&server).await;
    for frame in [
        r#"{"type":"login"}"#,
        r#"{"type":"login","name":null}"#,
        r#"{"type":"login","name":5}"#,
        r#"{"type":"login","name":["alice"]}"#,
        r#"{"type":"login","name":"alice","room":7}"#,
        r#"{"type":"offer","name":"bob"}"#,
        r#"{"type":"offer","offer":{}}"#,
        r#"{"type":"answer","name":"bob","answer":null}"#,
        r#"{"type":"candidate","name":{},"candidate":{}}"#,
        r#"{"type":"leave"}"#,
    ] {
        client.send(frame).await;
        assert_eq!(client.recv_error().await.0, "bad_message", "{frame}");
    }
    client.send(r#"{"type":17}"#).await;
    assert_eq!(client.recv_error().await, ("unknown_type".into(), "Command not found: 17".into()));
    client.send(r#"{"type":null}"#).await;
    assert_eq!(client.recv_error().await.0, "unknown_type");
    client.assert_alive().await;
}

#[tokio::test]
async fn unusable_names_and_rooms_are_refused() {
    let server = start(&[]).await;
    let mut client = Client::open(&server).await;
    let long = "x".repeat(33);
    for name in ["", "   ", " alice", "alice ", "al\\nice", "bell\\u0007", long.as_str()] {
        client.send(&format!(r#"{{"type":"login","name":"{name}"}}"#)).await;
        let reply = client.recv_json().await;
        assert_eq!(reply["type"], "login");
        assert_eq!(reply["success"], false);
        assert_eq!(reply["code"], "bad_name", "{name:?}");
        assert!(reply["message"].as_str().unwrap().starts_with("Name "));
    }
    let long = "r".repeat(65);
    for room in ["", " ", "tab\\t", long.as_str()] {
        client.send(&format!(r#"{{"type":"login","name":"alice","room":"{room}"}}"#)).await;
        let reply = client.recv_json().await;
        assert_eq!((&reply["success"], &reply["code"]), (&false.into(), &"bad_room".into()));
    }
    // Not logged in by any of that.
    client.send(r#"{"type":"leave","name":"x"}"#).await;
    assert_eq!(client.recv_error().await.0, "not_logged_in");
}

#[tokio::test]
async fn relays_before_login_are_refused() {
    let server = start(&[]).await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    let mut stranger = Client::open(&server).await;
    for frame in [
        r#"{"type":"offer","name":"bob","offer":{}}"#,
        r#"{"type":"answer","name":"bob","answer":{}}"#,
        r#"{"type":"candidate","name":"bob","candidate":{}}"#,
        r#"{"type":"leave","name":"bob"}"#,
    ] {
        stranger.send(frame).await;
        assert_eq!(stranger.recv_error().await.0, "not_logged_in");
    }
    bob.expect_silence(100).await;
}

#[tokio::test]
async fn a_second_login_on_one_socket_is_refused() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    alice.recv().await;
    alice.send(r#"{"type":"login","name":"alice2"}"#).await;
    let reply = alice.recv_json().await;
    assert_eq!(reply["type"], "login");
    assert_eq!(reply["success"], false);
    assert_eq!(reply["code"], "already_logged_in");
    // Still alice, and nobody heard of alice2.
    bob.expect_silence(100).await;
    bob.send(r#"{"type":"offer","name":"alice","offer":{}}"#).await;
    assert_eq!(alice.recv_json().await["name"], "bob");
    bob.send(r#"{"type":"offer","name":"alice2","offer":{}}"#).await;
    assert_eq!(bob.recv_error().await.0, "no_such_user");
}

#[tokio::test]
async fn binary_frames_get_errors_then_a_policy_close() {
    let server = start(&[]).await;
    let mut witness = bystander(&server).await;
    let mut client = Client::open(&server).await;
    for _ in 0..2 {
        client.ws.send(Message::binary(vec![1, 2, 3])).await.unwrap();
        assert_eq!(client.recv_error().await.0, "binary_frame");
    }
    client.assert_alive().await;
    client.ws.send(Message::binary(vec![4])).await.unwrap();
    assert_eq!(client.recv_error().await.0, "binary_frame");
    assert_eq!(client.expect_close().await, Some(1008));
    witness.assert_alive().await;
}

#[tokio::test]
async fn an_oversized_frame_gets_an_error_then_close_1009() {
    let server = start(&["--max-frame-bytes", "1000"]).await;
    let mut witness = bystander(&server).await;
    let mut client = Client::login(&server, "big").await.0;
    witness.recv().await; // updateUsers big
    client
        .send(&format!(r#"{{"type":"offer","name":"bystander","offer":"{}"}}"#, "x".repeat(980)))
        .await;
    assert_eq!(client.recv_error().await.0, "too_large");
    assert_eq!(client.expect_close().await, Some(1009));
    assert_eq!(witness.recv_json().await["type"], "removeUser");
    witness.assert_alive().await;
}

#[tokio::test]
async fn a_huge_frame_is_refused_without_being_buffered() {
    let server = start(&[]).await; // 64 KiB limit
    let mut witness = bystander(&server).await;
    let mut client = Client::open(&server).await;
    // 8 MiB: the server refuses it from the frame header and closes.
    let _ = client.ws.send(Message::text("y".repeat(8 << 20))).await;
    // It may see the too_large error first, or lose it to a reset while still sending;
    // either way the socket ends promptly and everyone else is fine.
    loop {
        match tokio::time::timeout(Duration::from_secs(5), client.ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => {
                assert_eq!(frame.map(|f| u16::from(f.code)), Some(1009));
                break;
            }
            Ok(Some(Ok(Message::Text(text)))) => assert!(text.contains("too_large"), "{text}"),
            Ok(Some(Ok(_))) => {}
            Ok(None | Some(Err(_))) => break,
            Err(_) => panic!("the socket was not closed"),
        }
    }
    witness.assert_alive().await;
}

#[tokio::test]
async fn floods_are_rate_limited_then_closed() {
    let server =
        start(&["--rate-burst", "10", "--rate-per-sec", "1", "--flood-close-after", "20"]).await;
    let mut witness = bystander(&server).await;
    let mut client = Client::open(&server).await;
    for _ in 0..15 {
        client.send(r#"{"type":"ping"}"#).await;
    }
    let mut pongs = 0;
    let mut limited = 0;
    for _ in 0..15 {
        match client.recv_json().await["type"].as_str().unwrap() {
            "pong" => pongs += 1,
            "error" => limited += 1,
            other => panic!("{other}"),
        }
    }
    assert!((10..=11).contains(&pongs), "{pongs} pongs");
    assert_eq!(pongs + limited, 15);
    // Keep flooding: the socket is closed for policy.
    for _ in 0..30 {
        if client.ws.send(Message::text(r#"{"type":"ping"}"#)).await.is_err() {
            break;
        }
    }
    loop {
        match client.ws.next().await {
            Some(Ok(Message::Close(frame))) => {
                assert_eq!(frame.map(|f| u16::from(f.code)), Some(1008));
                break;
            }
            Some(Ok(Message::Text(text))) => assert!(text.contains("rate_limited"), "{text}"),
            other => panic!("expected a close, got {other:?}"),
        }
    }
    witness.assert_alive().await;
}

#[tokio::test]
async fn too_many_sockets_from_one_address_are_refused() {
    let server = start(&["--max-connections-per-ip", "2"]).await;
    let first = Client::open(&server).await;
    let _second = Client::open(&server).await;
    match tokio_tungstenite::connect_async(server.url("/ws")).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
        other => panic!("expected 429, got {:?}", other.map(|_| ())),
    }
    drop(first);
    // The slot comes back once the server has seen the close.
    for attempt in 0.. {
        match tokio_tungstenite::connect_async(server.url("/ws")).await {
            Ok(_) => break,
            Err(_) if attempt < 50 => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(error) => panic!("{error}"),
        }
    }
}

#[tokio::test]
async fn the_global_socket_cap_holds() {
    let server = start(&["--max-connections", "1"]).await;
    let _only = Client::open(&server).await;
    match tokio_tungstenite::connect_async(server.url("/")).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 503),
        other => panic!("expected 503, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn disallowed_origins_are_refused_before_the_upgrade() {
    let server =
        start(&["--allowed-origins", "https://natter.example,http://localhost:8080"]).await;
    let with_origin = |origin: &str| {
        let mut request = server.url("/ws").into_client_request().unwrap();
        request.headers_mut().insert("Origin", origin.parse().unwrap());
        request
    };
    match tokio_tungstenite::connect_async(with_origin("https://evil.example")).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
    for origin in ["https://natter.example", "http://localhost:8080"] {
        assert!(tokio_tungstenite::connect_async(with_origin(origin)).await.is_ok());
    }
    // Non-browser clients send no Origin.
    Client::open(&server).await.assert_alive().await;
}

#[tokio::test]
async fn a_silent_socket_is_dropped_by_the_heartbeat() {
    let server = start(&["--heartbeat-secs", "1"]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    // Bob never reads again, so tungstenite never answers the server's pings.
    let (bob, _) = Client::login(&server, "bob").await;
    assert_eq!(alice.recv_json().await["type"], "updateUsers");
    let started = std::time::Instant::now();
    let removed = alice.recv_json().await;
    assert_eq!(removed["type"], "removeUser");
    assert_eq!(removed["user"]["userName"], "bob");
    assert!(started.elapsed() < Duration::from_secs(5));
    // Alice keeps reading, so answers pings, and stays.
    alice.expect_silence(2500).await;
    alice.assert_alive().await;
    drop(bob);
}

#[tokio::test]
async fn a_reader_that_cannot_keep_up_is_dropped() {
    let server = start(&[
        "--rate-burst",
        "100000",
        "--rate-per-sec",
        "100000",
        "--send-queue-bytes",
        "65536",
    ])
    .await;
    let mut witness = bystander(&server).await;
    let (slow, _) = Client::login(&server, "slow").await;
    let (alice, _) = Client::login(&server, "alice").await;
    witness.recv().await; // updateUsers slow
    witness.recv().await; // updateUsers alice
                          // Alice floods 16 MiB of offers at slow, who never reads; she drains her own errors.
    let (mut sink, mut stream) = alice.ws.split();
    let drain = tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
    let offer = format!(r#"{{"type":"offer","name":"slow","offer":"{}"}}"#, "s".repeat(16 << 10));
    let flood = tokio::spawn(async move {
        for _ in 0..1024 {
            if sink.send(Message::text(offer.clone())).await.is_err() {
                break;
            }
        }
    });
    let removed = witness.recv_json().await;
    assert_eq!(
        (&removed["type"], &removed["user"]["userName"]),
        (&"removeUser".into(), &"slow".into())
    );
    witness.assert_alive().await;
    flood.await.unwrap();
    drain.abort();
    drop(slow);
}
