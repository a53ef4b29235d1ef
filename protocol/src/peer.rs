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
    /// The sender rings for a call.
    Call {
        /// With the camera, or voice only.
        video: bool,
    },
    /// The answer to a ring.
    CallAnswer {
        /// Taken or declined.
        accept: bool,
    },
    /// The sender hung up (or cancelled its ring).
    CallEnd,
    /// What the sender has switched off or on during a call.
    CallState {
        /// Microphone muted.
        muted: bool,
        /// Camera off or missing.
        camera_off: bool,
        /// Showing the screen instead of the camera.
        sharing: bool,
    },
}

/// A typed message as sent. Typed messages are read through [`Probe`] rather than as a
/// tagged enum, which serde would buffer in a few KB of extra wasm.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum Typed<'a> {
    Ack {
        id: &'a str,
    },
    Call {
        video: bool,
    },
    CallAnswer {
        accept: bool,
    },
    CallEnd,
    #[serde(rename_all = "camelCase")]
    CallState {
        muted: bool,
        camera_off: bool,
        sharing: bool,
    },
}

/// Every field a typed message may have, read in one pass.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
    video: Option<bool>,
    accept: Option<bool>,
    muted: Option<bool>,
    camera_off: Option<bool>,
    sharing: Option<bool>,
}

impl PeerMessage {
    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        let typed = match self {
            PeerMessage::Line(line) => return crate::to_json_text(line),
            PeerMessage::Ack { id } => Typed::Ack { id },
            &PeerMessage::Call { video } => Typed::Call { video },
            &PeerMessage::CallAnswer { accept } => Typed::CallAnswer { accept },
            PeerMessage::CallEnd => Typed::CallEnd,
            &PeerMessage::CallState { muted, camera_off, sharing } => {
                Typed::CallState { muted, camera_off, sharing }
            }
        };
        crate::to_json_text(&typed)
    }

    /// Parses one data-channel message; `None` for anything this build does not know.
    pub fn parse(text: &str) -> Option<Self> {
        let probe: Probe = serde_json::from_str(text).ok()?;
        Some(match probe.kind.as_deref() {
            None => return serde_json::from_str(text).ok().map(PeerMessage::Line),
            Some("ack") => PeerMessage::Ack { id: probe.id? },
            Some("call") => PeerMessage::Call { video: probe.video? },
            Some("callAnswer") => PeerMessage::CallAnswer { accept: probe.accept? },
            Some("callEnd") => PeerMessage::CallEnd,
            Some("callState") => PeerMessage::CallState {
                muted: probe.muted?,
                camera_off: probe.camera_off?,
                sharing: probe.sharing?,
            },
            Some(_) => return None,
        })
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
    fn call_messages_round_trip() {
        let state = PeerMessage::CallState { muted: true, camera_off: false, sharing: true };
        assert_eq!(
            state.to_json(),
            r#"{"type":"callState","muted":true,"cameraOff":false,"sharing":true}"#
        );
        for message in [
            PeerMessage::Call { video: true },
            PeerMessage::CallAnswer { accept: false },
            PeerMessage::CallEnd,
            state,
        ] {
            assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
        }
    }

    #[test]
    fn unknown_or_broken_messages_are_ignored() {
        for text in [
            "",
            "[]",
            "null",
            r#"{"type":"future"}"#,
            r#"{"time":"t"}"#,
            r#"{"type":"ack"}"#,
            r#"{"type":"call"}"#,
        ] {
            assert_eq!(PeerMessage::parse(text), None, "{text}");
        }
    }
}
