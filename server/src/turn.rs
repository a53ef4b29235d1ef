//! The ICE servers a login hands out: STUN URLs, and TURN with coturn REST credentials.

use crate::config::Config;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use natter_protocol::IceServer;
use sha1::Sha1;
use std::time::{SystemTime, UNIX_EPOCH};

/// What every login gets, minus the per-user TURN credentials.
#[derive(Debug, Clone)]
pub struct IceServers {
    stun_urls: Vec<String>,
    turn_urls: Vec<String>,
    turn_secret: Option<String>,
    turn_ttl: u64,
}

impl IceServers {
    /// Takes the STUN/TURN settings of the configuration.
    pub fn new(config: &Config) -> Self {
        Self {
            stun_urls: config.stun_urls.clone(),
            turn_urls: config.turn_urls.clone(),
            turn_secret: config.turn_secret.clone(),
            turn_ttl: config.turn_ttl,
        }
    }

    /// The list for a user logging in now; empty when nothing is configured.
    pub fn for_user(&self, name: &str) -> Vec<IceServer> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut servers = Vec::with_capacity(2);
        if !self.stun_urls.is_empty() {
            servers.push(IceServer {
                urls: self.stun_urls.clone(),
                username: None,
                credential: None,
            });
        }
        if !self.turn_urls.is_empty() {
            let (username, credential) = match &self.turn_secret {
                Some(secret) => {
                    let username = format!("{}:{name}", now + self.turn_ttl);
                    let credential = credential(secret, &username);
                    (Some(username), Some(credential))
                }
                None => (None, None),
            };
            servers.push(IceServer { urls: self.turn_urls.clone(), username, credential });
        }
        servers
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
    use super::credential;

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
