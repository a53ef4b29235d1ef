//! STUN messages (RFC 8489): the 20-byte header and the attribute list, read and written.
//!
//! Reading checks all that the wire format fixes: the two leading zero bits, the magic
//! cookie, a length that is a multiple of 4 and matches the datagram, and attributes that
//! fill the body exactly. What a message means is for the caller (`stun_server`) to decide.

use std::net::{IpAddr, SocketAddr};

/// Present in every RFC 5389/8489 message. RFC 3489's classic STUN has none and is not read.
pub const MAGIC_COOKIE: u32 = 0x2112_A442;

/// Type, length, magic cookie and transaction id.
pub const HEADER_BYTES: usize = 20;

/// The Binding method, the only one RFC 8489 defines.
pub const BINDING: u16 = 0x001;

/// The XOR-MAPPED-ADDRESS attribute: the address the server saw the request come from.
pub const XOR_MAPPED_ADDRESS: u16 = 0x0020;

/// Attribute types below this must be understood by the reader (comprehension-required).
const COMPREHENSION_OPTIONAL: u16 = 0x8000;

const FAMILY_IPV4: u8 = 0x01;
const FAMILY_IPV6: u8 = 0x02;

/// The 96-bit id that ties a response to its request.
pub type TransactionId = [u8; 12];

/// The class bits of the message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Asks for a response.
    Request,
    /// Expects no response.
    Indication,
    /// A success response.
    Success,
    /// An error response.
    Error,
}

/// One type-length-value attribute; `value` excludes the padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The attribute type.
    pub kind: u16,
    /// The value, at most 65 535 bytes.
    pub value: &'a [u8],
}

impl Attribute<'_> {
    /// Whether a reader that does not know this type must refuse the message.
    pub fn comprehension_required(&self) -> bool {
        self.kind < COMPREHENSION_OPTIONAL
    }
}

/// A STUN message whose attributes borrow from the datagram they were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    /// Request, indication or response.
    pub class: Class,
    /// The method, 12 bits (0x000 to 0xFFF).
    pub method: u16,
    /// Chosen by the requester, echoed in the response.
    pub transaction_id: TransactionId,
    /// In wire order.
    pub attributes: Vec<Attribute<'a>>,
}

impl<'a> Message<'a> {
    /// Reads one datagram; `None` unless it is exactly one well-formed STUN message.
    pub fn decode(datagram: &'a [u8]) -> Option<Self> {
        let (header, mut body) = datagram.split_first_chunk::<HEADER_BYTES>()?;
        let kind = u16::from_be_bytes([header[0], header[1]]);
        let length = usize::from(u16::from_be_bytes([header[2], header[3]]));
        let cookie = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        if kind & 0xC000 != 0 || cookie != MAGIC_COOKIE || length % 4 != 0 || length != body.len() {
            return None;
        }
        let mut attributes = Vec::new();
        while let Some((tl, rest)) = body.split_first_chunk::<4>() {
            let value_length = usize::from(u16::from_be_bytes([tl[2], tl[3]]));
            let padded = value_length.next_multiple_of(4);
            if rest.len() < padded {
                return None;
            }
            let kind = u16::from_be_bytes([tl[0], tl[1]]);
            attributes.push(Attribute { kind, value: &rest[..value_length] });
            body = &rest[padded..];
        }
        // The length is a multiple of 4 and so is every attribute: nothing can be left over.
        let (method, class) = split_type(kind);
        let transaction_id = header[8..].try_into().expect("12 bytes after the cookie");
        Some(Message { class, method, transaction_id, attributes })
    }

    /// The datagram for this message, each attribute padded with zeros to 4 bytes.
    ///
    /// # Panics
    /// If the method has more than 12 bits, a value is longer than 65 535 bytes, or the
    /// whole body is: such a message cannot be written.
    pub fn encode(&self) -> Vec<u8> {
        let body: usize =
            self.attributes.iter().map(|a| 4 + a.value.len().next_multiple_of(4)).sum();
        let length = u16::try_from(body).expect("a STUN body fits in 65 535 bytes");
        let mut out = Vec::with_capacity(HEADER_BYTES + body);
        out.extend_from_slice(&join_type(self.method, self.class).to_be_bytes());
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        out.extend_from_slice(&self.transaction_id);
        for attribute in &self.attributes {
            let value_length = u16::try_from(attribute.value.len()).expect("a short value");
            out.extend_from_slice(&attribute.kind.to_be_bytes());
            out.extend_from_slice(&value_length.to_be_bytes());
            out.extend_from_slice(attribute.value);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        out
    }

    /// The value of the first attribute of type `kind`.
    pub fn attribute(&self, kind: u16) -> Option<&'a [u8]> {
        self.attributes.iter().find(|a| a.kind == kind).map(|a| a.value)
    }
}

/// The message type's 14 bits interleave the method (M0-M11) and the class (C0, C1):
/// `M11..M7 C1 M6..M4 C0 M3..M0`.
fn split_type(kind: u16) -> (u16, Class) {
    let method = (kind & 0x000F) | ((kind >> 1) & 0x0070) | ((kind >> 2) & 0x0F80);
    let class = match ((kind >> 7) & 0b10) | ((kind >> 4) & 0b01) {
        0b00 => Class::Request,
        0b01 => Class::Indication,
        0b10 => Class::Success,
        _ => Class::Error,
    };
    (method, class)
}

