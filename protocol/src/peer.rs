//! Messages peers exchange over the `messenger` data channel.
//!
//! A chat line keeps the reference client's shape (`time`, `message`, `name`) so an old
//! client shows it; natter adds an `id`, and typed messages (`"type"`) an old client never
//! receives, since natter only sends them to peers whose lines carry ids.

use serde::{Deserialize, Serialize};

/// Label of the data channel the reference client opens.
pub const CHAT_CHANNEL_LABEL: &str = "messenger";

/// One chat line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// When it was written, RFC 3339.
    pub time: String,
    /// The text, shown as text, never as markup.
    pub message: String,
    /// The sender's name.
    pub name: String,
    /// Unique id for receipts and de-duplication (natter; absent from old clients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Anything sent on the chat channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerMessage {
    /// A chat line.
    Line(ChatLine),
    /// The receiver got the line with this id.
    Ack {
        /// The acknowledged line's id.
        id: String,
    },
}

/// The `type` of an acknowledgement.
const ACK: &str = "ack";

/// A typed message as sent. Typed messages are read through [`Probe`] rather than as a
/// tagged enum, which serde would buffer in a few KB of extra wasm.
#[derive(Serialize)]
struct Typed<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
}

/// What a frame says about its kind, read before the rest.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
}

impl PeerMessage {
    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        match self {
            PeerMessage::Line(line) => crate::to_json_text(line),
            PeerMessage::Ack { id } => crate::to_json_text(&Typed { kind: ACK, id }),
        }
    }

    /// Parses one data-channel message; `None` for anything this build does not know.
    pub fn parse(text: &str) -> Option<Self> {
        let probe: Probe = serde_json::from_str(text).ok()?;
        match probe.kind.as_deref() {
            None => serde_json::from_str(text).ok().map(PeerMessage::Line),
            Some(ACK) => Some(PeerMessage::Ack { id: probe.id? }),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_client_line_parses() {
        let text = r#"{"time":"2026-11-23T10:00:00.000Z","message":"<b>hi</b>","name":"bob"}"#;
        let Some(PeerMessage::Line(line)) = PeerMessage::parse(text) else { panic!() };
        assert_eq!(line.message, "<b>hi</b>");
        assert_eq!(line.id, None);
    }

    #[test]
    fn lines_and_acks_round_trip() {
        let line = PeerMessage::Line(ChatLine {
            time: "t".into(),
            message: "m".into(),
            name: "n".into(),
            id: Some("1".into()),
        });
        assert_eq!(line.to_json(), r#"{"time":"t","message":"m","name":"n","id":"1"}"#);
        assert_eq!(PeerMessage::parse(&line.to_json()), Some(line));
        let ack = PeerMessage::Ack { id: "1".into() };
        assert_eq!(ack.to_json(), r#"{"type":"ack","id":"1"}"#);
        assert_eq!(PeerMessage::parse(&ack.to_json()), Some(ack));
    }

    #[test]
    fn unknown_or_broken_messages_are_ignored() {
        for text in
            ["", "[]", "null", r#"{"type":"future"}"#, r#"{"time":"t"}"#, r#"{"type":"ack"}"#]
        {
            assert_eq!(PeerMessage::parse(text), None, "{text}");
        }
    }
}
