//! The WebSocket handshake, done by hand so a connection owns its TCP socket itself: its
//! frames are read and written there (`inbox`, `outbox`), the writes by any task.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::upgrade::OnUpgrade;
use hyper_util::rt::TokioIo;
use hyper_util::server::conn::auto::upgrade::downcast;
use std::future::Future;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// Whether the request asks for a WebSocket (`Upgrade: websocket`).
pub fn is_websocket(headers: &HeaderMap) -> bool {
    headers.get(header::UPGRADE).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

/// Answers a valid handshake with 101 and runs `serve` on the socket once upgraded, with
/// whatever bytes the client sent after its request; an invalid one gets a 400 or 426 that
/// says why.
pub fn accept<F, Fut>(mut request: Request, serve: F) -> Response
where
    F: FnOnce(TcpStream, Vec<u8>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let headers = request.headers();
    let connection_upgrade = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| token.trim().eq_ignore_ascii_case("upgrade"));
    if !is_websocket(headers) || !connection_upgrade {
        return (StatusCode::BAD_REQUEST, "Expected a WebSocket upgrade\n").into_response();
    }
    if headers.get(header::SEC_WEBSOCKET_VERSION).map(HeaderValue::as_bytes) != Some(b"13") {
        let mut response =
            (StatusCode::UPGRADE_REQUIRED, "WebSocket version 13 only\n").into_response();
        response
            .headers_mut()
            .insert(header::SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"));
        return response;
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return (StatusCode::BAD_REQUEST, "Missing Sec-WebSocket-Key\n").into_response();
    };
    let accept_key = derive_accept_key(key.as_bytes());
    let Some(on_upgrade) = request.extensions_mut().remove::<OnUpgrade>() else {
        return (StatusCode::BAD_REQUEST, "This connection cannot be upgraded\n").into_response();
    };
    tokio::spawn(async move {
        // The server's listener hands out plain TCP sockets: nothing else to find here.
        let Ok(Ok(parts)) = on_upgrade.await.map(downcast::<TokioIo<TcpStream>>) else { return };
        // Copied, and the original dropped before serving: the bytes hyper hands over share
        // its read buffer (8 KiB and more), which the socket would otherwise keep for life.
        let early = parts.read_buf.to_vec();
        drop(parts.read_buf);
        serve(parts.io.into_inner(), early).await;
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept_key)
        .body(Body::empty())
        .expect("a valid 101 response")
}
