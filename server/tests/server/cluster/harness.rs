//! Real parts for the cluster tests: a redis-server of their own on a free loopback port
//! (no persistence), natter-server processes pointed at it, and clients that keep their
//! user list from what the server tells them, as the app does.

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::common::{Socket, GREETING};

/// How long a process may take to start, or a frame to come.
const PATIENCE: Duration = Duration::from_secs(10);

/// A redis-server of the test's own.
pub struct Redis {
    child: Child,
    pub port: u16,
}

/// A Redis as managed services run it: over TLS with a certificate of the test's own CA,
/// and with an ACL user (the default user off).
pub struct Managed {
    dir: std::path::PathBuf,
    /// The rules of the user `natter` (password `secret`), after its keys and channels.
    pub commands: &'static str,
}

/// What natter runs on Redis, as an ACL user's rules (docs/deploy.md says the same).
pub const NATTER_COMMANDS: &str = "-@all +ping +exists +get +set +del +incr +sadd +srem +smembers \
    +hget +hset +hsetnx +hdel +hvals +hgetall +hlen +hexists +publish +subscribe +unsubscribe \
    +eval +evalsha +script|load";

impl Managed {
    /// A CA and a certificate for 127.0.0.1 signed by it (openssl, in a fresh folder).
    pub fn new(commands: &'static str) -> Managed {
        let dir = std::env::temp_dir().join(format!("natter-redis-tls-{}", free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        let openssl = |args: &[&str]| {
            let status = std::process::Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .stderr(Stdio::null())
                .status()
                .expect("openssl is needed for the TLS tests: scripts/setup.sh test");
            assert!(status.success(), "openssl {args:?}");
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=natter test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "redis.key",
            "-out",
            "redis.csr",
        ]);
        std::fs::write(dir.join("san"), "subjectAltName=IP:127.0.0.1\n").unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "redis.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "san",
            "-out",
            "redis.crt",
        ]);
        Managed { dir, commands }
    }

    /// The CA's certificate, for --redis-ca-file.
    pub fn ca_file(&self) -> String {
        self.dir.join("ca.crt").to_string_lossy().into_owned()
    }

    fn args(&self, port: u16) -> Vec<String> {
        let file = |name: &str| self.dir.join(name).to_string_lossy().into_owned();
        let mut args: Vec<String> = ["--port", "0", "--tls-port", &port.to_string()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend([
            "--tls-cert-file".into(),
            file("redis.crt"),
            "--tls-key-file".into(),
            file("redis.key"),
        ]);
        args.extend([
            "--tls-ca-cert-file".into(),
            file("ca.crt"),
            "--tls-auth-clients".into(),
            "no".into(),
        ]);
        args.extend(["--user", "default", "off"].map(String::from));
        args.extend(
            ["--user", "natter", "on", ">secret", "~natter:*", "&natter:*"].map(String::from),
        );
        args.extend(self.commands.split_whitespace().map(String::from));
        args
    }

    /// Whether a Redis on `port` answers a PING over TLS as the user natter.
    async fn answers(&self, port: u16) -> bool {
        let output = Command::new("redis-cli")
            .args(["--tls", "--cacert", &self.ca_file(), "-p", &port.to_string()])
            .args(["--user", "natter", "--pass", "secret", "--no-auth-warning", "ping"])
            .output()
            .await
            .expect("redis-cli comes with redis-server");
        output.stdout.starts_with(b"PONG")
    }
}

impl Drop for Managed {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

impl Redis {
    pub async fn start() -> Redis {
        Self::start_on(free_port()).await
    }

