//! Messages peers exchange over the `messenger` data channel.
//!
//! A chat line keeps the reference client's shape (`time`, `message`, `name`) so an old
//! client shows it; natter adds an `id`. Typed messages (`"type"`) only go to a peer known
//! to be natter: one whose chat channel carries [`CHAT_CHANNEL_PROTOCOL`], or that sent a
//! `hello`, an `ack` or a line with an id. An old client files anything it receives as a
//! chat line, so it must never get one.
//!
//! Capabilities: the side that opens the chat channel sets its protocol to
//! [`CHAT_CHANNEL_PROTOCOL`]; the other side, seeing it, sends `hello` with what it
//! supports, and the opener answers with its own `hello`. An opener that hears nothing
//! treats the peer as an old client.
//!
//! Files: the control messages (`fileOffer`, `fileAnswer`, `fileCancel`, `fileDone`) go on
//! the chat channel; the bytes go on a data channel of their own, [`file_channel_label`],
//! which the sender opens once the receiver accepts and which only the sender closes. The
//! bytes are binary messages of exactly [`FILE_CHUNK_BYTES`], the last one shorter.
//!
//! File digest: WebCrypto has no streaming SHA-256 and the sender never holds the whole
//! file, so the digest is over the chunks: SHA-256 of the concatenated SHA-256 digests of
//! every chunk, in order (an empty file: SHA-256 of nothing), in lowercase hex. Both sides
//! compute it as the bytes pass, and each announces its value in `fileDone`: the sender
//! when it has sent everything, the receiver after comparing (so a mismatch is seen on
//! both sides). Any changed, missing or reordered byte changes it, as with a plain digest.

use crate::json::{self, optional};

/// Label of the data channel the reference client opens.
pub const CHAT_CHANNEL_LABEL: &str = "messenger";

/// The chat channel's sub-protocol when natter opens it: tells the peer, before any message,
/// that typed messages are understood. The reference client sets none and reads none.
pub const CHAT_CHANNEL_PROTOCOL: &str = "natter";

/// Longest chat text, in characters. Escaped as JSON, such a line stays below the 256 KiB a
/// data channel message may carry (6 bytes for the worst character, plus the other fields).
pub const MAX_TEXT_CHARS: usize = 32_000;

/// What a natter peer announces it supports in its `hello`.
pub const FEATURE_ACKS: &str = "acks";
/// Voice and video calls.
pub const FEATURE_CALLS: &str = "calls";
/// File transfers.
pub const FEATURE_FILES: &str = "files";
/// Read receipts (`read`).
pub const FEATURE_READ: &str = "read";
/// Typing notices (`typing`).
pub const FEATURE_TYPING: &str = "typing";
/// Lines to everyone in the room (`roomLine`).
pub const FEATURE_ROOM: &str = "room";
/// Typing notices in the room (`roomTyping`).
pub const FEATURE_ROOM_TYPING: &str = "roomTyping";
/// A private room's name (`roomName`).
pub const FEATURE_ROOM_NAME: &str = "roomName";
/// Files offered to everyone in the room (`roomFileOffer`).
pub const FEATURE_ROOM_FILES: &str = "roomFiles";
/// Reactions to a line (`react`, `roomReact`).
pub const FEATURE_REACTIONS: &str = "reactions";
/// The room's recent lines for newcomers, signed by their authors (`roomKey`, `roomPast`).
pub const FEATURE_ROOM_HISTORY: &str = "roomHistory";
/// Calls with everyone in the room (`roomCallJoin`, `roomCallLeave`; docs/protocol.md, 7.8).
pub const FEATURE_ROOM_CALLS: &str = "roomCalls";
/// A line's author edits or deletes it for everyone (`edit`, `roomEdit`).
pub const FEATURE_EDITS: &str = "edits";
/// An offer made again once the link is back, and a transfer taken up where it broke
/// (`fileAnswer`'s `at`).
pub const FEATURE_RESUME: &str = "resume";

/// Most characters of a `roomKey`'s key or a signature natter reads (hex of 65 and of 64
/// bytes; anything longer is refused unread).
pub const MAX_PROOF_CHARS: usize = 160;

