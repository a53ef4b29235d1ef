//! The ICE servers a client is handed: STUN (the built-in server, or the configured URLs)
//! and TURN with coturn REST credentials.

use crate::config::Config;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use natter_protocol::IceServer;
use sha1::Sha1;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{SystemTime, UNIX_EPOCH};

/// What one client gets now: the list, and how long its TURN credentials last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The `RTCIceServer` dictionaries.
    pub servers: Vec<IceServer>,
    /// Seconds the TURN credentials stay valid; `None` when there are none.
    pub ttl: Option<u64>,
}

/// Where clients are sent for STUN.
#[derive(Debug, Clone)]
enum Stun {
    /// `--stun-urls`, as given.
    Urls(Vec<String>),
    /// The built-in server on this UDP port, at the host the client reached us by; else at
    /// `fallback`, the bind address when it is a specific one.
    BuiltIn { port: u16, fallback: Option<String> },
    /// Neither.
    Off,
}

/// The ICE settings of the configuration, ready to hand out.
#[derive(Debug, Clone)]
pub struct IceServers {
    stun: Stun,
    turn_urls: Vec<String>,
    turn_secret: Option<String>,
    turn_ttl: u64,
}

impl IceServers {
    /// Takes the STUN/TURN settings of the configuration and the built-in STUN server's
    /// address, if it runs.
    pub fn new(config: &Config, built_in_stun: Option<SocketAddr>) -> Self {
        let stun = match built_in_stun {
            _ if !config.stun_urls.is_empty() => Stun::Urls(config.stun_urls.clone()),
            Some(address) => Stun::BuiltIn {
                port: address.port(),
                fallback: (!address.ip().is_unspecified()).then(|| ip_host(address.ip())),
            },
            None => Stun::Off,
        };
        Self {
            stun,
            turn_urls: config.turn_urls.clone(),
            turn_secret: config.turn_secret.clone(),
            turn_ttl: config.turn_ttl,
        }
    }

    /// The list for the user `name`, who reached this server as `host` (from its `Host`
    /// header, see [`url_host`]); credentials are minted now. Empty when nothing is set up.
    pub fn grant(&self, name: &str, host: Option<&str>) -> Grant {
        let mut servers = Vec::with_capacity(2);
        let stun_urls = match &self.stun {
            Stun::Urls(urls) => urls.clone(),
            Stun::BuiltIn { port, fallback } => match host.or(fallback.as_deref()) {
                Some(host) => vec![format!("stun:{host}:{port}")],
                None => vec![],
            },
            Stun::Off => vec![],
        };
        if !stun_urls.is_empty() {
            servers.push(IceServer { urls: stun_urls, username: None, credential: None });
        }
        let mut ttl = None;
        if !self.turn_urls.is_empty() {
            let (username, credential) = match &self.turn_secret {
                Some(secret) => {
                    let now =
                        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
                    let username = format!("{}:{name}", now + self.turn_ttl);
                    let credential = credential(secret, &username);
                    ttl = Some(self.turn_ttl);
                    (Some(username), Some(credential))
                }
                None => (None, None),
            };
            servers.push(IceServer { urls: self.turn_urls.clone(), username, credential });
        }
        Grant { servers, ttl }
    }
}

/// The host of an HTTP `Host` header, port dropped, if a URL can carry it as it is: a DNS
/// name, an IPv4 address or a bracketed IPv6 address (brackets kept). Anything else, and
/// the unspecified addresses, give `None`.
pub fn url_host(header: &str) -> Option<&str> {
    let (host, port) = match header.strip_prefix('[') {
        Some(rest) => {
            let end = rest.find(']')?;
            rest[..end].parse::<Ipv6Addr>().ok().filter(|ip| !ip.is_unspecified())?;
            header.split_at(end + 2)
        }
        None => {
            let end = header.find(':').unwrap_or(header.len());
            let name = &header[..end];
            let unspecified = name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_unspecified());
            if name.is_empty() || !name.bytes().all(is_name_byte) || unspecified {
                return None;
            }
            header.split_at(end)
        }
    };
    // What follows the host is nothing, or `:` and a port (RFC 3986 lets it be empty).
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok.then_some(host)
}

/// Letters, digits, dots and hyphens: what DNS names and IPv4 addresses are made of.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'-'
}

