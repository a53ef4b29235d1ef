//! Property tests of the STUN codec and of the built-in server's answers: nothing panics,
//! what is written reads back, and no answer is larger than the rule allows.

use natter_server::stun::{
    read_xor_address, Attribute, Class, Message, BINDING, HEADER_BYTES, XOR_MAPPED_ADDRESS,
};
use natter_server::stun_server::answer;
use proptest::prelude::*;
use std::net::SocketAddr;

/// The largest answer: header and XOR-MAPPED-ADDRESS for an IPv6 address (20 + 4 + 20).
const LARGEST_ANSWER: usize = 44;

fn class() -> impl Strategy<Value = Class> {
    prop_oneof![
        Just(Class::Request),
        Just(Class::Indication),
        Just(Class::Success),
        Just(Class::Error)
    ]
}

/// Attribute types and values, values of every length modulo 4.
fn attributes(kinds: impl Strategy<Value = u16>) -> impl Strategy<Value = Vec<(u16, Vec<u8>)>> {
    prop::collection::vec((kinds, prop::collection::vec(any::<u8>(), 0..40)), 0..6)
}

fn message(
    class: Class,
    method: u16,
    transaction_id: [u8; 12],
    attributes: &[(u16, Vec<u8>)],
) -> Message<'_> {
    let attributes =
        attributes.iter().map(|(kind, value)| Attribute { kind: *kind, value }).collect();
    Message { class, method, transaction_id, attributes }
}

/// Checks the rule of `stun_server`: an answer is a Binding success response carrying one
/// XOR-MAPPED-ADDRESS, never larger than the datagram unless the datagram is smaller than
/// the smallest answer, and then by at most 24 bytes.
fn check_answer(datagram: &[u8], source: SocketAddr) -> Result<bool, TestCaseError> {
    let Some(response) = answer(datagram, source) else { return Ok(false) };
    prop_assert!(response.len() <= datagram.len().max(LARGEST_ANSWER));
    prop_assert!(response.len() <= datagram.len() + 24);
    let parsed = Message::decode(&response).expect("an answer is a well-formed message");
    prop_assert_eq!((parsed.class, parsed.method), (Class::Success, BINDING));
    prop_assert_eq!(parsed.attributes.len(), 1);
    let value = parsed.attribute(XOR_MAPPED_ADDRESS).expect("XOR-MAPPED-ADDRESS");
    let mapped = read_xor_address(value, &parsed.transaction_id);
    prop_assert_eq!(mapped, Some(SocketAddr::new(source.ip().to_canonical(), source.port())));
    prop_assert_eq!(&response[8..20], &datagram[8..20], "the request's transaction id");
    Ok(true)
}

proptest! {
    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        source: SocketAddr,
    ) {
        let _ = Message::decode(&bytes);
        check_answer(&bytes, source)?;
    }

    #[test]
    fn a_valid_message_round_trips(
        class in class(),
        method in 0..0x1000u16,
        transaction_id: [u8; 12],
        attributes in attributes(any::<u16>()),
    ) {
        let message = message(class, method, transaction_id, &attributes);
        let bytes = message.encode();
        let padded: usize = attributes.iter().map(|(_, v)| 4 + v.len().next_multiple_of(4)).sum();
        prop_assert_eq!(bytes.len(), HEADER_BYTES + padded);
        prop_assert_eq!(Message::decode(&bytes), Some(message));
    }

    #[test]
    fn a_binding_request_is_answered_with_its_source(
        transaction_id: [u8; 12],
        // Comprehension-optional attributes (SOFTWARE, FINGERPRINT, ...) change nothing.
        attributes in attributes(0x8000..=0xFFFFu16),
        source: SocketAddr,
    ) {
        let request = message(Class::Request, BINDING, transaction_id, &attributes).encode();
        prop_assert!(check_answer(&request, source)?, "not answered");
    }

    #[test]
    fn only_binding_requests_are_answered(
        class in class(),
        method in 0..0x1000u16,
        transaction_id: [u8; 12],
        source: SocketAddr,
    ) {
        prop_assume!((class, method) != (Class::Request, BINDING));
        let datagram = message(class, method, transaction_id, &[]).encode();
        prop_assert!(!check_answer(&datagram, source)?);
    }

    #[test]
    fn unknown_comprehension_required_attributes_are_refused(
        kind in 0x0021..0x8000u16,
        value in prop::collection::vec(any::<u8>(), 0..16),
        source: SocketAddr,
    ) {
        // 0x0021 up: past every comprehension-required attribute RFC 8489 defines.
        let attributes = [(kind, value)];
        let request = message(Class::Request, BINDING, [1; 12], &attributes).encode();
        prop_assert!(!check_answer(&request, source)?);
    }

    #[test]
    fn damaged_requests_never_panic(
        attributes in attributes(any::<u16>()),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        source: SocketAddr,
    ) {
        let mut bytes = message(Class::Request, BINDING, [2; 12], &attributes).encode();
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        check_answer(&bytes, source)?;
    }
}
