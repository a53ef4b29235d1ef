//! JSON relayed untouched between peers (an SDP or ICE candidate).

use crate::json;

/// One JSON value as text, checked once and then passed on byte for byte: the server never
/// parses or re-encodes what it only forwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawJson(Box<str>);

impl RawJson {
    /// `text` if it is one JSON value, without the white space around it (as serde_json's
    /// `RawValue` kept it); `None` if it is not JSON.
    pub fn new(text: &str) -> Option<Self> {
        json::value(text).map(Self::checked)
    }

    /// A value the reader has already checked.
    pub(crate) fn checked(text: &str) -> Self {
        Self(text.into())
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }
}
