//! HTTP: health check and the built app's static files.

use crate::common::{start, Client, TestServer};
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A bare HTTP/1.1 GET with `Connection: close`, read to the end.
async fn get(server: &TestServer, path: &str, extra_headers: &str) -> Reply {
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra_headers}\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .map(|line| line.split_once(": ").unwrap())
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    Reply { status, headers, body: raw[split + 4..].to_vec() }
}

/// A throwaway app directory as the build leaves it, one per `test` (they run at once).
fn app_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("natter-static-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>natter</title>").unwrap();
    std::fs::write(dir.join("natter-0123456789abcdef.js"), "console.log('plain')").unwrap();
    std::fs::write(dir.join("natter-0123456789abcdef.js.br"), "BROTLI").unwrap();
    std::fs::write(dir.join("natter-0123456789abcdef.js.gz"), "GZIP").unwrap();
    std::fs::write(dir.join("robots.txt"), "User-agent: *").unwrap();
    dir
}

#[tokio::test]
async fn healthz_says_ok() {
    let server = start(&[]).await;
    let reply = get(&server, "/healthz", "").await;
    assert_eq!((reply.status, reply.body.as_slice()), (200, b"ok".as_slice()));
}

#[tokio::test]
async fn serves_the_app_with_fallback_compression_and_cache_headers() {
    let dir = app_dir("fallback");
    let server = start(&["--static-dir", dir.to_str().unwrap()]).await;

    let index = get(&server, "/", "").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.body, b"<!doctype html><title>natter</title>");
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert!(index.header("content-type").unwrap().starts_with("text/html"));

    // Client-side routes reload into the app.
    let route = get(&server, "/room/kitchen", "").await;
    assert_eq!((route.status, route.body.as_slice()), (200, index.body.as_slice()));
    assert_eq!(route.header("cache-control"), Some("no-cache"));

    let br = get(&server, "/natter-0123456789abcdef.js", "Accept-Encoding: gzip, br\r\n").await;
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.body, b"BROTLI");
    assert_eq!(br.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let gzip = get(&server, "/natter-0123456789abcdef.js", "Accept-Encoding: gzip\r\n").await;
    assert_eq!(
        (gzip.header("content-encoding"), gzip.body.as_slice()),
        (Some("gzip"), b"GZIP".as_slice())
    );
    let plain = get(&server, "/natter-0123456789abcdef.js", "").await;
    assert_eq!(
        (plain.header("content-encoding"), plain.body.as_slice()),
        (None, b"console.log('plain')".as_slice())
    );

    let robots = get(&server, "/robots.txt", "").await;
    assert_eq!((robots.status, robots.header("cache-control")), (200, Some("no-cache")));

    // The WebSocket still lives at `/` and `/ws` beside the files.
    Client::open_at(&server, "/").await.assert_alive().await;
    std::fs::remove_dir_all(dir).unwrap();
}

