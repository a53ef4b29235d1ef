//! Every row of the reference protocol, byte for byte, and natter's additions.

use crate::common::{start, Client, GREETING};
use futures_util::SinkExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

const SDP: &str =
    r#"{"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n"}"#;
const CANDIDATE: &str = r#"{"candidate":"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host","sdpMid":"0","sdpMLineIndex":0}"#;

fn id(reply: &Value) -> String {
    reply["id"].as_str().expect("login success carries the caller's id").to_owned()
}

fn token(reply: &Value) -> String {
    reply["resume"].as_str().expect("login success carries a resume token").to_owned()
}

#[tokio::test]
async fn greeting_comes_first_at_ws_and_at_root() {
    let server = start(&[]).await;
    // `open_at` asserts the greeting is the very first frame, byte for byte.
    Client::open_at(&server, "/ws").await.assert_alive().await;
    Client::open_at(&server, "/").await.assert_alive().await;
    assert!(GREETING.starts_with(r#"{"type":"connect","#));
}

#[tokio::test]
async fn login_lists_others_and_announces_the_newcomer() {
    let server = start(&[]).await;
    // The built-in STUN server, by the name the client used (tungstenite sends the address).
    let ice = format!(r#"[{{"urls":["stun:127.0.0.1:{}"]}}]"#, server.stun.unwrap().port());
    let mut alice = Client::open(&server).await;
    alice.send(r#"{"type":"login","name":"alice"}"#).await;
    let reply = alice.recv().await;
    let parsed = serde_json::from_str(&reply).unwrap();
    let (alice_id, alice_token) = (id(&parsed), token(&parsed));
    assert_eq!(
        reply,
        format!(
            r#"{{"type":"login","success":true,"users":[],"id":"{alice_id}","resume":"{alice_token}","iceServers":{ice}}}"#
        )
    );
    assert!(uuid::Uuid::parse_str(&alice_id).is_ok());

    let mut bob = Client::open(&server).await;
    bob.send(r#"{"type":"login","name":"bob"}"#).await;
    let reply = bob.recv().await;
    let parsed = serde_json::from_str(&reply).unwrap();
    let (bob_id, bob_token) = (id(&parsed), token(&parsed));
    assert_eq!(
        reply,
        format!(
            r#"{{"type":"login","success":true,"users":[{{"id":"{alice_id}","userName":"alice"}}],"id":"{bob_id}","resume":"{bob_token}","iceServers":{ice}}}"#
        )
    );
    assert_ne!(alice_token, bob_token);
    assert_eq!(
        alice.recv().await,
        format!(r#"{{"type":"updateUsers","user":{{"id":"{bob_id}","userName":"bob"}}}}"#)
    );
    // The newcomer gets no updateUsers about itself.
    bob.expect_silence(100).await;

    // A third user sees both, in login order.
    let (_carol, reply) = Client::login(&server, "carol").await;
    let names: Vec<_> = reply["users"].as_array().unwrap().iter().map(|u| &u["userName"]).collect();
    assert_eq!(names, ["alice", "bob"]);
}

#[tokio::test]
async fn a_taken_name_is_refused_with_the_reference_text() {
    let server = start(&[]).await;
    let (_alice, _) = Client::login(&server, "alice").await;
    let mut other = Client::open(&server).await;
    other.send(r#"{"type":"login","name":"alice"}"#).await;
    assert_eq!(
        other.recv().await,
        r#"{"type":"login","success":false,"message":"Username is unavailable","code":"name_taken"}"#
    );
    // The refused socket may try another name.
    other.send(r#"{"type":"login","name":"alice2"}"#).await;
    assert_eq!(other.recv_json().await["success"], true);
}

#[tokio::test]
async fn relays_carry_the_sender_name_and_the_payload_verbatim() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    alice.recv().await; // updateUsers bob

    alice.send(&format!(r#"{{"type":"offer","name":"bob","offer":{SDP}}}"#)).await;
    assert_eq!(bob.recv().await, format!(r#"{{"type":"offer","offer":{SDP},"name":"alice"}}"#));

    bob.send(&format!(r#"{{"type":"answer","name":"alice","answer":{SDP}}}"#)).await;
    assert_eq!(alice.recv().await, format!(r#"{{"type":"answer","answer":{SDP},"name":"bob"}}"#));

    alice.send(&format!(r#"{{"type":"candidate","name":"bob","candidate":{CANDIDATE}}}"#)).await;
    assert_eq!(
        bob.recv().await,
        format!(r#"{{"type":"candidate","candidate":{CANDIDATE},"name":"alice"}}"#)
    );

    // Whitespace and odd formatting inside a payload pass through untouched.
    let odd = r#"{ "sdp" : "x" ,"n":[1 , 2.50]}"#;
    alice.send(&format!(r#"{{"type":"offer","name":"bob","offer":{odd}}}"#)).await;
    assert_eq!(bob.recv().await, format!(r#"{{"type":"offer","offer":{odd},"name":"alice"}}"#));

    alice.send(r#"{"type":"leave","name":"bob"}"#).await;
    assert_eq!(bob.recv().await, r#"{"type":"leave","name":"alice"}"#);
    // Nothing echoes back to the sender.
    alice.expect_silence(100).await;
}

#[tokio::test]
async fn the_sender_name_cannot_be_forged() {
    let server = start(&[]).await;
    let (mut mallory, _) = Client::login(&server, "mallory").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    mallory.recv().await;
    mallory
        .send(r#"{"name":"bob","type":"answer","answer":{},"from":"alice","sender":"alice"}"#)
        .await;
    assert_eq!(bob.recv().await, r#"{"type":"answer","answer":{},"name":"mallory"}"#);
}

#[tokio::test]
async fn closing_a_socket_removes_its_user() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    let (bob, reply) = Client::login(&server, "bob").await;
    let bob_id = id(&reply);
    alice.recv().await;
    drop(bob);
    assert_eq!(
        alice.recv().await,
        format!(r#"{{"type":"removeUser","user":{{"id":"{bob_id}","userName":"bob"}}}}"#)
    );
    // The name is free again.
    let (_bob, _) = Client::login(&server, "bob").await;
}

#[tokio::test]
async fn a_socket_that_never_logged_in_leaves_silently() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    drop(Client::open(&server).await);
    alice.expect_silence(200).await;
}

#[tokio::test]
async fn unknown_types_and_invalid_json_get_the_reference_texts() {
    let server = start(&[]).await;
    let mut client = Client::open(&server).await;
    client.send(r#"{"type":"dance"}"#).await;
    assert_eq!(
        client.recv().await,
        r#"{"type":"error","message":"Command not found: dance","code":"unknown_type"}"#
    );
    client.send("this is not json").await;
    assert_eq!(
        client.recv().await,
        r#"{"type":"error","message":"Command not found: undefined","code":"invalid_json"}"#
    );
    client.send(r#"{"name":"x"}"#).await;
    assert_eq!(
        client.recv().await,
        r#"{"type":"error","message":"Command not found: undefined","code":"unknown_type"}"#
    );
}

#[tokio::test]
async fn a_relay_to_an_unknown_user_is_an_error() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    for kind in ["offer", "answer", "candidate"] {
        alice.send(&format!(r#"{{"type":"{kind}","name":"carol","{kind}":{{}}}}"#)).await;
        assert_eq!(
            alice.recv().await,
            r#"{"type":"error","message":"User carol does not exist!","code":"no_such_user"}"#
        );
    }
    alice.send(r#"{"type":"leave","name":"carol"}"#).await;
    assert_eq!(alice.recv_error().await.0, "no_such_user");
}

#[tokio::test]
async fn ping_gets_pong() {
    let server = start(&[]).await;
    let mut client = Client::open(&server).await;
    client.assert_alive().await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    alice.assert_alive().await;
}

#[tokio::test]
async fn rooms_are_isolated() {
    let server = start(&[]).await;
    let mut alice_red = Client::login_in(&server, "alice", "red").await;
    // The same name in another room, and in the lobby, is fine.
    let mut alice_blue = Client::login_in(&server, "alice", "blue").await;
    let (mut alice_lobby, _) = Client::login(&server, "alice").await;

    let mut bob = Client::open(&server).await;
    bob.send(r#"{"type":"login","name":"bob","room":"red"}"#).await;
    let reply = bob.recv_json().await;
    let names: Vec<_> = reply["users"].as_array().unwrap().iter().map(|u| &u["userName"]).collect();
    assert_eq!(names, ["alice"]);
    assert_eq!(alice_red.recv_json().await["user"]["userName"], "bob");

    // Bob's offer reaches red alice only.
    bob.send(r#"{"type":"offer","name":"alice","offer":{"sdp":"red"}}"#).await;
    assert_eq!(alice_red.recv().await, r#"{"type":"offer","offer":{"sdp":"red"},"name":"bob"}"#);
    let _carol = Client::login_in(&server, "carol", "blue").await;
    bob.send(r#"{"type":"offer","name":"carol","offer":{}}"#).await;
    assert_eq!(bob.recv_error().await.0, "no_such_user");

    // Leaving tells the room, not the others.
    drop(bob);
    assert_eq!(alice_red.recv_json().await["type"], "removeUser");
    assert_eq!(alice_blue.recv_json().await["user"]["userName"], "carol");
    alice_blue.expect_silence(200).await;
    alice_lobby.expect_silence(0).await;
}

#[tokio::test]
async fn prototype_names_are_ordinary_names() {
    let server = start(&[]).await;
    let (mut constructor, _) = Client::login(&server, "constructor").await;
    let (mut proto, reply) = Client::login(&server, "__proto__").await;
    assert_eq!(reply["users"][0]["userName"], "constructor");
    assert_eq!(constructor.recv_json().await["user"]["userName"], "__proto__");
    constructor.send(r#"{"type":"offer","name":"__proto__","offer":{}}"#).await;
    assert_eq!(proto.recv().await, r#"{"type":"offer","offer":{},"name":"constructor"}"#);
    // Unknown names that look like Object's properties are still unknown.
    proto.send(r#"{"type":"leave","name":"prototype"}"#).await;
    assert_eq!(proto.recv_error().await.0, "no_such_user");
    for name in ["toString", "hasOwnProperty", "valueOf"] {
        Client::login(&server, name).await;
    }
}

/// An unmodified client of the reference server: connects at `/`, sends exactly what it
/// sends (field order included) and understands every reply.
#[tokio::test]
async fn an_old_client_works_unchanged() {
    let server = start(&[]).await;
    let mut alice = Client::open_at(&server, "/").await;
    let mut bob = Client::open_at(&server, "/").await;
    alice.send(r#"{"type":"login","name":"alice"}"#).await;
    assert!(alice.recv().await.starts_with(r#"{"type":"login","success":true,"users":[]"#));
    bob.send(r#"{"type":"login","name":"bob"}"#).await;
    assert!(bob.recv().await.starts_with(r#"{"type":"login","success":true,"users":[{"id":""#));
    assert!(alice.recv().await.starts_with(r#"{"type":"updateUsers","user":{"id":""#));

    alice.send(&format!(r#"{{"type":"offer","offer":{SDP},"name":"bob"}}"#)).await;
    assert_eq!(bob.recv().await, format!(r#"{{"type":"offer","offer":{SDP},"name":"alice"}}"#));
    bob.send(&format!(r#"{{"type":"answer","answer":{SDP},"name":"alice"}}"#)).await;
    let answer: Value = serde_json::from_str(&alice.recv().await).unwrap();
    assert_eq!(answer["type"], "answer");
    assert_eq!(answer["answer"], serde_json::from_str::<Value>(SDP).unwrap());
    bob.send(&format!(r#"{{"type":"candidate","candidate":{CANDIDATE},"name":"alice"}}"#)).await;
    assert_eq!(alice.recv_json().await["candidate"]["sdpMid"], "0");
    alice.send(r#"{"type":"leave","name":"bob"}"#).await;
    assert_eq!(bob.recv_json().await["type"], "leave");
}

#[tokio::test]
async fn turn_credentials_follow_the_coturn_rest_scheme() {
    use base64::Engine;
    use hmac::Mac;
    let server = start(&[
        "--stun-urls",
        "stun:127.0.0.1:3478",
        "--turn-urls",
        "turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp",
        "--turn-secret",
        "s3cret",
        "--turn-ttl",
        "3600",
    ])
    .await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (_alice, reply) = Client::login(&server, "alice").await;
    let ice = reply["iceServers"].as_array().unwrap();
    assert_eq!(ice[0], serde_json::json!({"urls": ["stun:127.0.0.1:3478"]}));
    let turn = &ice[1];
    assert_eq!(
        turn["urls"],
        serde_json::json!([
            "turn:127.0.0.1:3478?transport=udp",
            "turn:127.0.0.1:3478?transport=tcp"
        ])
    );
    let username = turn["username"].as_str().unwrap();
    let (expiry, name) = username.split_once(':').unwrap();
    assert_eq!(name, "alice");
    let expiry: u64 = expiry.parse().unwrap();
    assert!((now + 3600..=now + 3610).contains(&expiry), "{expiry} vs {now}");
    assert_eq!(reply["iceTtl"], 3600);
    // Recomputed here with the primitives; fixed vectors from openssl are in turn.rs.
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(b"s3cret").unwrap();
    mac.update(username.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(turn["credential"], expected);
}

#[tokio::test]
async fn shutdown_closes_open_sockets_with_going_away() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    let stopped = tokio::spawn(server.stop());
    assert_eq!(alice.expect_close().await, Some(1001));
    stopped.await.unwrap();
}

#[tokio::test]
async fn relays_between_sockets_of_different_threads_arrive_in_order() {
    // Connections are handed to the threads in turn: alice and bob are served apart, and
    // each relay is written by the sender's thread, many at once when read together.
    let server = start(&["--threads", "2", "--rate-burst", "1000"]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    alice.recv().await; // updateUsers bob
    for i in 0..200 {
        let offer = format!(r#"{{"type":"offer","name":"bob","offer":{{"n":{i}}}}}"#);
        alice.ws.feed(Message::text(offer)).await.unwrap();
        let answer = format!(r#"{{"type":"answer","name":"alice","answer":{{"n":{i}}}}}"#);
        bob.ws.feed(Message::text(answer)).await.unwrap();
    }
    alice.ws.flush().await.unwrap();
    bob.ws.flush().await.unwrap();
    for i in 0..200 {
        let offer = format!(r#"{{"type":"offer","offer":{{"n":{i}}},"name":"alice"}}"#);
        assert_eq!(bob.recv().await, offer);
        let answer = format!(r#"{{"type":"answer","answer":{{"n":{i}}},"name":"bob"}}"#);
        assert_eq!(alice.recv().await, answer);
    }
    bob.ws.close(None).await.unwrap();
    assert_eq!(alice.recv_json().await["type"], "removeUser");
    let stopped = tokio::spawn(server.stop());
    assert_eq!(alice.expect_close().await, Some(1001));
    stopped.await.unwrap();
}

#[tokio::test]
async fn a_long_user_list_arrives_whole() {
    // Over 8 KiB of JSON, written in as many system calls as the socket takes.
    let server = start(&["--max-connections-per-ip", "200"]).await;
    let mut clients = Vec::new();
    for i in 0..150 {
        clients.push(Client::login_in(&server, &format!("user-with-a-long-name-{i}"), "big").await);
    }
    let mut last = Client::open(&server).await;
    last.send(r#"{"type":"login","name":"last","room":"big"}"#).await;
    let reply = last.recv().await;
    assert!(reply.len() > 8 * 1024, "{}", reply.len());
    let reply: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(reply["users"].as_array().unwrap().len(), 150);
    assert_eq!(reply["users"][149]["userName"], "user-with-a-long-name-149");
}
