//! What a room line's author signs (docs/protocol.md, 7.10): the bytes a member who passes
//! the line on to a newcomer cannot change without the newcomer noticing, and the hex the
//! keys and signatures travel in.

use natter_protocol::ChatLine;

/// Most of the room's lines a member passes on to a newcomer, and takes from each member.
pub const MAX_PAST_LINES: usize = 200;

/// Says what the bytes are, so that a signature over them is good for nothing else.
const DOMAIN: &[u8] = b"natter room line 1\n";
/// The same for an edit (or deletion) of a line: a line's signature proves no edit.
const EDIT_DOMAIN: &[u8] = b"natter room edit 1\n";

/// The bytes the author of `line` signs in `room` (empty for the lobby): [`DOMAIN`], then
/// the room (ASCII letters in lower case: one room, however its link spells it), the
/// author's name, the id, the time and the text, and for a reply the id it answers, each
/// as its UTF-8 length (4 bytes, big endian) and its bytes. A line copied into another
/// room, or under another name, fails. An edit signs [`EDIT_DOMAIN`] and the same fields
/// with the time of the edit after the text (empty for a deletion).
pub fn signed_bytes(room: &str, line: &ChatLine) -> Vec<u8> {
    let room = room.to_ascii_lowercase();
    let id = line.id.as_deref().unwrap_or_default();
    let fields = [room.as_str(), &line.name, id, &line.time, &line.message];
    let mut bytes = if line.edited.is_some() { EDIT_DOMAIN } else { DOMAIN }.to_vec();
    let optional = line.edited.as_deref().into_iter().chain(line.reply_to.as_deref());
    for field in fields.into_iter().chain(optional) {
        bytes.extend_from_slice(&(field.len() as u32).to_be_bytes());
        bytes.extend_from_slice(field.as_bytes());
    }
    bytes
}

/// `bytes` as lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(DIGITS[usize::from(byte >> 4)] as char);
        hex.push(DIGITS[usize::from(byte & 15)] as char);
    }
    hex
}

/// The bytes of lowercase or uppercase hex, `None` for anything else.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    let nibble = |digit: u8| char::from(digit).to_digit(16);
    let mut bytes = Vec::with_capacity(digits.len() / 2);
    for pair in digits.chunks(2) {
        let [high, low] = pair else { return None };
        bytes.push((nibble(*high)? << 4 | nibble(*low)?) as u8);
    }
    Some(bytes)
}