    /// Starts one over TLS only, with `managed`'s certificate and ACL user.
    pub async fn start_managed(managed: &Managed) -> Redis {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(managed.args(port))
            .args([
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ])
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("redis-server is needed for the cluster tests: scripts/setup.sh test");
        let deadline = Instant::now() + PATIENCE;
        while !managed.answers(port).await {
            assert!(Instant::now() < deadline, "redis-server did not start over TLS on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Redis { child, port }
    }

    /// The URL of this Redis for the user natter, over TLS.
    pub fn managed_url(&self, password: &str) -> String {
        format!("rediss://natter:{password}@127.0.0.1:{}/", self.port)
    }

    /// Starts on `port`, as after a restart: empty, persistence off.
    pub async fn start_on(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", "no", "--loglevel", "warning"])
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("redis-server is needed for the cluster tests: scripts/setup.sh test");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(mut tcp) = TcpStream::connect(("127.0.0.1", port)).await {
                tcp.write_all(b"PING\r\n").await.unwrap();
                let mut reply = [0; 7];
                if tcp.read_exact(&mut reply).await.is_ok() && &reply == b"+PONG\r\n" {
                    return Redis { child, port };
                }
            }
            assert!(Instant::now() < deadline, "redis-server did not start on {port}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn url(&self) -> String {
        url(self.port)
    }

    /// Stops (SIGSTOP) or resumes (SIGCONT) it: a Redis that hangs, or a network that
    /// drops everything without a reset, and that comes back with its data.
    pub async fn signal(&self, signal: &str) {
        let pid = self.child.id().unwrap().to_string();
        let status = Command::new("kill").args([signal, &pid]).status().await.unwrap();
        assert!(status.success());
    }

    /// Kills it outright: everything it held is lost.
    pub async fn stop(mut self) -> u16 {
        self.child.kill().await.unwrap();
        self.port
    }
}

/// The URL of a Redis on `port` of this machine.
pub fn url(port: u16) -> String {
    format!("redis://127.0.0.1:{port}/")
}

/// A free TCP port on the loopback address (free when asked).
pub fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// A natter-server process with `--redis-url`.
pub struct Instance {
    child: Child,
    pub addr: SocketAddr,
    /// How many times it said it connected to Redis.
    connections: watch::Receiver<usize>,
}

impl Instance {
    /// Starts one and waits until it serves and has connected to Redis.
    pub async fn start(redis: &Redis) -> Instance {
        let mut instance = Self::serving(&redis.url()).await;
        instance.connected(1).await;
        instance
    }

    /// Starts one for Redis at `url` and waits until it serves.
    pub async fn serving(url: &str) -> Instance {
        Self::serving_with(url, &[]).await
    }

    /// Starts one for Redis at `url`, with `more` flags, and waits until it serves.
    pub async fn serving_with(url: &str, more: &[&str]) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_natter-server"))
            .args(["--bind", "127.0.0.1", "--port", "0", "--no-stun"])
            .args(["--static-dir", "/nonexistent-natter-dist", "--redis-url", url])
            .args(more)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (said, connections) = watch::channel(0);
        let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let mut addr_tx = Some(addr_tx);
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.strip_prefix("natter: serving http://") {
                    let addr = rest.split('/').next().unwrap().parse::<SocketAddr>().unwrap();
                    addr_tx.take().map(|tx| tx.send(addr));
                } else if line.contains("connected to Redis") {
                    said.send_modify(|count| *count += 1);
                }
            }
        });
        let addr = tokio::time::timeout(PATIENCE, addr_rx).await.unwrap().unwrap();
        Instance { child, addr, connections }
    }

    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// Waits until it has connected to Redis `times` times in all.
    pub async fn connected(&mut self, times: usize) {
        let connected = self.connections.wait_for(|count| *count >= times);
        tokio::time::timeout(PATIENCE, connected).await.expect("connected to Redis").unwrap();
    }

    /// kill -9.
    pub async fn kill(&mut self) {
        self.child.kill().await.unwrap();
    }

    /// SIGTERM, then waits for it to exit; its exit status.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().unwrap().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
        tokio::time::timeout(PATIENCE, self.child.wait()).await.unwrap().unwrap()
    }
}

/// What a client has heard, kept by a task that reads its socket.
#[derive(Debug, Default)]
pub struct Heard {
    /// The user list as the client would show it.
    pub list: BTreeSet<String>,
    /// Every other frame, in order.
    pub frames: Vec<Value>,
    /// Whether the socket ended, and with which close code.
    pub closed: Option<Option<u16>>,
    /// List changes that made no sense: a join of someone listed, a leave of someone not.
    pub anomalies: Vec<String>,
}

/// A logged-in client whose socket is read all along.
pub struct Peer {
    pub name: String,
    sink: SplitSink<Socket, Message>,
    pub heard: Arc<Mutex<Heard>>,
}

