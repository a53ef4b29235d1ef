//! The line that tells a person running the server where to open it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// What the server prints once it listens on `http`. A server listening on every address
/// is shown at the loopback one, which a browser on this machine can open.
pub fn serving_line(http: SocketAddr) -> String {
    let (shown, elsewhere) = match http.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST.into(), true),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST.into(), true),
        ip => (ip, false),
    };
    let url = format!("http://{}/", SocketAddr::new(shown, http.port()));
    let elsewhere = if elsewhere { " (and at this machine's other addresses)" } else { "" };
    format!("natter: serving {url}{elsewhere} — open it in two windows, or share the link")
}

#[cfg(test)]
mod tests {
    use super::serving_line;

    #[test]
    fn the_line_names_an_address_a_browser_can_open() {
        let line = |addr: &str| serving_line(addr.parse().unwrap());
        let hint = "open it in two windows, or share the link";
        assert_eq!(
            line("127.0.0.1:9000"),
            format!("natter: serving http://127.0.0.1:9000/ — {hint}")
        );
        assert_eq!(line("[::1]:8000"), format!("natter: serving http://[::1]:8000/ — {hint}"));
        let elsewhere = "(and at this machine's other addresses)";
        assert_eq!(
            line("0.0.0.0:9000"),
            format!("natter: serving http://127.0.0.1:9000/ {elsewhere} — {hint}")
        );
        assert_eq!(
            line("[::]:9000"),
            format!("natter: serving http://[::1]:9000/ {elsewhere} — {hint}")
        );
    }
}