/// Size of every file chunk but the last: well below the 256 KiB Chromium accepts.
pub const FILE_CHUNK_BYTES: u32 = 64 * 1024;

/// Start of the label of a file's data channel.
const FILE_CHANNEL_PREFIX: &str = "file:";

/// The label of the data channel carrying the bytes of file `id`.
pub fn file_channel_label(id: &str) -> String {
    [FILE_CHANNEL_PREFIX, id].concat()
}

/// The file id a data channel label names, if it is a file channel.
pub fn file_id_of_label(label: &str) -> Option<&str> {
    label.strip_prefix(FILE_CHANNEL_PREFIX)
}

/// One chat line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatLine {
    /// When it was written, RFC 3339.
    pub time: String,
    /// The text, shown as text, never as markup.
    pub message: String,
    /// The sender's name.
    pub name: String,
    /// Unique id for receipts and de-duplication (natter; absent from old clients).
    pub id: Option<String>,
    /// The id of the line this one answers (natter; its `message` then starts with the
    /// quote, so an old client shows it as a quoted plain line).
    pub reply_to: Option<String>,
    /// When its author last edited it, RFC 3339 (natter, only in `edit`, `roomEdit` and
    /// `roomPast`); an empty `message` then says the author deleted it.
    pub edited: Option<String>,
}

impl ChatLine {
    fn to_json(&self) -> String {
        json::object(64 + self.message.len(), |o| self.members(o))
    }

    fn members(&self, o: &mut json::Object) {
        o.string("time", &self.time)
            .string("message", &self.message)
            .string("name", &self.name)
            .optional_string("id", self.id.as_deref())
            .optional_string("replyTo", self.reply_to.as_deref())
            .optional_string("edited", self.edited.as_deref());
    }

    /// A line has no `type`; its own fields are read only then, as their own pass.
    fn parse(text: &str) -> Option<Self> {
        let [time, message, name, id, reply_to, edited] =
            json::fields(text, ["time", "message", "name", "id", "replyTo", "edited"])?;
        Some(ChatLine {
            time: json::text(time?)?,
            message: json::text(message?)?,
            name: json::text(name?)?,
            id: optional(id, json::text)?,
            reply_to: optional(reply_to, json::text)?,
            edited: optional(edited, json::text)?,
        })
    }

    /// The line as an edit carries it (`edit`, `roomEdit`): with its id and the time of the
    /// edit. A plain line or `roomLine` edits nothing: whatever `edited` it claims is dropped.
    fn edit(self, edit: bool) -> Option<Self> {
        match (edit, &self.id, &self.edited) {
            (true, Some(_), Some(_)) => Some(self),
            (false, _, _) => Some(ChatLine { edited: None, ..self }),
            _ => None,
        }
    }
}