/// Opens a socket to `instance`, sends a login, and returns the reply with the socket.
pub async fn try_login(instance: &Instance, name: &str, room: Option<&str>) -> (Socket, Value) {
    let (mut ws, _) = tokio_tungstenite::connect_async(instance.url()).await.unwrap();
    assert_eq!(next_text(&mut ws).await, GREETING);
    let mut login = json!({"type": "login", "name": name});
    if let Some(room) = room {
        login["room"] = room.into();
    }
    ws.send(Message::text(login.to_string())).await.unwrap();
    let reply: Value = serde_json::from_str(&next_text(&mut ws).await).unwrap();
    assert_eq!(reply["type"], "login", "{reply}");
    (ws, reply)
}

async fn next_text(ws: &mut Socket) -> String {
    loop {
        match tokio::time::timeout(PATIENCE, ws.next()).await.expect("a frame in time") {
            Some(Ok(Message::Text(text))) => return text.to_string(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

impl Peer {
    /// Logs in (which must succeed) and starts reading.
    pub async fn login(instance: &Instance, name: &str, room: Option<&str>) -> Peer {
        let (ws, reply) = try_login(instance, name, room).await;
        assert_eq!(reply["success"], true, "{name}: {reply}");
        let list = reply["users"].as_array().unwrap().iter();
        let list = list.map(|user| user["userName"].as_str().unwrap().to_owned()).collect();
        let heard = Arc::new(Mutex::new(Heard { list, ..Heard::default() }));
        let (sink, stream) = ws.split();
        tokio::spawn(listen(stream, heard.clone()));
        Peer { name: name.to_owned(), sink, heard }
    }

    pub async fn send(&mut self, frame: Value) {
        self.sink.send(Message::text(frame.to_string())).await.unwrap();
    }

    /// Sends an offer with `sdp` to `to`.
    pub async fn offer(&mut self, to: &str, sdp: &str) {
        self.send(json!({"type": "offer", "name": to, "offer": {"type": "offer", "sdp": sdp}}))
            .await;
    }

    pub fn list(&self) -> BTreeSet<String> {
        self.heard.lock().unwrap().list.clone()
    }

    /// Frames heard so far (besides list changes) that `pick` selects.
    pub fn frames(&self, pick: impl Fn(&Value) -> bool) -> Vec<Value> {
        self.heard.lock().unwrap().frames.iter().filter(|f| pick(f)).cloned().collect()
    }

    /// Waits until `check` holds for what it heard; panics after `within`.
    pub async fn until(&self, within: Duration, what: &str, check: impl Fn(&Heard) -> bool) {
        let deadline = Instant::now() + within;
        while !check(&self.heard.lock().unwrap()) {
            let heard = self.heard.lock().unwrap();
            assert!(
                Instant::now() < deadline,
                "{}: {what} within {within:?}; heard {heard:?}",
                self.name
            );
            drop(heard);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits for a frame that `pick` selects and returns it.
    pub async fn expect(&self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        self.until(PATIENCE, what, |heard| heard.frames.iter().any(&pick)).await;
        self.frames(pick).remove(0)
    }

    /// Checks every list change it heard made sense.
    pub fn assert_consistent(&self) {
        let heard = self.heard.lock().unwrap();
        assert!(heard.anomalies.is_empty(), "{}: {:?}", self.name, heard.anomalies);
    }

    /// Closes the socket.
    pub async fn close(mut self) {
        let _ = self.sink.close().await;
    }
}

async fn listen(mut stream: SplitStream<Socket>, heard: Arc<Mutex<Heard>>) {
    loop {
        let frame = stream.next().await;
        let mut heard = heard.lock().unwrap();
        match frame {
            Some(Ok(Message::Text(text))) => {
                let frame: Value = serde_json::from_str(&text).unwrap();
                let name = frame["user"]["userName"].as_str().map(str::to_owned);
                match (frame["type"].as_str(), name) {
                    (Some("updateUsers"), Some(name)) => {
                        if !heard.list.insert(name) {
                            heard.anomalies.push(text.to_string());
                        }
                    }
                    (Some("removeUser"), Some(name)) => {
                        if !heard.list.remove(&name) {
                            heard.anomalies.push(text.to_string());
                        }
                    }
                    _ => heard.frames.push(frame),
                }
            }
            Some(Ok(Message::Close(close))) => {
                heard.closed = Some(close.map(|c| c.code.into()));
                return;
            }
            Some(Ok(_)) => {}
            Some(Err(_)) | None => {
                heard.closed.get_or_insert(None);
                return;
            }
        }
    }
}

/// The set of `names`.
pub fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| name.to_string()).collect()
}
