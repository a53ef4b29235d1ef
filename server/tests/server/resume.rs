//! Resume tokens: a new socket takes its login back from an old one the server still holds.

use crate::common::{start, Client, TestServer};
use serde_json::Value;

const NAME_TAKEN: &str =
    r#"{"type":"login","success":false,"message":"Username is unavailable","code":"name_taken"}"#;

/// Longer than the 50 ms a broadcast may linger: a `removeUser` or `updateUsers` would show.
const SILENCE_MS: u64 = 300;

fn token(reply: &Value) -> String {
    reply["resume"].as_str().expect("login success carries a resume token").to_owned()
}

fn names(reply: &Value) -> Vec<&str> {
    let users = reply["users"].as_array().expect("a user list");
    users.iter().map(|user| user["userName"].as_str().unwrap()).collect()
}

/// The login natter sends: `room` and `resume` when it has them, in that order.
fn login_frame(name: &str, room: Option<&str>, resume: Option<&str>) -> String {
    let room = room.map(|room| format!(r#","room":"{room}""#)).unwrap_or_default();
    let resume = resume.map(|token| format!(r#","resume":"{token}""#)).unwrap_or_default();
    format!(r#"{{"type":"login","name":"{name}"{room}{resume}}}"#)
}

/// Opens a socket and sends that login; returns the client and the reply, whatever it is.
async fn try_login(
    server: &TestServer,
    name: &str,
    room: Option<&str>,
    resume: Option<&str>,
) -> (Client, String) {
    let mut client = Client::open(server).await;
    client.send(&login_frame(name, room, resume)).await;
    let reply = client.recv().await;
    (client, reply)
}

#[tokio::test]
async fn a_token_takes_over_a_socket_still_open() {
    let server = start(&[]).await;
    let (mut old, first) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    old.recv().await; // updateUsers bob

    let (mut new, reply) = try_login(&server, "alice", None, Some(&token(&first))).await;
    let reply: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(reply["success"], true, "{reply}");
    assert_eq!(reply["id"], first["id"], "the same user");
    assert_eq!(names(&reply), ["bob"], "everyone but itself");
    let fresh = token(&reply);
    assert_ne!(fresh, token(&first));
    assert!(fresh.len() == 32 && fresh.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    assert!(reply["iceServers"].is_array(), "{reply}");

    // The old socket is closed without another word; the room sees nothing.
    let replaced = Some((4000, "replaced by a new connection".to_owned()));
    assert_eq!(old.expect_close_frame().await, replaced);
    old.expect_end().await;
    bob.expect_silence(SILENCE_MS).await;

    // Relays to the name reach the new socket; its own go out under the name.
    bob.send(r#"{"type":"offer","name":"alice","offer":{"sdp":"x"}}"#).await;
    assert_eq!(new.recv().await, r#"{"type":"offer","offer":{"sdp":"x"},"name":"bob"}"#);
    new.send(r#"{"type":"leave","name":"bob"}"#).await;
    assert_eq!(bob.recv().await, r#"{"type":"leave","name":"alice"}"#);

    // Alice kept her place in the room's order.
    let (_carol, reply) = Client::login(&server, "carol").await;
    assert_eq!(names(&reply), ["alice", "bob"]);
    assert_eq!(reply["users"][0]["id"], first["id"]);
    assert_eq!(new.recv_json().await["user"]["userName"], "carol");
    assert_eq!(bob.recv_json().await["user"]["userName"], "carol");

    // The old token is spent.
    let (_, refused) = try_login(&server, "alice", None, Some(&token(&first))).await;
    assert_eq!(refused, NAME_TAKEN);

    // Closing the new socket is alice leaving, once.
    drop(new);
    let left = bob.recv_json().await;
    assert_eq!((&left["type"], &left["user"]["id"]), (&"removeUser".into(), &first["id"]));
    bob.expect_silence(SILENCE_MS).await;
    Client::login(&server, "alice").await;
}

#[tokio::test]
async fn a_wrong_token_gets_name_taken() {
    let server = start(&[]).await;
    let (mut alice, reply) = Client::login(&server, "alice").await;
    let right = token(&reply);
    let last = if right.ends_with('0') { "1" } else { "0" };
    let wrong = format!("{}{last}", &right[..31]);
    let mut other = Client::open(&server).await;
    other.send(&login_frame("alice", None, Some(&wrong))).await;
    assert_eq!(other.recv().await, NAME_TAKEN);
    alice.assert_alive().await;
    // The refused socket may still log in, here with the right token.
    other.send(&login_frame("alice", None, Some(&right))).await;
    assert_eq!(other.recv_json().await["id"], reply["id"]);
    assert_eq!(alice.expect_close().await, Some(4000));
}

#[tokio::test]
async fn without_a_token_a_taken_name_is_refused_as_before() {
    let server = start(&[]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    alice.recv().await; // updateUsers bob
    let (_other, reply) = try_login(&server, "alice", None, None).await;
    assert_eq!(reply, NAME_TAKEN);
    alice.assert_alive().await;
    bob.expect_silence(SILENCE_MS).await;
}

#[tokio::test]
async fn a_token_for_a_free_name_is_an_ordinary_login() {
    let server = start(&[]).await;
    let (alice, first) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    drop(alice);
    assert_eq!(bob.recv_json().await["type"], "removeUser");

    // Her name is free again: the token is ignored and she is someone new.
    let (_alice, reply) = try_login(&server, "alice", None, Some(&token(&first))).await;
    let reply: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(reply["success"], true, "{reply}");
    assert_ne!(reply["id"], first["id"]);
    let joined = bob.recv_json().await;
    assert_eq!((&joined["type"], &joined["user"]["id"]), (&"updateUsers".into(), &reply["id"]));

    // Nor does a token choose the name: another free name is just a login.
    let (_dave, reply) = try_login(&server, "dave", None, Some(&token(&reply))).await;
    assert!(reply.starts_with(r#"{"type":"login","success":true,"#), "{reply}");
    assert_eq!(bob.recv_json().await["user"]["userName"], "dave");
}

#[tokio::test]
async fn a_token_does_not_cross_rooms() {
    let server = start(&[]).await;
    let mut red = Client::open(&server).await;
    red.send(&login_frame("alice", Some("red"), None)).await;
    let red_reply = red.recv_json().await;
    let red_token = token(&red_reply);
    let _blue = Client::login_in(&server, "alice", "blue").await;
    let (_lobby, _) = Client::login(&server, "alice").await;

    for room in [Some("blue"), None] {
        let (_, reply) = try_login(&server, "alice", room, Some(&red_token)).await;
        assert_eq!(reply, NAME_TAKEN, "{room:?}");
    }
    red.assert_alive().await;
    // In its own room it works.
    let (_, reply) = try_login(&server, "alice", Some("red"), Some(&red_token)).await;
    assert_eq!(serde_json::from_str::<Value>(&reply).unwrap()["id"], red_reply["id"]);
    assert_eq!(red.expect_close().await, Some(4000));
}

#[tokio::test]
async fn a_logged_in_socket_still_gets_already_logged_in() {
    let server = start(&[]).await;
    let (mut alice, reply) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    alice.recv().await; // updateUsers bob
    bob.send(&login_frame("alice", None, Some(&token(&reply)))).await;
    assert_eq!(
        bob.recv().await,
        r#"{"type":"login","success":false,"message":"Already logged in as bob","code":"already_logged_in"}"#
    );
    alice.assert_alive().await;
}

#[tokio::test]
async fn the_old_socket_closing_after_the_takeover_removes_nothing() {
    let server = start(&[]).await;
    let (old, first) = Client::login(&server, "alice").await;
    let (mut bob, _) = Client::login(&server, "bob").await;
    let (mut new, reply) = try_login(&server, "alice", None, Some(&token(&first))).await;
    assert!(reply.starts_with(r#"{"type":"login","success":true,"#), "{reply}");
    // The old page goes away on its own, without waiting for the server's close.
    drop(old);
    bob.expect_silence(SILENCE_MS).await;
    new.assert_alive().await;
    bob.send(r#"{"type":"leave","name":"alice"}"#).await;
    assert_eq!(new.recv().await, r#"{"type":"leave","name":"bob"}"#);
    let (_, refused) = try_login(&server, "alice", None, None).await;
    assert_eq!(refused, NAME_TAKEN);
}