/// Anything sent on the chat channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerMessage {
    /// A chat line; with `edited`, its author's edit of a line sent before, or its deletion
    /// (an empty `message`), as the typed message `edit`: only to a peer whose `hello` lists
    /// [`FEATURE_EDITS`], acknowledged and resent as the line.
    Line(ChatLine),
    /// A chat line to everyone in the room the sender and receiver share (the mesh: the
    /// sender writes it to each peer's chat channel); always with an id, and with its
    /// author's signature (`sig`, see [`PeerMessage::RoomKey`]) where it has a key. Only to
    /// a peer whose `hello` lists [`FEATURE_ROOM`]. With `edited`, an edit (`roomEdit`), as
    /// [`PeerMessage::Line`]'s, signed in the edit's own form.
    RoomLine(ChatLine, Option<String>),
    /// What the sender supports (see the module's text on capabilities).
    Hello {
        /// [`FEATURE_ACKS`], [`FEATURE_CALLS`], [`FEATURE_FILES`]; unknown ones are ignored.
        features: Vec<String>,
    },
    /// The receiver got the line with this id.
    Ack {
        /// The acknowledged line's id.
        id: String,
    },
    /// The receiver's screen showed the line with this id, and every one before it.
    Read {
        /// The newest line shown.
        id: String,
    },
    /// The sender is typing a line (sent at most every few seconds while it types).
    Typing,
    /// The sender is typing a line to the room (as [`PeerMessage::Typing`]).
    RoomTyping,
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
    /// The sender offers a file.
    FileOffer {
        /// Names the transfer in the other file messages and the channel label.
        id: String,
        /// The file's name, shown as text.
        name: String,
        /// Bytes.
        size: u64,
        /// The media type the sender's browser gave it (may be empty).
        mime: String,
    },
    /// The receiver takes or declines an offer.
    FileAnswer {
        /// The offer.
        id: String,
        /// Taken or declined.
        accept: bool,
        /// The bytes the receiver holds already, from the start of the file: the sender
        /// sends from there ([`FEATURE_RESUME`]; 0, and not written, for a new transfer).
        at: u64,
    },
    /// Either side stops a transfer (offered or under way).
    FileCancel {
        /// The transfer.
        id: String,
    },
    /// The file digest (see the module's text) as the sender computed it once every byte
    /// was sent, or as the receiver computed it once every byte arrived.
    FileDone {
        /// The transfer.
        id: String,
        /// Lowercase hex.
        sha256: String,
    },
    /// The name a member gave the private room the sender and receiver share: sent by the
    /// member who names it, and by any member who knows a name to each peer whose `hello`
    /// lists [`FEATURE_ROOM_NAME`]. The latest `at` wins, then the greater `by`.
    RoomName {
        /// The name, shown as text.
        name: String,
        /// Who gave it (the sender, or the member whose name the sender passes on).
        by: String,
        /// When it was given, milliseconds since the Unix epoch.
        at: u64,
    },
    /// The sender offers a file to everyone in the room the two share: as
    /// [`PeerMessage::FileOffer`] (answered, sent and checked alike), but shown in the
    /// room's conversation. Each person present gets one, all with the same `id`. Only to a
    /// peer whose `hello` lists [`FEATURE_ROOM_FILES`].
    RoomFileOffer {
        /// As [`PeerMessage::FileOffer`]'s.
        id: String,
        /// The file's name, shown as text.
        name: String,
        /// Bytes.
        size: u64,
        /// The media type (may be empty).
        mime: String,
    },
    /// The sender adds (`on`) or takes back its reaction `emoji` to the line `id`: a line
    /// of the conversation with the receiver, or with `room` of the room's. Only to a peer
    /// whose `hello` lists [`FEATURE_REACTIONS`].
    React {
        /// The line reacted to.
        id: String,
        /// One of the few emoji offered, shown as text.
        emoji: String,
        /// Added, or taken back.
        on: bool,
        /// A line of the room's conversation (`roomReact`).
        room: bool,
    },
    /// The sender's line-signing public key (ECDSA P-256, raw point in lowercase hex), told
    /// over its own link, once per connection, to a peer whose `hello` lists
    /// [`FEATURE_ROOM_HISTORY`].
    RoomKey {
        /// 130 hex digits.
        key: String,
    },
    /// One of the room's recent lines, passed on to a newcomer (whose `hello` lists
    /// [`FEATURE_ROOM_HISTORY`]) with its author's signature: `line.name` is the author, the
    /// sender only relays it.
    RoomPast {
        /// The line as its author wrote it.
        line: ChatLine,
        /// The author's signature over it (docs/protocol.md, 7.10), lowercase hex.
        sig: String,
        /// Only in this device's store: who relayed a line not verified. Never sent.
        by: Option<String>,
    },
    /// The sender is in the room's call (it started it, joined it, or tells a peer whose
    /// `hello` just came). Only to a peer whose `hello` lists [`FEATURE_ROOM_CALLS`].
    RoomCallJoin {
        /// With cameras, or voice only: as its starter chose.
        video: bool,
        /// Who started the call, by the sender's word.
        by: String,
    },
    /// The sender left the room's call.
    RoomCallLeave,
}

