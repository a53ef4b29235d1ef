//! Base-protocol client plumbing shared by the modes.

use crate::proc_stats;
use futures_util::{SinkExt, StreamExt};
use natter_protocol::{ClientMessage, Payload, ServerMessage, User};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Where the server (or its instances) is, and its processes for /proc figures.
pub struct Target {
    pub urls: Vec<String>,
    pub server_pids: Vec<u32>,
}

impl Target {
    /// The URL user `i` connects to: the instances in turn.
    pub fn url(&self, i: usize) -> &str {
        &self.urls[i % self.urls.len()]
    }

    /// The servers' total resident memory, if there are pids to read.
    pub fn rss_bytes(&self) -> Option<u64> {
        self.sum(proc_stats::rss_bytes)
    }

    /// The servers' total CPU time, if there are pids to read.
    pub fn cpu_time(&self) -> Option<Duration> {
        self.sum(proc_stats::cpu_time)
    }

    /// The servers' total CPU time in user space and in the kernel.
    pub fn cpu_split(&self) -> Option<proc_stats::CpuSplit> {
        self.sum(proc_stats::cpu_split)
    }

    fn sum<T: std::iter::Sum>(&self, read: impl Fn(u32) -> Option<T>) -> Option<T> {
        let each: Option<Vec<T>> = self.server_pids.iter().map(|pid| read(*pid)).collect();
        each.filter(|each| !each.is_empty()).map(|each| each.into_iter().sum())
    }

    /// Each server's CPU time, to show how the total splits.
    pub fn cpu_times(&self) -> Vec<(u32, Option<Duration>)> {
        self.server_pids.iter().map(|pid| (*pid, proc_stats::cpu_time(*pid))).collect()
    }

    /// Each server's resident memory.
    pub fn rss_each(&self) -> Vec<(u32, Option<u64>)> {
        self.server_pids.iter().map(|pid| (*pid, proc_stats::rss_bytes(*pid))).collect()
    }
}

/// Refuses any URL that does not name a loopback host: this tool only loads this machine.
pub fn check_loopback(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("ws://").ok_or("the URL must start with ws://")?;
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(host, _)| host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback =
        host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(format!("{host} is not a loopback address"))
    }
}

/// Frame kinds recognised by their opening bytes, so hot paths never parse JSON. The
/// prefixes come from the protocol crate, and match the reference server too (it writes
/// `type` first).
pub struct Kinds {
    login: String,
    offer: String,
    update_users: String,
}

impl Kinds {
    pub fn new() -> Self {
        let user = || User { id: String::new(), user_name: String::new() };
        let offer = Payload::new("0").expect("a number is JSON");
        let offer = ServerMessage::Offer { offer, name: String::new() };
        Self {
            login: type_prefix(&ServerMessage::name_taken()),
            offer: type_prefix(&offer),
            update_users: type_prefix(&ServerMessage::UpdateUsers { user: user() }),
        }
    }

    pub fn is_login(&self, frame: &str) -> bool {
        frame.starts_with(&self.login)
    }

    pub fn is_offer(&self, frame: &str) -> bool {
        frame.starts_with(&self.offer)
    }

    pub fn is_update_users(&self, frame: &str) -> bool {
        frame.starts_with(&self.update_users)
    }
}

/// `{"type":"<kind>"` of a message.
fn type_prefix(message: &ServerMessage) -> String {
    let json = message.to_json();
    json[..json.find(',').unwrap_or(json.len())].to_owned()
}

/// Opens a socket with small buffers, so thousands fit in the load generator too.
pub async fn connect(url: &str) -> Socket {
    let config = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
    let (socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .unwrap_or_else(|error| panic!("connecting to {url}: {error}"));
    socket
}

/// Connects and logs in; `room` is natter's addition (a reference server ignores it).
pub async fn login(url: &str, name: &str, room: Option<String>, kinds: &Kinds) -> Socket {
    log_in(connect(url).await, name, room, kinds).await
}

/// Logs in `count` pairs: `a<i>` (the sender, on the first URL) and `b<i>` (the receiver,
/// on the second if there are several), each pair alone in the room `pair-<i>`, 64 logins
/// under way at once.
pub async fn login_pairs(
    target: &Target,
    count: usize,
    kinds: &Kinds,
) -> Vec<(usize, Socket, Socket)> {
    let pairs = futures_util::stream::iter(0..count)
        .map(|i| async move {
            let room = Some(format!("pair-{i}"));
            let sender = login(target.url(0), &format!("a{i}"), room.clone(), kinds).await;
            let receiver = login(target.url(1), &format!("b{i}"), room, kinds).await;
            (i, sender, receiver)
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    println!("{count} pairs logged in");
    pairs
}

/// Logs in on an open socket and returns once the login succeeded; frames before the
/// reply (the greeting) are skipped.
pub async fn log_in(mut socket: Socket, name: &str, room: Option<String>, kinds: &Kinds) -> Socket {
    let login = ClientMessage::Login { name: name.to_owned(), room, resume: None };
    socket.send(Message::text(login.to_json())).await.expect("sending a login");
    while let Some(frame) = socket.next().await {
        if let Message::Text(text) = frame.expect("reading the login reply") {
            if kinds.is_login(&text) {
                match ServerMessage::parse(&text) {
                    Some(ServerMessage::Login { success: true, .. }) => return socket,
                    _ => panic!("login {name} refused: {text}"),
                }
            }
        }
    }
    panic!("the server closed during login of {name}");
}

/// An offer frame for `to` of exactly `size` bytes, the SDP carrying `stamp` after `o=- `.
pub fn offer_frame(to: &str, stamp: u64, size: usize) -> String {
    let sdp_head = format!("v=0\r\no={stamp} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    let frame = |sdp: &str| {
        let offer = serde_json::json!({"type": "offer", "sdp": sdp}).to_string();
        let offer = Payload::new(&offer).expect("serde_json writes JSON");
        ClientMessage::Offer { name: to.to_owned(), offer }.to_json()
    };
    let bare = frame(&sdp_head).len();
    let padding = "a".repeat(size.saturating_sub(bare));
    frame(&format!("{sdp_head}{padding}"))
}

/// The stamp [`offer_frame`] put into a relayed offer.
pub fn offer_stamp(frame: &str) -> Option<u64> {
    let start = frame.find("o=")? + 2;
    let digits = frame[start..].bytes().take_while(u8::is_ascii_digit).count();
    frame[start..start + digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_have_the_asked_size_and_carry_their_stamp() {
        let frame = offer_frame("b17", 123_456_789, 579);
        assert_eq!(frame.len(), 579);
        assert!(ClientMessage::parse(&frame).is_ok());
        let relayed = ServerMessage::Offer {
            offer: match ClientMessage::parse(&frame).unwrap() {
                ClientMessage::Offer { offer, .. } => offer,
                other => panic!("{other:?}"),
            },
            name: "a17".into(),
        };
        let relayed = relayed.to_json();
        assert!(Kinds::new().is_offer(&relayed));
        assert_eq!(offer_stamp(&relayed), Some(123_456_789));
    }

    #[test]
    fn only_loopback_is_loaded() {
        assert!(check_loopback("ws://127.0.0.1:9000/ws").is_ok());
        assert!(check_loopback("ws://localhost:9000").is_ok());
        assert!(check_loopback("ws://[::1]:9000/").is_ok());
        assert!(check_loopback("ws://10.0.0.1:9000/ws").is_err());
        assert!(check_loopback("wss://127.0.0.1/").is_err());
    }
}
