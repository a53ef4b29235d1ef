//! WebSocket frames (RFC 6455) as the server sees them: client frames parsed and unmasked
//! in place in a read buffer, and the headers of the server's own (unmasked) frames.

use std::ops::Range;

/// A frame's kind (RFC 6455 section 5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpCode {
    Continuation,
    Text,
    Binary,
    Close,
    Ping,
    Pong,
}

impl OpCode {
    fn of(bits: u8) -> Option<Self> {
        Some(match bits {
            0x0 => Self::Continuation,
            0x1 => Self::Text,
            0x2 => Self::Binary,
            0x8 => Self::Close,
            0x9 => Self::Ping,
            0xA => Self::Pong,
            _ => return None,
        })
    }

    fn bits(self) -> u8 {
        match self {
            Self::Continuation => 0x0,
            Self::Text => 0x1,
            Self::Binary => 0x2,
            Self::Close => 0x8,
            Self::Ping => 0x9,
            Self::Pong => 0xA,
        }
    }

    pub fn is_control(self) -> bool {
        matches!(self, Self::Close | Self::Ping | Self::Pong)
    }
}

/// One whole client frame at the start of the buffer, unmasked there.
#[derive(Debug)]
pub struct Frame {
    pub fin: bool,
    pub opcode: OpCode,
    /// Where its payload is in the buffer.
    pub payload: Range<usize>,
}

/// Why the bytes read are no frame the server takes.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Longer than the largest message taken: refused before it is buffered.
    TooLarge,
    /// Not a valid client frame (unmasked, reserved bits or opcodes, a long control frame).
    Invalid,
}

/// What [`take`] needs before it can say more: a header's worth of bytes, or the frame's.
#[derive(Debug, PartialEq, Eq)]
pub struct Incomplete {
    /// Bytes the whole frame takes, when its header is in the buffer.
    pub frame_len: Option<usize>,
}

/// The first frame of `buffer` if it is all there, its payload unmasked in place (the frame
/// ends where the payload does). Frames longer than `max` bytes of payload are refused as
/// soon as their header is read.
pub fn take(buffer: &mut [u8], max: usize) -> Result<Result<Frame, Incomplete>, Unreadable> {
    let Some((header_len, payload_len, first)) = header(buffer)? else {
        return Ok(Err(Incomplete { frame_len: None }));
    };
    if payload_len > max as u64 {
        return Err(Unreadable::TooLarge);
    }
    let opcode = OpCode::of(first & 0x0F).ok_or(Unreadable::Invalid)?;
    let fin = first & 0x80 != 0;
    if opcode.is_control() && (!fin || payload_len > 125) {
        return Err(Unreadable::Invalid);
    }
    let frame_len = header_len + payload_len as usize;
    if buffer.len() < frame_len {
        return Ok(Err(Incomplete { frame_len: Some(frame_len) }));
    }
    let mask: [u8; 4] = buffer[header_len - 4..header_len].try_into().expect("four bytes");
    unmask(&mut buffer[header_len..frame_len], mask);
    Ok(Ok(Frame { fin, opcode, payload: header_len..frame_len }))
}

/// The header's length, the payload's, and its first byte, once all of it is buffered.
fn header(buffer: &[u8]) -> Result<Option<(usize, u64, u8)>, Unreadable> {
    let [first, second, ..] = *buffer else { return Ok(None) };
    // Reserved bits are for extensions, and none was agreed; a client always masks.
    if first & 0x70 != 0 || second & 0x80 == 0 {
        return Err(Unreadable::Invalid);
    }
    let (extended, payload_len) = match second & 0x7F {
        126 => match buffer.get(2..4) {
            Some(bytes) => (2, u64::from(u16::from_be_bytes(bytes.try_into().expect("2")))),
            None => return Ok(None),
        },
        127 => match buffer.get(2..10) {
            Some(bytes) => (8, u64::from_be_bytes(bytes.try_into().expect("8"))),
            None => return Ok(None),
        },
        short => (0, u64::from(short)),
    };
    let header_len = 2 + extended + 4;
    Ok((buffer.len() >= header_len).then_some((header_len, payload_len, first)))
}

fn unmask(payload: &mut [u8], mask: [u8; 4]) {
    // Eight bytes at a time: the compiler turns this into wide XORs.
    let wide = u64::from_ne_bytes([mask, mask].concat().try_into().expect("eight bytes"));
    let mut chunks = payload.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes((&*chunk).try_into().expect("eight bytes")) ^ wide;
        chunk.copy_from_slice(&word.to_ne_bytes());
    }
    for (byte, key) in chunks.into_remainder().iter_mut().zip(mask.iter().cycle()) {
        *byte ^= key;
    }
}