/// A line as the typed message `kind` (`roomLine`, `edit`, `roomEdit`), with its `sig`.
fn typed_line(kind: &str, line: &ChatLine, sig: Option<&str>) -> String {
    json::typed(kind, 200 + line.message.len(), |o| {
        line.members(o);
        o.optional_string("sig", sig);
    })
}

/// The fields of every typed message, in the order [`PeerMessage::parse`] takes them.
const TYPED_FIELDS: [&str; 18] = [
    "type",
    "features",
    "id",
    "video",
    "accept",
    "muted",
    "cameraOff",
    "sharing",
    "name",
    "size",
    "mime",
    "sha256",
    "by",
    "at",
    "emoji",
    "on",
    "sig",
    "key",
];

impl PeerMessage {
    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        match self {
            PeerMessage::Line(line) if line.edited.is_none() => line.to_json(),
            PeerMessage::Line(line) => typed_line("edit", line, None),
            PeerMessage::RoomLine(line, sig) => {
                let kind = if line.edited.is_some() { "roomEdit" } else { "roomLine" };
                typed_line(kind, line, sig.as_deref())
            }
            PeerMessage::Hello { features } => json::typed("hello", 0, |o| {
                o.strings("features", features);
            }),
            PeerMessage::Ack { id } => json::typed("ack", 0, |o| {
                o.string("id", id);
            }),
            PeerMessage::Read { id } => json::typed("read", 0, |o| {
                o.string("id", id);
            }),
            PeerMessage::Typing => json::typed("typing", 0, |_| {}),
            PeerMessage::RoomTyping => json::typed("roomTyping", 0, |_| {}),
            &PeerMessage::Call { video } => json::typed("call", 0, |o| {
                o.boolean("video", video);
            }),
            &PeerMessage::CallAnswer { accept } => json::typed("callAnswer", 0, |o| {
                o.boolean("accept", accept);
            }),
            PeerMessage::CallEnd => json::typed("callEnd", 0, |_| {}),
            &PeerMessage::CallState { muted, camera_off, sharing } => {
                json::typed("callState", 0, |o| {
                    o.boolean("muted", muted)
                        .boolean("cameraOff", camera_off)
                        .boolean("sharing", sharing);
                })
            }
            PeerMessage::FileOffer { id, name, size, mime } => {
                file_offer("fileOffer", id, name, *size, mime)
            }
            PeerMessage::FileAnswer { id, accept, at } => json::typed("fileAnswer", 0, |o| {
                o.string("id", id).boolean("accept", *accept);
                if *at > 0 {
                    o.unsigned("at", *at);
                }
            }),
            PeerMessage::FileCancel { id } => json::typed("fileCancel", 0, |o| {
                o.string("id", id);
            }),
            PeerMessage::FileDone { id, sha256 } => json::typed("fileDone", 0, |o| {
                o.string("id", id).string("sha256", sha256);
            }),
            PeerMessage::RoomName { name, by, at } => json::typed("roomName", name.len(), |o| {
                o.string("name", name).string("by", by).unsigned("at", *at);
            }),
            PeerMessage::RoomFileOffer { id, name, size, mime } => {
                file_offer("roomFileOffer", id, name, *size, mime)
            }
            PeerMessage::React { id, emoji, on, room } => {
                json::typed(if *room { "roomReact" } else { "react" }, 0, |o| {
                    o.string("id", id).string("emoji", emoji).boolean("on", *on);
                })
            }
            PeerMessage::RoomKey { key } => json::typed("roomKey", key.len(), |o| {
                o.string("key", key);
            }),
            PeerMessage::RoomPast { line, sig, by } => {
                json::typed("roomPast", 200 + line.message.len(), |o| {
                    line.members(o);
                    o.string("sig", sig).optional_string("by", by.as_deref());
                })
            }
            PeerMessage::RoomCallJoin { video, by } => json::typed("roomCallJoin", by.len(), |o| {
                o.boolean("video", *video).string("by", by);
            }),
            PeerMessage::RoomCallLeave => json::typed("roomCallLeave", 0, |_| {}),
        }
    }

    /// Parses one data-channel message; `None` for anything this build does not know.
    pub fn parse(text: &str) -> Option<Self> {
        // Every field a typed message may have, each checked whatever the type, in one pass.
        let [kind, features, id, video, accept, muted, camera_off, sharing, name, size, mime, sha256, by, at, emoji, on, sig, key] =
            json::fields(text, TYPED_FIELDS)?;
        let kind = optional(kind, json::string)?;
        let features = optional(features, |raw| json::array(raw, json::text))?;
        let id = optional(id, json::text)?;
        let emoji = optional(emoji, json::text)?;
        let [video, accept, muted, camera_off, sharing, on] =
            [video, accept, muted, camera_off, sharing, on].map(|raw| optional(raw, json::boolean));
        let name = optional(name, json::text)?;
        let size = optional(size, json::unsigned)?;
        let mime = optional(mime, json::text)?;
        let sha256 = optional(sha256, json::text)?;
        let by = optional(by, json::text)?;
        let at = optional(at, json::unsigned)?;
        // A proof too long to be one is not read further.
        let proof = |raw| json::text(raw).filter(|text: &String| text.len() <= MAX_PROOF_CHARS);
        let sig = optional(sig, proof)?;
        let key = optional(key, proof)?;
        let (video, accept, muted, camera_off, sharing, on) =
            (video?, accept?, muted?, camera_off?, sharing?, on?);
        Some(match kind.as_deref() {
            None => PeerMessage::Line(ChatLine::parse(text)?.edit(false)?),
            Some("edit") => PeerMessage::Line(ChatLine::parse(text)?.edit(true)?),
            Some(kind @ ("roomLine" | "roomEdit")) => {
                match ChatLine::parse(text)?.edit(kind == "roomEdit")? {
                    line @ ChatLine { id: Some(_), .. } => PeerMessage::RoomLine(line, sig),
                    ChatLine { id: None, .. } => return None,
                }
            }
            Some("roomPast") => match ChatLine::parse(text)? {
                line @ ChatLine { id: Some(_), .. } => {
                    PeerMessage::RoomPast { line, sig: sig?, by }
                }
                ChatLine { id: None, .. } => return None,
            },
            Some("roomKey") => PeerMessage::RoomKey { key: key? },
            Some("hello") => PeerMessage::Hello { features: features? },
            Some("ack") => PeerMessage::Ack { id: id? },
            Some("read") => PeerMessage::Read { id: id? },
            Some("typing") => PeerMessage::Typing,
            Some("roomTyping") => PeerMessage::RoomTyping,
            Some("call") => PeerMessage::Call { video: video? },
            Some("callAnswer") => PeerMessage::CallAnswer { accept: accept? },
            Some("callEnd") => PeerMessage::CallEnd,
            Some("callState") => {
                PeerMessage::CallState { muted: muted?, camera_off: camera_off?, sharing: sharing? }
            }
            Some("fileOffer") => PeerMessage::FileOffer {
                id: id?,
                name: name?,
                size: size?,
                mime: mime.unwrap_or_default(),
            },
            Some("fileAnswer") => {
                PeerMessage::FileAnswer { id: id?, accept: accept?, at: at.unwrap_or(0) }
            }
            Some("fileCancel") => PeerMessage::FileCancel { id: id? },
            Some("fileDone") => PeerMessage::FileDone { id: id?, sha256: sha256? },
            Some("roomName") => PeerMessage::RoomName { name: name?, by: by?, at: at? },
            Some("roomFileOffer") => PeerMessage::RoomFileOffer {
                id: id?,
                name: name?,
                size: size?,
                mime: mime.unwrap_or_default(),
            },
            Some(kind @ ("react" | "roomReact")) => {
                PeerMessage::React { id: id?, emoji: emoji?, on: on?, room: kind == "roomReact" }
            }
            Some("roomCallJoin") => PeerMessage::RoomCallJoin { video: video?, by: by? },
            Some("roomCallLeave") => PeerMessage::RoomCallLeave,
            Some(_) => return None,
        })
    }
}

