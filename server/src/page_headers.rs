//! The security headers the app's files go out with: the same rules as `deploy/_headers`
//! and `deploy/nginx.conf` give a static host (a test below keeps them the same), with a
//! Content-Security-Policy that names only the sockets this app opens.

use axum::http::header::{HeaderMap, HeaderName, HeaderValue};
use std::path::Path;

/// The policy, with the sources of `connect-src` left to fill in: no inline script or
/// style, wasm compiled from our own files only, images from the app's files, its
/// stylesheet (data:) and files received (blob:).
const POLICY: [&str; 2] = [
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' blob: data:; media-src 'self' blob:; connect-src ",
    "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
];

/// The other headers, the same for every file.
const FIXED: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    (
        "permissions-policy",
        "camera=(self), microphone=(self), display-capture=(self), geolocation=()",
    ),
    ("cross-origin-opener-policy", "same-origin"),
];

/// Two years, as browsers' preload lists ask; sent only over HTTPS, as the standard says.
const HSTS: &str = "max-age=63072000";

/// What every file of the app gets.
#[derive(Debug, Clone)]
pub struct PageHeaders {
    policy: HeaderValue,
}

impl PageHeaders {
    /// The headers for the app in `static_dir`: its sockets go to this origin (`/ws`) and
    /// to the signaling server its `config.json` names, if any (read once, now).
    pub fn new(static_dir: &Path) -> Self {
        let configured = std::fs::read_to_string(static_dir.join("config.json")).ok();
        let server = configured.as_deref().and_then(configured_server);
        let connect = match server.as_deref().and_then(socket_sources) {
            Some(sources) => format!("'self' {sources}"),
            None => "'self'".to_owned(),
        };
        let policy = HeaderValue::from_str(&policy(&connect)).expect("a policy of ASCII text");
        Self { policy }
    }

    /// Adds the headers to a response; `https` when the request came over TLS (through a
    /// trusted proxy that says so).
    pub fn apply(&self, headers: &mut HeaderMap, https: bool) {
        headers.insert(HeaderName::from_static("content-security-policy"), self.policy.clone());
        for (name, value) in FIXED {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        if https {
            let hsts = HeaderName::from_static("strict-transport-security");
            headers.insert(hsts, HeaderValue::from_static(HSTS));
        }
    }
}

fn policy(connect: &str) -> String {
    [POLICY[0], connect, POLICY[1]].concat()
}

/// The `server` of a `config.json` (`{"server": "wss://signal.example.org/ws"}`).
fn configured_server(config: &str) -> Option<String> {
    natter_protocol::json::string_field(config, "server")
}

/// The `connect-src` sources for a signaling server written as the app accepts it
/// (`src/config.rs`): `ws(s)://` or `http(s)://` URLs, or a bare `host[:port]`, which the
/// app reaches with `wss:` from an `https:` page and `ws:` otherwise. `None` for text that
/// could smuggle another directive into the policy.
fn socket_sources(server: &str) -> Option<String> {
    let (scheme, rest) = match server.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, server),
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let safe = |c: char| c.is_ascii_alphanumeric() || "-.:[]".contains(c);
    if authority.is_empty() || !authority.chars().all(safe) {
        return None;
    }
    let schemes: &[&str] = match scheme.as_deref() {
        Some("ws" | "http") => &["ws"],
        Some("wss" | "https") => &["wss"],
        Some(_) => return None,
        None => &["ws", "wss"],
    };
    let sources: Vec<String> = schemes.iter().map(|s| format!("{s}://{authority}")).collect();
    Some(sources.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A static host's `connect-src`: this site and any secure socket (the server named
    /// by its config.json, which the deploy files ask operators to write in).
    const STATIC_HOST_CONNECT: &str = "'self' wss:";

    /// The headers of `deploy/_headers`'s `/*` block, as (name, value), lowercased names.
    fn netlify() -> Vec<(String, String)> {
        let text = include_str!("../../deploy/_headers");
        let block = text.split("\n/*\n").nth(1).expect("a /* block");
        block
            .lines()
            .map(str::trim)
            .take_while(|line| !line.is_empty())
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once(": "))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
            .collect()
    }

    /// The `add_header` lines of `deploy/nginx.conf`'s `location /`, unquoted.
    fn nginx() -> Vec<(String, String)> {
        let text = include_str!("../../deploy/nginx.conf");
        let block = text.split("location / {").nth(1).expect("a location / block");
        let block = block.split("location ~").next().unwrap_or(block);
        block
            .lines()
            .filter_map(|line| line.trim().strip_prefix("add_header "))
            .filter_map(|line| line.strip_suffix(" always;"))
            .filter_map(|line| line.split_once(' '))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim_matches('"').to_owned()))
            .collect()
    }

    fn ours(connect: &str) -> Vec<(String, String)> {
        let mut all = vec![("content-security-policy".to_owned(), policy(connect))];
        all.extend(FIXED.iter().map(|(name, value)| (name.to_string(), value.to_string())));
        all
    }

    #[test]
    fn the_deploy_files_say_what_the_server_sends() {
        let ours = ours(STATIC_HOST_CONNECT);
        let security = |headers: Vec<(String, String)>| {
            let names: Vec<&str> = ours.iter().map(|(name, _)| name.as_str()).collect();
            headers
                .into_iter()
                .filter(|(name, _)| names.contains(&name.as_str()))
                .collect::<Vec<_>>()
        };
        assert_eq!(security(netlify()), ours, "deploy/_headers");
        assert_eq!(security(nginx()), ours, "deploy/nginx.conf");
    }

    #[test]
    fn sockets_go_to_this_origin_and_the_configured_server_only() {
        let dir = std::env::temp_dir().join(format!("natter-headers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let connect_of = |headers: &PageHeaders| {
            let policy = headers.policy.to_str().unwrap().to_owned();
            policy.split("; ").find_map(|d| d.strip_prefix("connect-src ")).unwrap().to_owned()
        };
        assert_eq!(connect_of(&PageHeaders::new(&dir)), "'self'");
        std::fs::write(dir.join("config.json"), r#"{"server": "wss://signal.example.org/ws"}"#)
            .unwrap();
        assert_eq!(connect_of(&PageHeaders::new(&dir)), "'self' wss://signal.example.org");
        std::fs::write(dir.join("config.json"), r#"{"server": "signal.example.org:9000"}"#)
            .unwrap();
        assert_eq!(
            connect_of(&PageHeaders::new(&dir)),
            "'self' ws://signal.example.org:9000 wss://signal.example.org:9000"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_server_that_is_not_a_plain_address_adds_nothing() {
        assert_eq!(socket_sources("https://[::1]:8443/ws").as_deref(), Some("wss://[::1]:8443"));
        assert_eq!(socket_sources("ws://a.example; script-src *"), None);
        assert_eq!(socket_sources("ftp://a.example"), None);
        assert_eq!(socket_sources(""), None);
        assert_eq!(configured_server("not json"), None);
    }

    #[test]
    fn strict_transport_security_only_over_https() {
        let headers = PageHeaders::new(Path::new("/nonexistent"));
        let mut plain = HeaderMap::new();
        headers.apply(&mut plain, false);
        assert!(plain.get("strict-transport-security").is_none());
        assert_eq!(plain.len(), 5);
        let mut secure = HeaderMap::new();
        headers.apply(&mut secure, true);
        assert_eq!(secure["strict-transport-security"], HSTS);
    }
}
