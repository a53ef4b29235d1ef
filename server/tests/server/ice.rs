//! The ICE servers handed out: the built-in STUN named as the client named the server,
//! configured URLs instead, and TURN credentials with their lifetime, refreshed on request.

use crate::common::{start, Client, TestServer};
use base64::Engine;
use hmac::Mac;
use serde_json::{json, Value};
use std::time::Duration;

const TURN: [&str; 6] =
    ["--turn-urls", "turn:turn.example:3478", "--turn-secret", "s3cret", "--turn-ttl", "60"];

/// Logs in as `name` over a socket opened with the given `Host` header.
async fn login_as(server: &TestServer, host: Option<&str>, name: &str) -> (Client, Value) {
    let mut client = Client::open_as(server, host).await;
    client.send(&format!(r#"{{"type":"login","name":"{name}"}}"#)).await;
    let reply = client.recv_json().await;
    assert_eq!(reply["success"], true, "{reply}");
    (client, reply)
}

fn stun_port(server: &TestServer) -> u16 {
    server.stun.expect("STUN is on").port()
}

/// The expiry in a coturn REST username, after checking its credential.
fn checked_expiry(turn: &Value, name: &str) -> u64 {
    let username = turn["username"].as_str().unwrap();
    let (expiry, user) = username.split_once(':').unwrap();
    assert_eq!(user, name);
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(b"s3cret").unwrap();
    mac.update(username.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(turn["credential"], expected);
    expiry.parse().unwrap()
}

#[tokio::test]
async fn login_names_the_built_in_stun_by_the_host_the_client_used() {
    let server = start(&[]).await;
    let port = stun_port(&server);
    for (host, named) in [
        ("natter.example:8443", "natter.example"),
        ("203.0.113.1", "203.0.113.1"),
        ("[2001:db8::1]:9000", "[2001:db8::1]"),
    ] {
        let (_client, reply) = login_as(&server, Some(host), "alice").await;
        assert_eq!(reply["iceServers"], json!([{"urls": [format!("stun:{named}:{port}")]}]));
        // No TURN credentials, so nothing expires.
        assert!(reply.get("iceTtl").is_none(), "{reply}");
    }
}

#[tokio::test]
async fn without_a_usable_host_the_bind_address_is_named() {
    let server = start(&[]).await;
    let port = stun_port(&server);
    let expected = json!([{"urls": [format!("stun:127.0.0.1:{port}")]}]);
    for host in [None, Some("bad host"), Some("0.0.0.0:9000"), Some("[::]")] {
        let (_client, reply) = login_as(&server, host, "alice").await;
        assert_eq!(reply["iceServers"], expected, "{host:?}");
    }
}

#[tokio::test]
async fn an_unspecified_bind_address_is_never_named() {
    let server = start(&["--bind", "0.0.0.0"]).await;
    let (_client, reply) = login_as(&server, None, "alice").await;
    assert_eq!(reply["iceServers"], json!([]));
    // A usable Host header still names it.
    let (_client, reply) = login_as(&server, Some("natter.example"), "bob").await;
    let url = format!("stun:natter.example:{}", stun_port(&server));
    assert_eq!(reply["iceServers"], json!([{"urls": [url]}]));
}

#[tokio::test]
async fn stun_urls_replace_the_built_in_stun() {
    let server = start(&["--stun-urls", "stun:stun.example.org:3478"]).await;
    let (_client, reply) = login_as(&server, Some("natter.example"), "alice").await;
    assert_eq!(reply["iceServers"], json!([{"urls": ["stun:stun.example.org:3478"]}]));
}

#[tokio::test]
async fn without_stun_the_list_has_none() {
    let server = start(&["--no-stun"]).await;
    let (_client, reply) = login_as(&server, Some("natter.example"), "alice").await;
    assert_eq!(reply["iceServers"], json!([]));
}

#[tokio::test]
async fn ice_servers_refresh_mints_fresh_credentials() {
    let server = start(&TURN).await;
    let port = stun_port(&server);
    let (mut alice, login) = login_as(&server, Some("natter.example"), "alice").await;
    assert_eq!(login["iceTtl"], 60);
    let first = checked_expiry(&login["iceServers"][1], "alice");

    // Expiries are whole seconds: wait for the next one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    alice.send(r#"{"type":"iceServers"}"#).await;
    let raw = alice.recv().await;
    // The fields in the documented order, byte for byte.
    let prefix = format!(
        r#"{{"type":"iceServers","iceServers":[{{"urls":["stun:natter.example:{port}"]}},{{"urls":["turn:turn.example:3478"],"username":""#
    );
    assert!(raw.starts_with(&prefix), "{raw}");
    assert!(raw.ends_with(r#""}],"iceTtl":60}"#), "{raw}");
    let fresh: Value = serde_json::from_str(&raw).unwrap();
    assert!(checked_expiry(&fresh["iceServers"][1], "alice") > first);
    assert_eq!(fresh["iceServers"][0], login["iceServers"][0]);
}

#[tokio::test]
async fn ice_servers_without_turn_has_no_ttl() {
    let server = start(&[]).await;
    let (mut alice, _) = login_as(&server, Some("natter.example"), "alice").await;
    alice.send(r#"{"type":"iceServers"}"#).await;
    let port = stun_port(&server);
    assert_eq!(
        alice.recv().await,
        format!(
            r#"{{"type":"iceServers","iceServers":[{{"urls":["stun:natter.example:{port}"]}}]}}"#
        )
    );
}

#[tokio::test]
async fn ice_servers_before_login_is_refused() {
    let server = start(&TURN).await;
    let mut client = Client::open(&server).await;
    client.send(r#"{"type":"iceServers"}"#).await;
    assert_eq!(
        client.recv().await,
        r#"{"type":"error","message":"Log in first","code":"not_logged_in"}"#
    );
    client.assert_alive().await;
}

#[tokio::test]
async fn ice_servers_counts_against_the_rate_limit() {
    let server = start(&["--rate-burst", "3", "--rate-per-sec", "1"]).await;
    let (mut alice, _) = Client::login(&server, "alice").await;
    alice.send(r#"{"type":"iceServers"}"#).await;
    assert_eq!(alice.recv_json().await["type"], "iceServers");
    alice.send(r#"{"type":"iceServers"}"#).await;
    assert_eq!(alice.recv_json().await["type"], "iceServers");
    alice.send(r#"{"type":"iceServers"}"#).await;
    assert_eq!(alice.recv_error().await.0, "rate_limited");
}