/// The JSON of a file offer of type `kind`, to one person or to the room.
fn file_offer(kind: &str, id: &str, name: &str, size: u64, mime: &str) -> String {
    json::typed(kind, name.len(), |o| {
        o.string("id", id).string("name", name).unsigned("size", size).string("mime", mime);
    })
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
            reply_to: None,
            edited: None,
        });
        assert_eq!(line.to_json(), r#"{"time":"t","message":"m","name":"n","id":"1"}"#);
        assert_eq!(PeerMessage::parse(&line.to_json()), Some(line));
        let ack = PeerMessage::Ack { id: "1".into() };
        assert_eq!(ack.to_json(), r#"{"type":"ack","id":"1"}"#);
        assert_eq!(PeerMessage::parse(&ack.to_json()), Some(ack));
    }

    #[test]
    fn room_lines_round_trip_and_need_an_id() {
        let line = ChatLine {
            time: "t".into(),
            message: "to all".into(),
            name: "n".into(),
            id: Some("9".into()),
            reply_to: None,
            edited: None,
        };
        let room = PeerMessage::RoomLine(line.clone(), None);
        assert_eq!(
            room.to_json(),
            r#"{"type":"roomLine","time":"t","message":"to all","name":"n","id":"9"}"#
        );
        assert_eq!(PeerMessage::parse(&room.to_json()), Some(room));
        let signed = PeerMessage::RoomLine(line.clone(), Some("ab".into()));
        assert_eq!(
            signed.to_json(),
            r#"{"type":"roomLine","time":"t","message":"to all","name":"n","id":"9","sig":"ab"}"#
        );
        assert_eq!(PeerMessage::parse(&signed.to_json()), Some(signed));
        let without_id = r#"{"type":"roomLine","time":"t","message":"m","name":"n"}"#;
        assert_eq!(PeerMessage::parse(without_id), None);
        // A classic client files it as a plain line: it never gets one (see FEATURE_ROOM).
        assert_ne!(PeerMessage::parse(&PeerMessage::Line(line).to_json()), None);
    }

    #[test]
    fn read_receipts_and_typing_round_trip() {
        let read = PeerMessage::Read { id: "7".into() };
        assert_eq!(read.to_json(), r#"{"type":"read","id":"7"}"#);
        assert_eq!(PeerMessage::Typing.to_json(), r#"{"type":"typing"}"#);
        assert_eq!(PeerMessage::RoomTyping.to_json(), r#"{"type":"roomTyping"}"#);
        for message in [read, PeerMessage::Typing, PeerMessage::RoomTyping] {
            assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
        }
        assert_eq!(PeerMessage::parse(r#"{"type":"read"}"#), None);
    }

    #[test]
    fn hello_round_trips() {
        let hello = PeerMessage::Hello { features: vec![FEATURE_ACKS.into(), "future".into()] };
        assert_eq!(hello.to_json(), r#"{"type":"hello","features":["acks","future"]}"#);
        assert_eq!(PeerMessage::parse(&hello.to_json()), Some(hello));
    }

    #[test]
    fn the_longest_text_fits_a_data_channel_message() {
        // A control character is the longest once escaped: `\u0001`.
        let line = PeerMessage::Line(ChatLine {
            time: "2026-11-23T10:00:00.000+00:00".into(),
            message: "\u{1}".repeat(MAX_TEXT_CHARS),
            name: "n".repeat(crate::MAX_NAME_CHARS * 4),
            id: Some("f".repeat(32)),
            reply_to: Some("f".repeat(32)),
            edited: None,
        });
        assert!(line.to_json().len() < 256 << 10, "{}", line.to_json().len());
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
    fn file_messages_round_trip() {
        let offer = PeerMessage::FileOffer {
            id: "f1".into(),
            name: "<b>cat</b>.png".into(),
            size: 8 << 30,
            mime: "image/png".into(),
        };
        assert_eq!(
            offer.to_json(),
            r#"{"type":"fileOffer","id":"f1","name":"<b>cat</b>.png","size":8589934592,"mime":"image/png"}"#
        );
        let done = PeerMessage::FileDone { id: "f1".into(), sha256: "ab".into() };
        assert_eq!(done.to_json(), r#"{"type":"fileDone","id":"f1","sha256":"ab"}"#);
        // A new transfer's answer is the one every natter reads; a resumed one says where.
        let taken = PeerMessage::FileAnswer { id: "f1".into(), accept: true, at: 0 };
        assert_eq!(taken.to_json(), r#"{"type":"fileAnswer","id":"f1","accept":true}"#);
        let resumed = PeerMessage::FileAnswer { id: "f1".into(), accept: true, at: 65536 };
        assert_eq!(
            resumed.to_json(),
            r#"{"type":"fileAnswer","id":"f1","accept":true,"at":65536}"#
        );
        for message in [offer, taken, resumed, PeerMessage::FileCancel { id: "f1".into() }, done] {
            assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
        }
    }

    #[test]
    fn room_names_round_trip() {
        let named =
            PeerMessage::RoomName { name: "<b>Book</b> club".into(), by: "bob".into(), at: 1 };
        assert_eq!(
            named.to_json(),
            r#"{"type":"roomName","name":"<b>Book</b> club","by":"bob","at":1}"#
        );
        assert_eq!(PeerMessage::parse(&named.to_json()), Some(named));
        assert_eq!(PeerMessage::parse(r#"{"type":"roomName","name":"x","by":"b"}"#), None);
        assert_eq!(PeerMessage::parse(r#"{"type":"roomName","name":"x","by":"b","at":-1}"#), None);
    }

    #[test]
    fn a_file_offered_to_the_room_round_trips() {
        let offer = PeerMessage::RoomFileOffer {
            id: "f2".into(),
            name: "notes.txt".into(),
            size: 3,
            mime: String::new(),
        };
        assert_eq!(
            offer.to_json(),
            r#"{"type":"roomFileOffer","id":"f2","name":"notes.txt","size":3,"mime":""}"#
        );
        assert_eq!(PeerMessage::parse(&offer.to_json()), Some(offer));
        let without_mime = r#"{"type":"roomFileOffer","id":"f2","name":"a","size":0}"#;
        let Some(PeerMessage::RoomFileOffer { mime, .. }) = PeerMessage::parse(without_mime) else {
            panic!("an offer without a type parses")
        };
        assert_eq!(mime, "");
        assert_eq!(PeerMessage::parse(r#"{"type":"roomFileOffer","id":"f"}"#), None);
    }

    #[test]
    fn replies_name_the_line_they_answer_and_a_classic_line_still_parses() {
        let reply = PeerMessage::Line(ChatLine {
            time: "t".into(),
            message: "> hi\nhello".into(),
            name: "n".into(),
            id: Some("2".into()),
            reply_to: Some("1".into()),
            edited: None,
        });
        assert_eq!(
            reply.to_json(),
            r#"{"time":"t","message":"> hi\nhello","name":"n","id":"2","replyTo":"1"}"#
        );
        assert_eq!(PeerMessage::parse(&reply.to_json()), Some(reply));
    }

    #[test]
    fn reactions_round_trip_to_one_person_and_to_the_room() {
        let react =
            PeerMessage::React { id: "1".into(), emoji: "👍".into(), on: true, room: false };
        assert_eq!(react.to_json(), r#"{"type":"react","id":"1","emoji":"👍","on":true}"#);
        let room =
            PeerMessage::React { id: "1".into(), emoji: "😂".into(), on: false, room: true };
        assert_eq!(room.to_json(), r#"{"type":"roomReact","id":"1","emoji":"😂","on":false}"#);
        for message in [react, room] {
            assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
        }
        assert_eq!(PeerMessage::parse(r#"{"type":"react","id":"1","emoji":"x"}"#), None);
    }

    #[test]
    fn room_keys_and_past_lines_round_trip() {
        let key = PeerMessage::RoomKey { key: "04ab".into() };
        assert_eq!(key.to_json(), r#"{"type":"roomKey","key":"04ab"}"#);
        assert_eq!(PeerMessage::parse(&key.to_json()), Some(key));
        let line = ChatLine {
            time: "t".into(),
            message: "earlier".into(),
            name: "alice".into(),
            id: Some("9".into()),
            reply_to: None,
            edited: None,
        };
        let past = PeerMessage::RoomPast { line, sig: "cd".into(), by: None };
        assert_eq!(
            past.to_json(),
            r#"{"type":"roomPast","time":"t","message":"earlier","name":"alice","id":"9","sig":"cd"}"#
        );
        assert_eq!(PeerMessage::parse(&past.to_json()), Some(past));
        let long = "f".repeat(MAX_PROOF_CHARS + 1);
        for text in [
            r#"{"type":"roomPast","time":"t","message":"m","name":"a","id":"9"}"#.to_owned(),
            r#"{"type":"roomPast","time":"t","message":"m","name":"a","sig":"cd"}"#.to_owned(),
            r#"{"type":"roomKey"}"#.to_owned(),
            format!(r#"{{"type":"roomKey","key":"{long}"}}"#),
        ] {
            assert_eq!(PeerMessage::parse(&text), None, "{text}");
        }
    }

    #[test]
    fn room_call_messages_round_trip() {
        let join = PeerMessage::RoomCallJoin { video: true, by: "alice".into() };
        assert_eq!(join.to_json(), r#"{"type":"roomCallJoin","video":true,"by":"alice"}"#);
        assert_eq!(PeerMessage::RoomCallLeave.to_json(), r#"{"type":"roomCallLeave"}"#);
        for message in [join, PeerMessage::RoomCallLeave] {
            assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
        }
        assert_eq!(PeerMessage::parse(r#"{"type":"roomCallJoin","video":true}"#), None);
    }

    #[test]
    fn edits_are_typed_and_only_they_carry_the_time_of_the_edit() {
        let line = ChatLine {
            time: "t".into(),
            message: "fixed".into(),
            name: "n".into(),
            id: Some("1".into()),
            reply_to: None,
            edited: Some("u".into()),
        };
        let edit = PeerMessage::Line(line.clone());
        assert_eq!(
            edit.to_json(),
            r#"{"type":"edit","time":"t","message":"fixed","name":"n","id":"1","edited":"u"}"#
        );
        let room = PeerMessage::RoomLine(line.clone(), Some("cd".into()));
        assert!(room.to_json().starts_with(r#"{"type":"roomEdit","#));
        let past = PeerMessage::RoomPast { line, sig: "cd".into(), by: None };
        for message in [edit, room, past] {
            assert_eq!(PeerMessage::parse(&message.to_json()), Some(message));
        }
        // A plain line or roomLine edits nothing; an edit needs its id and its time.
        let plain = r#"{"time":"t","message":"m","name":"n","id":"1","edited":"u"}"#;
        let Some(PeerMessage::Line(plain)) = PeerMessage::parse(plain) else { panic!() };
        assert_eq!(plain.edited, None);
        for text in [
            r#"{"type":"edit","time":"t","message":"m","name":"n","id":"1"}"#,
            r#"{"type":"edit","time":"t","message":"m","name":"n","edited":"u"}"#,
            r#"{"type":"roomEdit","time":"t","message":"m","name":"n","id":"1"}"#,
        ] {
            assert_eq!(PeerMessage::parse(text), None, "{text}");
        }
    }

    #[test]
    fn file_channels_are_told_by_their_label() {
        assert_eq!(file_channel_label("f1"), "file:f1");
        assert_eq!(file_id_of_label("file:f1"), Some("f1"));
        assert_eq!(file_id_of_label(CHAT_CHANNEL_LABEL), None);
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
            r#"{"type":"hello"}"#,
            r#"{"type":"hello","features":"acks"}"#,
            r#"{"type":"call"}"#,
            r#"{"type":"fileOffer","id":"f","name":"a"}"#,
            r#"{"type":"fileOffer","id":"f","name":"a","size":-1}"#,
            r#"{"type":"fileAnswer","id":"f"}"#,
            r#"{"type":"fileDone","id":"f"}"#,
        ] {
            assert_eq!(PeerMessage::parse(text), None, "{text}");
        }
    }
}