fn join_type(method: u16, class: Class) -> u16 {
    assert!(method <= 0x0FFF, "a STUN method has 12 bits");
    let class_bits = match class {
        Class::Request => 0x0000,
        Class::Indication => 0x0010,
        Class::Success => 0x0100,
        Class::Error => 0x0110,
    };
    (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | class_bits
}

/// The value of an XOR-MAPPED-ADDRESS naming `address`: 8 bytes for IPv4, 20 for IPv6.
/// The port and address are XORed with the cookie (and, for IPv6, the transaction id) so
/// that NATs which rewrite addresses they find in payloads leave it alone.
pub fn xor_address(address: SocketAddr, transaction_id: &TransactionId) -> Vec<u8> {
    let port = address.port() ^ (MAGIC_COOKIE >> 16) as u16;
    let (family, ip) = match address.ip() {
        IpAddr::V4(ip) => (FAMILY_IPV4, ip.octets().to_vec()),
        IpAddr::V6(ip) => (FAMILY_IPV6, ip.octets().to_vec()),
    };
    let mut value = vec![0, family];
    value.extend_from_slice(&port.to_be_bytes());
    value.extend(ip.iter().zip(xor_pad(transaction_id)).map(|(byte, pad)| byte ^ pad));
    value
}

/// Reads an XOR-MAPPED-ADDRESS value back; `None` if it is not one.
pub fn read_xor_address(value: &[u8], transaction_id: &TransactionId) -> Option<SocketAddr> {
    let (head, ip) = value.split_first_chunk::<4>()?;
    let port = u16::from_be_bytes([head[2], head[3]]) ^ (MAGIC_COOKIE >> 16) as u16;
    let mut plain = xor_pad(transaction_id);
    plain.iter_mut().zip(ip).for_each(|(pad, byte)| *pad ^= byte);
    let ip = match (head[1], ip.len()) {
        (FAMILY_IPV4, 4) => {
            let [a, b, c, d, ..] = plain;
            IpAddr::from([a, b, c, d])
        }
        (FAMILY_IPV6, 16) => IpAddr::from(plain),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// The magic cookie then the transaction id: what an address is XORed with.
fn xor_pad(transaction_id: &TransactionId) -> [u8; 16] {
    let mut pad = [0; 16];
    pad[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    pad[4..].copy_from_slice(transaction_id);
    pad
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The transaction id of RFC 5769's sample responses (sections 2.2 and 2.3).
    const RFC5769_ID: TransactionId =
        [0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae];

    #[test]
    fn xor_addresses_match_rfc_5769() {
        let v4: SocketAddr = "192.0.2.1:32853".parse().unwrap();
        let v4_value = [0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43];
        assert_eq!(xor_address(v4, &RFC5769_ID), v4_value);
        assert_eq!(read_xor_address(&v4_value, &RFC5769_ID), Some(v4));

        let v6: SocketAddr = "[2001:db8:1234:5678:11:2233:4455:6677]:32853".parse().unwrap();
        let v6_value = [
            0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25,
            0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
        ];
        assert_eq!(xor_address(v6, &RFC5769_ID), v6_value);
        assert_eq!(read_xor_address(&v6_value, &RFC5769_ID), Some(v6));
    }

    #[test]
    fn a_bare_binding_request_is_twenty_bytes() {
        let request = Message {
            class: Class::Request,
            method: BINDING,
            transaction_id: RFC5769_ID,
            attributes: vec![],
        };
        let bytes = request.encode();
        assert_eq!(bytes[..8], [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]);
        assert_eq!(bytes.len(), HEADER_BYTES);
        assert_eq!(Message::decode(&bytes), Some(request));
    }

    #[test]
    fn message_types_interleave_class_and_method() {
        assert_eq!(join_type(BINDING, Class::Success), 0x0101);
        assert_eq!(join_type(BINDING, Class::Error), 0x0111);
        assert_eq!(join_type(BINDING, Class::Indication), 0x0011);
        assert_eq!(join_type(0x0FFF, Class::Request), 0x3EEF);
        assert_eq!(split_type(0x3EEF), (0x0FFF, Class::Request));
    }

    #[test]
    fn padding_is_written_and_skipped() {
        let value = [1, 2, 3, 4, 5];
        let message = Message {
            class: Class::Indication,
            method: BINDING,
            transaction_id: [7; 12],
            attributes: vec![Attribute { kind: 0x8022, value: &value }],
        };
        let bytes = message.encode();
        assert_eq!(bytes.len(), HEADER_BYTES + 4 + 8);
        assert_eq!(bytes[HEADER_BYTES + 9..], [0, 0, 0]);
        assert_eq!(Message::decode(&bytes), Some(message));
    }

    #[test]
    fn malformed_datagrams_are_refused() {
        let good = Message {
            class: Class::Request,
            method: BINDING,
            transaction_id: [9; 12],
            attributes: vec![Attribute { kind: 0x8022, value: b"abcd" }],
        }
        .encode();
        assert!(Message::decode(&good).is_some());
        let accepted = |edit: fn(&mut Vec<u8>)| {
            let mut bytes = good.clone();
            edit(&mut bytes);
            Message::decode(&bytes).is_some()
        };
        assert!(!accepted(|b| b.truncate(19)));
        assert!(!accepted(|b| b[0] |= 0x80), "leading bits");
        assert!(!accepted(|b| b[7] ^= 1), "magic cookie");
        assert!(!accepted(|b| b[3] += 4), "length past the datagram");
        assert!(!accepted(|b| b[3] -= 1), "length not a multiple of 4");
        assert!(!accepted(|b| b.extend([0; 4])), "bytes after the message");
        assert!(!accepted(|b| b[HEADER_BYTES + 3] = 5), "attribute past the body");
    }
}
