//! Who a peer is: the fingerprint of the certificate its browser keeps for every
//! connection (read from the SDP), and the safety code people read to each other to check
//! that nobody stands in between.

/// Groups of digits in a safety code, and digits per group.
const GROUPS: usize = 6;
const DIGITS: usize = 5;

/// The SHA-256 certificate fingerprint an SDP announces (`a=fingerprint:sha-256 AB:CD:…`),
/// in upper case.
pub fn fingerprint_from_sdp(sdp: &str) -> Option<String> {
    sdp.lines()
        .filter_map(|line| line.trim_end().strip_prefix("a=fingerprint:"))
        .find_map(|value| {
            let (algorithm, fingerprint) = value.split_once(' ')?;
            algorithm
                .eq_ignore_ascii_case("sha-256")
                .then(|| fingerprint.trim().to_ascii_uppercase())
        })
        .filter(|fingerprint| fingerprint_bytes(fingerprint).is_some())
}

/// The 32 bytes a SHA-256 fingerprint (`AB:CD:…`) spells.
pub fn fingerprint_bytes(fingerprint: &str) -> Option<Vec<u8>> {
    let bytes: Option<Vec<u8>> = fingerprint
        .split(':')
        .map(|pair| u8::from_str_radix(pair, 16).ok().filter(|_| pair.len() == 2))
        .collect();
    bytes.filter(|bytes| bytes.len() == 32)
}

/// The safety code of a fingerprint, from the SHA-256 `digest` of its bytes: six groups
/// of five digits, for reading aloud (each group is five bytes of the digest modulo 10^5).
pub fn safety_code(digest: &[u8]) -> String {
    digest
        .chunks(DIGITS)
        .take(GROUPS)
        .map(|chunk| {
            let number = chunk.iter().fold(0u64, |n, &byte| n << 8 | u64::from(byte));
            format!("{:05}", number % 100_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a connection's fingerprint says about the peer, against the one its conversation
/// belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognition {
    /// No identity known for this name yet: this one is theirs from now on.
    First,
    /// The same identity as before.
    Same,
    /// Another identity under a known name: maybe someone else.
    Changed,
}

impl Recognition {
    /// `seen` against the identity the conversation with that name belongs to.
    pub fn of(seen: &str, known: Option<&str>) -> Self {
        match known {
            None => Recognition::First,
            Some(known) if known == seen => Recognition::Same,
            Some(_) => Recognition::Changed,
        }
    }
}

/// What the app knows of one peer's identity on the current connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerIdentity {
    /// Its certificate fingerprint.
    pub fingerprint: String,
    /// Its safety code, once computed.
    pub code: Option<String>,
    /// The person marked it verified after comparing codes.
    pub verified: bool,
    /// It is not the identity this name had before.
    pub changed: bool,
}
