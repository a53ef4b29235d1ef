//! How a conversation's parts are written in the store: each message as its chat line's
//! JSON (the wire's own codec) beside a number of flags (and for a file, its offer's
//! JSON), and a conversation's state.

use js_sys::Array;
use natter_model::conversation::{Delivery, FileRef, Message};
use natter_protocol::{ChatLine, PeerMessage};
use wasm_bindgen::JsValue;

/// Flag bits beside the delivery mark's index (0 to 4).
const OUTGOING: u32 = 8;
const NOTICE: u32 = 16;
const MARKS: [Delivery; 5] =
    [Delivery::Queued, Delivery::Failed, Delivery::Sent, Delivery::Delivered, Delivery::Read];

/// A message as a record: `[line JSON, flags]`, and for a file `[line JSON, flags, offer
/// JSON]` (its name, size and type: the file itself is not kept).
pub fn message_record(message: &Message) -> JsValue {
    let line = PeerMessage::Line(ChatLine {
        time: message.time.clone(),
        message: message.text.clone(),
        name: message.from.clone(),
        id: Some(message.id.clone()),
    });
    let mark = MARKS.iter().position(|&d| d == message.delivery).unwrap_or_default() as u32;
    let flags = mark
        | if message.outgoing { OUTGOING } else { 0 }
        | if message.notice { NOTICE } else { 0 };
    let record = Array::of2(&line.to_json().into(), &flags.into());
    if let Some(file) = &message.file {
        let offer = PeerMessage::FileOffer {
            id: file.id.clone(),
            name: message.text.clone(),
            size: file.size,
            mime: file.mime.clone(),
        };
        record.push(&offer.to_json().into());
    }
    record.into()
}

/// The message `seq` from its record; `None` for a record this build cannot read.
pub fn message_from(seq: u64, record: &JsValue) -> Option<Message> {
    let record: &Array = wasm_bindgen::JsCast::dyn_ref(record)?;
    let Some(PeerMessage::Line(line)) = PeerMessage::parse(&record.get(0).as_string()?) else {
        return None;
    };
    let flags = record.get(1).as_f64()? as u32;
    let file = match record.get(2).as_string().and_then(|offer| PeerMessage::parse(&offer)) {
        Some(PeerMessage::FileOffer { id, size, mime, .. }) => Some(FileRef { id, size, mime }),
        _ => None,
    };
    Some(Message {
        seq,
        id: line.id?,
        from: line.name,
        text: line.message,
        time: line.time,
        outgoing: flags & OUTGOING != 0,
        delivery: *MARKS.get((flags & 7) as usize)?,
        notice: flags & NOTICE != 0,
        file,
    })
}

/// A conversation's own record: `[unread count, older messages let go (0 or 1)]`.
pub fn conversation_record(unread: usize, trimmed: bool) -> JsValue {
    Array::of2(&(unread as u32).into(), &u32::from(trimmed).into()).into()
}

/// The unread count and the trimmed mark from a conversation's record.
pub fn conversation_from(record: &JsValue) -> (usize, bool) {
    let Some(record) = wasm_bindgen::JsCast::dyn_ref::<Array>(record) else { return (0, false) };
    let unread = record.get(0).as_f64().unwrap_or_default() as usize;
    (unread, record.get(1).as_f64() == Some(1.0))
}
