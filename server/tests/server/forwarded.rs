//! Behind a reverse proxy: `X-Forwarded-For` names the client for the per-address limit,
//! but only on connections from a proxy named by `--trusted-proxy`.

use crate::common::{start, Socket, TestServer};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, http::HeaderValue};

/// Opens `/ws` with `X-Forwarded-For: forwarded_for`: the socket, or the refusal's status.
async fn open_for(server: &TestServer, forwarded_for: &str) -> Result<Socket, u16> {
    let mut request = server.url("/ws").into_client_request().unwrap();
    let value = HeaderValue::from_str(forwarded_for).unwrap();
    request.headers_mut().insert("x-forwarded-for", value);
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(other) => panic!("expected a socket or an HTTP refusal, got {other}"),
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    // The tests connect from 127.0.0.1: here that is the proxy.
    let server = start(&["--max-connections-per-ip", "1", "--trusted-proxy", "127.0.0.1"]).await;
    let _alice = open_for(&server, "198.51.100.1").await.expect("first client");
    let _bob = open_for(&server, "198.51.100.2").await.expect("another client, same proxy");
    assert_eq!(open_for(&server, "198.51.100.1").await.err(), Some(429), "alice again");
    // A client's own header comes first; the proxy appended the address it saw last.
    let forged = open_for(&server, "198.51.100.9, 198.51.100.2").await;
    assert_eq!(forged.err(), Some(429), "bob, claiming to be someone else");
    let _carol = open_for(&server, "198.51.100.2, 198.51.100.3").await.expect("carol");
}

#[tokio::test]
async fn from_anyone_else_the_header_is_ignored() {
    // A proxy is trusted, but not the address the tests connect from.
    let server = start(&["--max-connections-per-ip", "1", "--trusted-proxy", "10.0.0.0/8"]).await;
    let _first = open_for(&server, "198.51.100.1").await.expect("first socket");
    assert_eq!(open_for(&server, "198.51.100.2").await.err(), Some(429));
    // And without any trusted proxy (the default), the same.
    let server = start(&["--max-connections-per-ip", "1"]).await;
    let _first = open_for(&server, "198.51.100.1").await.expect("first socket");
    assert_eq!(open_for(&server, "198.51.100.2").await.err(), Some(429));
}

#[tokio::test]
async fn a_bad_trusted_proxy_is_refused_at_startup() {
    use clap::Parser;
    let parsed =
        natter_server::Config::try_parse_from(["natter-server", "--trusted-proxy", "proxy"]);
    let error = parsed.expect_err("not an address").to_string();
    assert!(error.contains("not an IP address or network"), "{error}");
}
