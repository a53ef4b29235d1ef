//! Test harness: start a server with given flags, drive clients, expect frames.

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use natter_server::{Config, Sockets};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The reference greeting, byte for byte.
pub const GREETING: &str =
    r#"{"type":"connect","message":"Well hello there, I am a WebSocket server"}"#;

/// How long any expected frame may take.
const PATIENCE: Duration = Duration::from_secs(5);

/// A running server; stopped (gracefully) on [`TestServer::stop`] or dropped with the runtime.
pub struct TestServer {
    pub addr: SocketAddr,
    /// The built-in STUN server's address, unless it is off.
    pub stun: Option<SocketAddr>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

/// Starts a server (on 127.0.0.1 unless `--bind` is given) with the given extra
/// command-line flags, bound as the binary binds. STUN gets a free UDP port of its own
/// unless the flags say otherwise: the TCP port's number may be taken on UDP by then.
pub async fn start(flags: &[&str]) -> TestServer {
    let mut args = vec!["natter-server", "--port", "0"];
    if !flags.contains(&"--bind") {
        args.extend(["--bind", "127.0.0.1"]);
    }
    if !flags.contains(&"--static-dir") {
        args.extend(["--static-dir", "/nonexistent-natter-dist"]);
    }
    if !flags.iter().any(|flag| ["--stun-port", "--no-stun"].contains(flag)) {
        args.extend(["--stun-port", "0"]);
    }
    let config = Config::parse_from(args.iter().chain(flags));
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let sockets = Sockets::bind(&config).await.unwrap();
    let addr = sockets.http.local_addr().unwrap();
    let stun = sockets.stun.as_ref().map(|socket| socket.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(natter_server::serve(config, sockets, async {
        let _ = stopped.await;
    }));
    TestServer { addr, stun, stop: Some(stop), task }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(PATIENCE, &mut self.task).await.unwrap().unwrap().unwrap();
    }
}

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One WebSocket client.
pub struct Client {
    pub ws: Socket,
}

impl Client {
    /// Connects to `/ws` and checks the greeting.
    pub async fn open(server: &TestServer) -> Client {
        Self::open_at(server, "/ws").await
    }

    /// Connects to `path` and checks the greeting comes first.
    pub async fn open_at(server: &TestServer, path: &str) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(server.url(path)).await.unwrap();
        let mut client = Client { ws };
        assert_eq!(client.recv().await, GREETING);
        client
    }

    /// Connects to `/ws` with the given `Host` header (none for `None`), as a browser that
    /// reached the server by that name would. The handshake is written by hand: a client
    /// library insists on a well-formed Host.
    pub async fn open_as(server: &TestServer, host: Option<&str>) -> Client {
        let mut tcp = TcpStream::connect(server.addr).await.unwrap();
        let host = host.map(|host| format!("Host: {host}\r\n")).unwrap_or_default();
        let request = format!(
            "GET /ws HTTP/1.1\r\n{host}Upgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        );
        tcp.write_all(request.as_bytes()).await.unwrap();
        // Byte by byte, so that no WebSocket frame is read along with the response head.
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(tcp.read_u8().await.unwrap());
        }
        assert!(head.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&head));
        let stream = MaybeTlsStream::Plain(tcp);
        let ws = WebSocketStream::from_raw_socket(stream, Role::Client, None).await;
        let mut client = Client { ws };
        assert_eq!(client.recv().await, GREETING);
        client
    }

    /// Connects and logs in under `name` in the lobby; returns the client and its login reply.
    pub async fn login(server: &TestServer, name: &str) -> (Client, Value) {
        let mut client = Self::open(server).await;
        client.send(&format!(r#"{{"type":"login","name":"{name}"}}"#)).await;
        let reply = client.recv_json().await;
        assert_eq!(reply["success"], true, "{reply}");
        (client, reply)
    }

    /// Same in `room`.
    pub async fn login_in(server: &TestServer, name: &str, room: &str) -> Client {
        let mut client = Self::open(server).await;
        client.send(&format!(r#"{{"type":"login","name":"{name}","room":"{room}"}}"#)).await;
        assert_eq!(client.recv_json().await["success"], true);
        client
    }

    pub async fn send(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    /// The next text frame.
    pub async fn recv(&mut self) -> String {
        match self.next().await {
            Some(Message::Text(text)) => text.to_string(),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    pub async fn recv_json(&mut self) -> Value {
        serde_json::from_str(&self.recv().await).unwrap()
    }

    /// The next error's code, checking the frame is an `error`.
    pub async fn recv_error(&mut self) -> (String, String) {
        let error = self.recv_json().await;
        assert_eq!(error["type"], "error", "{error}");
        (error["code"].as_str().unwrap().to_owned(), error["message"].as_str().unwrap().to_owned())
    }

    /// Checks the server answers a ping: it still serves this socket.
    pub async fn assert_alive(&mut self) {
        self.send(r#"{"type":"ping"}"#).await;
        assert_eq!(self.recv().await, r#"{"type":"pong"}"#);
    }

    /// Expects a close frame (or the end of the stream) and returns its code if any.
    pub async fn expect_close(&mut self) -> Option<u16> {
        self.expect_close_frame().await.map(|(code, _)| code)
    }

    /// Expects a close frame (or the end of the stream) and returns its code and reason.
    pub async fn expect_close_frame(&mut self) -> Option<(u16, String)> {
        loop {
            match self.next().await {
                Some(Message::Close(frame)) => {
                    return frame.map(|f: CloseFrame| (f.code.into(), f.reason.to_string()))
                }
                None => return None,
                Some(Message::Text(text)) => panic!("expected a close, got {text}"),
                Some(_) => {}
            }
        }
    }

    /// Expects the stream to end with no frame at all (after a close).
    pub async fn expect_end(&mut self) {
        if let Some(frame) = self.next().await {
            panic!("expected the end, got {frame:?}");
        }
    }

    /// Expects nothing for `ms` milliseconds.
    pub async fn expect_silence(&mut self, ms: u64) {
        if let Ok(frame) = tokio::time::timeout(Duration::from_millis(ms), self.next()).await {
            panic!("expected silence, got {frame:?}");
        }
    }

    /// The next data or close frame (pings are answered by tungstenite), `None` at the end.
    async fn next(&mut self) -> Option<Message> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.ws.next()).await.expect("timed out");
            match frame {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(message)) => return Some(message),
                Some(Err(tungstenite::Error::ConnectionClosed)) | None => return None,
                Some(Err(tungstenite::Error::Io(_) | tungstenite::Error::Protocol(_))) => {
                    return None
                }
                Some(Err(error)) => panic!("{error}"),
            }
        }
    }
}