/// A build as `make build` leaves it, its compressed copies written beside each
/// file (by scripts/compress.mjs); the copies' bytes tell which one was sent.
fn compressed_app_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("natter-compressed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = [
        ("index.html", "<!doctype html><title>natter</title>"),
        ("natter-0123456789abcdef_bg.wasm", "\0asm plain"),
        ("main-0123456789abcdef.css", "body {}"),
        ("config.json", r#"{"server": "wss://signal.example/ws"}"#),
        ("sw.js", "const VERSION = '0123456789abcdef';"),
        ("manifest.webmanifest", r#"{"name": "natter"}"#),
    ];
    for (name, plain) in files {
        std::fs::write(dir.join(name), plain).unwrap();
        std::fs::write(dir.join(format!("{name}.br")), format!("br of {name}")).unwrap();
        std::fs::write(dir.join(format!("{name}.gz")), format!("gz of {name}")).unwrap();
    }
    dir
}

#[tokio::test]
async fn sends_each_file_in_the_encoding_asked_for_with_its_type_and_caching() {
    let dir = compressed_app_dir();
    let server = start(&["--static-dir", dir.to_str().unwrap()]).await;
    let immutable = Some("public, max-age=31536000, immutable");
    let cases = [
        (
            "/natter-0123456789abcdef_bg.wasm",
            "natter-0123456789abcdef_bg.wasm",
            "application/wasm",
            immutable,
        ),
        ("/main-0123456789abcdef.css", "main-0123456789abcdef.css", "text/css", immutable),
        ("/", "index.html", "text/html", Some("no-cache")),
        ("/index.html", "index.html", "text/html", Some("no-cache")),
        ("/some/route", "index.html", "text/html", Some("no-cache")),
        ("/config.json", "config.json", "application/json", Some("no-cache")),
        // A new worker is seen at once (browsers check for one on every load).
        ("/sw.js", "sw.js", "text/javascript", Some("no-cache")),
        (
            "/manifest.webmanifest",
            "manifest.webmanifest",
            "application/manifest+json",
            Some("no-cache"),
        ),
    ];
    for (path, file, mime, cache) in cases {
        let plain = std::fs::read(dir.join(file)).unwrap();
        for (accept, encoding, body) in [
            (
                "Accept-Encoding: gzip, deflate, br, zstd\r\n",
                Some("br"),
                format!("br of {file}").into_bytes(),
            ),
            ("Accept-Encoding: gzip\r\n", Some("gzip"), format!("gz of {file}").into_bytes()),
            ("Accept-Encoding: identity\r\n", None, plain.clone()),
            ("", None, plain.clone()),
        ] {
            let reply = get(&server, path, accept).await;
            let what = format!("{path} with {accept:?}");
            assert_eq!(reply.status, 200, "{what}");
            assert_eq!(reply.header("content-encoding"), encoding, "{what}");
            assert_eq!(reply.body, body, "{what}");
            assert!(reply.header("content-type").unwrap().starts_with(mime), "{what}");
            assert_eq!(reply.header("cache-control"), cache, "{what}");
            assert_eq!(reply.header("vary"), Some("accept-encoding"), "{what}");
        }
    }
    // A revalidation costs no body.
    let first = get(&server, "/", "Accept-Encoding: br\r\n").await;
    let modified = first.header("last-modified").expect("a validator");
    let again =
        get(&server, "/", &format!("Accept-Encoding: br\r\nIf-Modified-Since: {modified}\r\n"))
            .await;
    assert_eq!((again.status, again.body.len()), (304, 0));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn without_an_app_the_server_says_so_and_still_signals() {
    let server = start(&[]).await; // static dir does not exist
    let reply = get(&server, "/", "").await;
    assert_eq!(reply.status, 404);
    assert!(String::from_utf8(reply.body).unwrap().contains("index.html"));
    Client::open_at(&server, "/").await.assert_alive().await;
}

#[tokio::test]
async fn every_file_of_the_app_goes_out_with_the_security_headers() {
    let dir = app_dir("headers");
    std::fs::write(dir.join("natter-0123456789abcdef_bg.wasm"), "\0asm").unwrap();
    std::fs::write(dir.join("sw.js"), "self.addEventListener('fetch', () => {})").unwrap();
    let server = start(&["--static-dir", dir.to_str().unwrap()]).await;
    for path in ["/", "/natter-0123456789abcdef_bg.wasm", "/natter-0123456789abcdef.js", "/sw.js"] {
        let reply = get(&server, path, "").await;
        assert_eq!(reply.status, 200, "{path}");
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{path}: {policy}");
        // Sockets to this origin only: no config.json names another server.
        assert!(policy.contains("connect-src 'self';"), "{path}: {policy}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert!(reply.header("permissions-policy").is_some_and(|p| p.contains("camera=(self)")));
        assert_eq!(reply.header("cross-origin-opener-policy"), Some("same-origin"), "{path}");
        // Plain HTTP from a client: no Strict-Transport-Security.
        assert_eq!(reply.header("strict-transport-security"), None, "{path}");
    }
}

#[tokio::test]
async fn behind_a_trusted_tls_proxy_browsers_are_told_to_stay_on_https() {
    let dir = app_dir("hsts");
    std::fs::write(dir.join("config.json"), r#"{"server": "wss://signal.example.org/ws"}"#)
        .unwrap();
    let trusted =
        start(&["--static-dir", dir.to_str().unwrap(), "--trusted-proxy", "127.0.0.1"]).await;
    let proxied = "X-Forwarded-Proto: https\r\nX-Forwarded-For: 198.51.100.7\r\n";
    let reply = get(&trusted, "/", proxied).await;
    assert_eq!(reply.header("strict-transport-security"), Some("max-age=63072000"));
    let policy = reply.header("content-security-policy").unwrap();
    assert!(policy.contains("connect-src 'self' wss://signal.example.org;"), "{policy}");
    // The same claim from a client nobody trusts is not believed.
    let direct = start(&["--static-dir", dir.to_str().unwrap()]).await;
    assert_eq!(get(&direct, "/", proxied).await.header("strict-transport-security"), None);
}
