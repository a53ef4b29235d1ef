//! How a conversation's parts are written in the store: each message as its chat line's
//! JSON (the wire's own codec) beside a number of flags, and a conversation's state.

use js_sys::Array;
use natter_model::call::CallKind;
use natter_model::conversation::{Delivery, FileRef, Message, Proof, Reactions, Recipients};
use natter_protocol::PeerMessage;
use wasm_bindgen::JsValue;

/// Flag bits beside the delivery mark's index (0 to 4).
const OUTGOING: u32 = 8;
const NOTICE: u32 = 16;
/// A missed call's line, and its kind.
const MISSED_VOICE: u32 = 32;
const MISSED_VIDEO: u32 = 64;
/// The record's third item is the reactions' text (`Reactions::encode`).
const REACTED: u32 = 128;
const MARKS: [Delivery; 5] =
    [Delivery::Queued, Delivery::Failed, Delivery::Sent, Delivery::Delivered, Delivery::Read];

/// A message as a record: `[line JSON, flags]` (a room line with its author's signature as
/// a `roomPast`, naming who relayed it if it is not verified), then for a line written to a
/// room the name and mark of each person it was for, in turn, and last for a file its
/// offer's JSON (its name, size and type: the file itself is not kept). Pairs before a single last item: an
/// odd length says there is an offer. With reactions (flag `REACTED`), their text comes
/// before the pairs.
pub fn message_record(message: &Message) -> JsValue {
    let line = match &message.sig {
        Some(sig) => PeerMessage::RoomPast {
            line: message.line(),
            sig: sig.clone(),
            by: message.proof.relayer().map(str::to_owned),
        },
        None => PeerMessage::Line(message.line()),
    };
    let flags = mark_index(message.delivery)
        | if message.outgoing { OUTGOING } else { 0 }
        | if message.notice { NOTICE } else { 0 }
        | match message.missed_call {
            Some(CallKind::Voice) => MISSED_VOICE,
            Some(CallKind::Video) => MISSED_VIDEO,
            None => 0,
        }
        | if message.reactions.is_empty() { 0 } else { REACTED };
    let record = Array::of2(&line.to_json().into(), &flags.into());
    if flags & REACTED != 0 {
        record.push(&message.reactions.encode().into());
    }
    for (name, delivery) in message.recipients.each() {
        record.push(&name.into());
        record.push(&mark_index(delivery).into());
    }
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

fn mark_index(delivery: Delivery) -> u32 {
    MARKS.iter().position(|&d| d == delivery).unwrap_or_default() as u32
}

/// The message `seq` from its record; `None` for a record this build cannot read.
pub fn message_from(seq: u64, record: &JsValue) -> Option<Message> {
    let record: &Array = wasm_bindgen::JsCast::dyn_ref(record)?;
    let (line, sig, by) = match PeerMessage::parse(&record.get(0).as_string()?)? {
        PeerMessage::Line(line) => (line, None, None),
        PeerMessage::RoomPast { line, sig, by } => (line, Some(sig), by),
        _ => return None,
    };
    let flags = record.get(1).as_f64()? as u32;
    let reacted = flags & REACTED != 0;
    let reactions = match reacted {
        true => Reactions::decode(&record.get(2).as_string()?),
        false => Reactions::default(),
    };
    let pairs_start = 2 + u32::from(reacted);
    let pairs_end = pairs_start + (record.length().saturating_sub(pairs_start) & !1);
    let mut recipients = Vec::new();
    for at in (pairs_start..pairs_end).step_by(2) {
        let mark = *MARKS.get(record.get(at + 1).as_f64()? as usize)?;
        recipients.push((record.get(at).as_string()?, mark));
    }
    let offer = record.get(pairs_end).as_string().and_then(|offer| PeerMessage::parse(&offer));
    let file = match offer {
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
        recipients: Recipients::restore(recipients),
        file,
        missed_call: match flags & (MISSED_VOICE | MISSED_VIDEO) {
            MISSED_VOICE => Some(CallKind::Voice),
            MISSED_VIDEO => Some(CallKind::Video),
            _ => None,
        },
        reply_to: line.reply_to,
        edited: line.edited,
        reactions,
        sig,
        // A check under way when the page went is made anew once the author's key comes.
        proof: by.map_or(Proof::Authentic, Proof::Unverified),
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
