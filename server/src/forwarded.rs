//! Who a request comes from when a reverse proxy (Caddy, nginx) stands in front, and
//! whether it came over TLS: the `X-Forwarded-For` and `X-Forwarded-Proto` headers,
//! believed only from the proxies the operator names.

use axum::http::header::HeaderMap;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// The header a proxy appends the address it got the request from to.
const X_FORWARDED_FOR: &str = "x-forwarded-for";
/// The header a proxy says the scheme the client used in.
const X_FORWARDED_PROTO: &str = "x-forwarded-proto";

/// An address or a network: `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("not an IP address or network (like 10.0.0.0/8): {text:?}");
        let (address, prefix) = text.trim().split_once('/').unwrap_or((text.trim(), ""));
        let address = address.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
        let longest = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            "" => longest,
            digits => digits.parse().ok().filter(|p| *p <= longest).ok_or_else(bad)?,
        };
        Ok(Self { address, prefix })
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// The client's address for a request that reached us from `peer`. Without trusted proxies,
/// or from anyone else, that is `peer`: a client cannot claim another address. From a
/// trusted proxy, it is the nearest address in `X-Forwarded-For` that is not itself a
/// trusted proxy (each proxy appends the one it got the request from), so a client that
/// sends its own header cannot get past the entry our proxy added.
pub fn client_ip(trusted: &[Network], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|network| network.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    let hops = headers.get_all(X_FORWARDED_FOR).iter().filter_map(|value| value.to_str().ok());
    let entries: Vec<&str> = hops.flat_map(|value| value.split(',')).collect();
    for entry in entries.into_iter().rev() {
        // An entry we cannot read ends the chain: the last proxy we believe is all we know.
        let Some(hop) = parse_hop(entry) else { break };
        client = hop;
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// Whether a request that reached us from `peer` came over TLS: we speak plain HTTP, so
/// only a trusted proxy that says `X-Forwarded-Proto: https` makes it so (the first value
/// if it lists several: the one the client used).
pub fn is_https(trusted: &[Network], peer: IpAddr, headers: &HeaderMap) -> bool {
    let peer = peer.to_canonical();
    trusted.iter().any(|network| network.contains(peer))
        && headers
            .get(X_FORWARDED_PROTO)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .is_some_and(|scheme| scheme.trim().eq_ignore_ascii_case("https"))
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[::1]:80`), as some proxies write it.
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let address = entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<std::net::SocketAddr>().map(|socket| socket.ip()))
        .ok()?;
    Some(address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::{client_ip, is_https, Network};
    use axum::http::header::HeaderMap;
    use std::net::IpAddr;

    fn networks(list: &[&str]) -> Vec<Network> {
        list.iter().map(|text| text.parse().unwrap()).collect()
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("x-forwarded-for", value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_contain() {
        let lan: Network = "10.0.0.0/8".parse().unwrap();
        assert!(lan.contains(ip("10.200.1.2")));
        assert!(lan.contains(ip("::ffff:10.0.0.1")));
        assert!(!lan.contains(ip("11.0.0.1")));
        assert!(!lan.contains(ip("::1")));
        let one: Network = "127.0.0.1".parse().unwrap();
        assert_eq!(one.to_string(), "127.0.0.1/32");
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let everything: Network = "0.0.0.0/0".parse().unwrap();
        assert!(everything.contains(ip("203.0.113.9")));
        let v6: Network = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        for bad in ["", "10.0.0.0/33", "::/129", "host.example", "10.0.0.0/x", "10.0.0/8"] {
            assert!(bad.parse::<Network>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let trusted = networks(&["127.0.0.1"]);
        let claim = headers(&["198.51.100.7"]);
        assert_eq!(client_ip(&trusted, ip("127.0.0.1"), &claim), ip("198.51.100.7"));
        assert_eq!(client_ip(&trusted, ip("::ffff:127.0.0.1"), &claim), ip("198.51.100.7"));
        assert_eq!(client_ip(&trusted, ip("203.0.113.1"), &claim), ip("203.0.113.1"));
        assert_eq!(client_ip(&[], ip("127.0.0.1"), &claim), ip("127.0.0.1"));
        // A trusted proxy that sent no header is the client as far as we can tell.
        assert_eq!(client_ip(&trusted, ip("127.0.0.1"), &headers(&[])), ip("127.0.0.1"));
    }

    #[test]
    fn a_forged_entry_before_the_proxys_own_is_ignored() {
        let trusted = networks(&["127.0.0.1", "10.0.0.0/8"]);
        // The client sent "1.1.1.1"; the outer proxy (10.0.0.5) appended the real
        // 198.51.100.7, the inner one (us: 127.0.0.1) appended 10.0.0.5.
        let chain = headers(&["1.1.1.1, 198.51.100.7", "10.0.0.5"]);
        assert_eq!(client_ip(&trusted, ip("127.0.0.1"), &chain), ip("198.51.100.7"));
        let with_ports = headers(&["[2001:db8::1]:443, 10.0.0.5:80"]);
        assert_eq!(client_ip(&trusted, ip("127.0.0.1"), &with_ports), ip("2001:db8::1"));
        // Only proxies all along: the farthest one.
        assert_eq!(client_ip(&trusted, ip("127.0.0.1"), &headers(&["10.0.0.9"])), ip("10.0.0.9"));
        // Garbage stops the walk at the last address believed.
        let garbage = headers(&["198.51.100.7, unknown, 10.0.0.5"]);
        assert_eq!(client_ip(&trusted, ip("127.0.0.1"), &garbage), ip("10.0.0.5"));
    }

    #[test]
    fn only_a_trusted_proxy_says_the_request_came_over_tls() {
        let trusted = networks(&["127.0.0.1"]);
        let mut proto = HeaderMap::new();
        proto.append("x-forwarded-proto", "https".parse().unwrap());
        assert!(is_https(&trusted, ip("127.0.0.1"), &proto));
        assert!(is_https(&trusted, ip("::ffff:127.0.0.1"), &proto));
        assert!(!is_https(&trusted, ip("203.0.113.1"), &proto), "a client's own claim");
        assert!(!is_https(&[], ip("127.0.0.1"), &proto), "no proxy trusted");
        assert!(!is_https(&trusted, ip("127.0.0.1"), &HeaderMap::new()));
        let mut chain = HeaderMap::new();
        chain.append("x-forwarded-proto", "http, https".parse().unwrap());
        assert!(!is_https(&trusted, ip("127.0.0.1"), &chain), "the client's scheme comes first");
    }
}
