//! Resume tokens: the secret that lets a reloaded page take its login back from a socket
//! the server still holds.

use subtle::ConstantTimeEq;

/// Random bytes in a token: 128 bits, beyond guessing at any rate the limits allow.
const TOKEN_BYTES: usize = 16;

/// One login's token, kept as the wire spells it: 32 lowercase hex digits.
#[derive(Debug)]
pub struct ResumeToken(String);

impl ResumeToken {
    /// A new token from the operating system's random source.
    pub fn fresh() -> Self {
        let mut bytes = [0; TOKEN_BYTES];
        // As for uuid's v4 ids: without the OS source there is no safe secret to hand out.
        getrandom::fill(&mut bytes).expect("the operating system's random source");
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digits = bytes.iter().flat_map(|byte| [byte >> 4, byte & 0xf]);
        Self(digits.map(|digit| char::from(HEX[usize::from(digit)])).collect())
    }

    /// The token as sent to its client.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a client offered this token. Constant time, so that how long a refusal takes
    /// does not tell how much of a guess was right.
    pub fn matches(&self, offered: &str) -> bool {
        self.0.as_bytes().ct_eq(offered.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_lowercase_hex() {
        let (a, b) = (ResumeToken::fresh(), ResumeToken::fresh());
        for token in [&a, &b] {
            assert_eq!(token.as_str().len(), 32);
            assert!(token.as_str().bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
        }
        assert_ne!(a.as_str(), b.as_str());
    }

    #[test]
    fn only_the_same_token_matches() {
        let token = ResumeToken("0f1e2d3c4b5a69788796a5b4c3d2e1f0".into());
        assert!(token.matches("0f1e2d3c4b5a69788796a5b4c3d2e1f0"));
        for other in [
            "0f1e2d3c4b5a69788796a5b4c3d2e1f1",
            "0F1E2D3C4B5A69788796A5B4C3D2E1F0",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00",
            "",
        ] {
            assert!(!token.matches(other), "{other}");
        }
    }
}