/// The header of a final, unmasked server frame of `payload_len` bytes: the buffer and how
/// much of it is the header.
pub fn server_header(opcode: OpCode, payload_len: usize) -> ([u8; 10], usize) {
    let mut header = [0u8; 10];
    header[0] = 0x80 | opcode.bits();
    let len = match payload_len {
        0..=125 => {
            header[1] = payload_len as u8;
            2
        }
        126..=0xFFFF => {
            header[1] = 126;
            header[2..4].copy_from_slice(&(payload_len as u16).to_be_bytes());
            4
        }
        _ => {
            header[1] = 127;
            header[2..10].copy_from_slice(&(payload_len as u64).to_be_bytes());
            10
        }
    };
    (header, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A masked client frame, as a browser sends it.
    fn client_frame(first: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
        let mut frame = vec![first];
        match payload.len() {
            0..=125 => frame.push(0x80 | payload.len() as u8),
            126..=0xFFFF => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(payload.len() as u16).to_be_bytes());
            }
            _ => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(payload.len() as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().zip(mask.iter().cycle()).map(|(b, k)| b ^ k));
        frame
    }

    #[test]
    fn frames_of_every_length_form_come_out_whole_and_unmasked() {
        for len in [0, 5, 125, 126, 579, 65_535, 65_536, 70_000] {
            let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let bytes = client_frame(0x81, &payload, [1, 2, 3, 4]);
            let mut buffer = bytes.clone();
            let short = bytes.len() - 1;
            let missing = take(&mut buffer[..short], 100_000).unwrap().unwrap_err();
            // Without a payload, what is missing is the header's last byte.
            let known = (len > 0).then_some(bytes.len());
            assert_eq!(missing.frame_len, known, "length {len}");
            let frame = take(&mut buffer, 100_000).unwrap().unwrap();
            assert!(frame.fin && frame.opcode == OpCode::Text);
            assert_eq!(frame.payload.end, bytes.len());
            assert_eq!(&buffer[frame.payload], &payload[..], "length {len}");
        }
    }

    #[test]
    fn a_partial_header_waits_and_two_frames_come_out_in_turn() {
        let mut bytes = client_frame(0x01, b"hel", [9, 8, 7, 6]);
        bytes.extend(client_frame(0x80, b"lo", [5, 5, 5, 5]));
        let mut buffer = bytes.clone();
        let incomplete = take(&mut buffer[..1], 10).unwrap().unwrap_err();
        assert_eq!(incomplete, Incomplete { frame_len: None });
        let first = take(&mut buffer, 10).unwrap().unwrap();
        assert!(!first.fin && first.opcode == OpCode::Text);
        assert_eq!(&buffer[first.payload.clone()], b"hel");
        let rest = &mut buffer[first.payload.end..];
        let second = take(rest, 10).unwrap().unwrap();
        assert!(second.fin && second.opcode == OpCode::Continuation);
        assert_eq!(&rest[second.payload], b"lo");
    }

    #[test]
    fn oversized_unmasked_and_odd_frames_are_refused() {
        let huge = &mut client_frame(0x81, &[0; 11], [0; 4])[..6];
        assert_eq!(take(huge, 10).unwrap_err(), Unreadable::TooLarge);
        assert_eq!(take(&mut [0x81, 0x01, b'x'], 10).unwrap_err(), Unreadable::Invalid);
        for first in [0xC1, 0x83, 0x09] {
            // A reserved bit, a reserved opcode, a fragmented ping.
            let odd = &mut client_frame(first, b"x", [0; 4]);
            assert_eq!(take(odd, 10).unwrap_err(), Unreadable::Invalid, "{first:#x}");
        }
    }

    #[test]
    fn server_headers_use_the_shortest_length_form() {
        assert_eq!(server_header(OpCode::Text, 5), ([0x81, 5, 0, 0, 0, 0, 0, 0, 0, 0], 2));
        assert_eq!(server_header(OpCode::Ping, 0).0[..2], [0x89, 0]);
        assert_eq!(server_header(OpCode::Text, 579).0[..4], [0x81, 126, 0x02, 0x43]);
        let (long, len) = server_header(OpCode::Close, 70_000);
        assert_eq!((long[..2].to_vec(), len), (vec![0x88, 127], 10));
        assert_eq!(long[2..10], 70_000u64.to_be_bytes());
    }
}