/// How an IP address is written as a URL's host.
fn ip_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// coturn's REST-API password for `username`: `base64(HMAC-SHA1(secret, username))`.
pub fn credential(secret: &str, username: &str) -> String {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(username.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use proptest::prelude::*;

    fn ice(flags: &[&str], built_in: Option<&str>) -> IceServers {
        let config = Config::parse_from(["natter-server"].iter().chain(flags));
        IceServers::new(&config, built_in.map(|a| a.parse().unwrap()))
    }

    fn stun_urls(grant: &Grant) -> Vec<String> {
        grant.servers.first().map(|s| s.urls.clone()).unwrap_or_default()
    }

    #[test]
    fn the_built_in_stun_is_named_by_the_host_the_client_used() {
        let ice = ice(&[], Some("0.0.0.0:9000"));
        let grant = ice.grant("alice", Some("203.0.113.1"));
        assert_eq!(stun_urls(&grant), ["stun:203.0.113.1:9000"]);
        assert_eq!(grant.ttl, None);
        assert_eq!(
            stun_urls(&ice.grant("alice", Some("[2001:db8::1]"))),
            ["stun:[2001:db8::1]:9000"]
        );
        // Without a usable host, an unspecified bind address names nothing.
        assert_eq!(ice.grant("alice", None), Grant { servers: vec![], ttl: None });
    }

    #[test]
    fn a_specific_bind_address_is_the_fallback() {
        let v4 = ice(&[], Some("192.0.2.7:3478"));
        assert_eq!(stun_urls(&v4.grant("alice", None)), ["stun:192.0.2.7:3478"]);
        let v6 = ice(&[], Some("[2001:db8::7]:3478"));
        assert_eq!(stun_urls(&v6.grant("alice", None)), ["stun:[2001:db8::7]:3478"]);
    }

    #[test]
    fn configured_urls_replace_the_built_in_stun() {
        let ice = ice(&["--stun-urls", "stun:a.example:3478,stun:b.example"], Some("0.0.0.0:9000"));
        let urls = stun_urls(&ice.grant("alice", Some("natter.example")));
        assert_eq!(urls, ["stun:a.example:3478", "stun:b.example"]);
        let off = IceServers::new(&Config::parse_from(["natter-server"]), None);
        assert_eq!(off.grant("alice", Some("natter.example")).servers, []);
    }

    #[test]
    fn turn_credentials_come_with_their_ttl() {
        let flags = ["--turn-urls", "turn:t.example", "--turn-secret", "s", "--turn-ttl", "600"];
        let grant = ice(&flags, None).grant("alice", None);
        assert_eq!(grant.ttl, Some(600));
        assert!(grant.servers[0].username.as_deref().is_some_and(|u| u.ends_with(":alice")));
        // Without a secret there are no credentials, so nothing expires.
        let open = ice(&["--turn-urls", "turn:t.example"], None).grant("alice", None);
        assert_eq!((open.servers.len(), open.ttl), (1, None));
    }

    #[test]
    fn hosts_are_taken_from_host_headers() {
        for (header, host) in [
            ("natter.example", "natter.example"),
            ("natter.example:8443", "natter.example"),
            ("Natter-1.example.:80", "Natter-1.example."),
            ("203.0.113.1:9000", "203.0.113.1"),
            ("[2001:db8::1]:9000", "[2001:db8::1]"),
            ("[::1]", "[::1]"),
            ("localhost:", "localhost"),
        ] {
            assert_eq!(url_host(header), Some(host), "{header}");
        }
        for header in [
            "",
            ":9000",
            "0.0.0.0:9000",
            "[::]:9000",
            "::1",
            "2001:db8::1",
            "[2001:db8::1",
            "[fe80::1%25eth0]",
            "[not-ip]",
            "a b",
            "a/b",
            "a@b",
            "a:b",
            "a:123456",
            "[::1]x",
            "evil.example?x=1",
        ] {
            assert_eq!(url_host(header), None, "{header}");
        }
    }

    proptest! {
        #[test]
        fn a_host_is_always_safe_in_a_url(header in ".{0,40}") {
            if let Some(host) = url_host(&header) {
                prop_assert!(header.starts_with(host));
                let v6 = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
                match v6 {
                    Some(ip) => prop_assert!(ip.parse::<Ipv6Addr>().is_ok()),
                    None => prop_assert!(host.bytes().all(is_name_byte)),
                }
            }
        }

        #[test]
        fn a_name_and_port_give_the_name(name in "[a-z0-9][a-z0-9.-]{0,30}", port: u16) {
            prop_assume!(name != "0.0.0.0");
            let header = format!("{name}:{port}");
            prop_assert_eq!(url_host(&header), Some(name.as_str()));
        }
    }

    /// Vectors computed independently with
    /// `printf '%s' "$USERNAME" | openssl dgst -sha1 -hmac "$SECRET" -binary | base64`.
    #[test]
    fn matches_openssl() {
        assert_eq!(credential("s3cret", "1700000000:alice"), "TtElzSjT0GdnTQ9xdcRNxx96yQs=");
        assert_eq!(
            credential("north-of-the-wall", "1999999999:bob"),
            "xY+n7wV0Ff/JqV6ILYGQjkjGXtE="
        );
    }
}
