//! The built-in STUN server: answers Binding requests with the address they came from, so
//! browsers learn their public address (server-reflexive candidates) without a third party.
//!
//! Anyone can forge a UDP source address, so a server that answers strangers is a
//! reflector. What bounds this one:
//!
//! - **Minimal answers.** A success response carries XOR-MAPPED-ADDRESS and nothing else:
//!   32 bytes for an IPv4 source, 44 for IPv6. Requests are at least 20 bytes, so an answer
//!   is at most 24 bytes (2.2 times) larger than what provoked it; counting the IP and UDP
//!   headers, 60 bytes for 48 (IPv4) and 92 for 68 (IPv6), 1.35 times at most. It cannot be
//!   "never larger than the request": Chromium gathers its server-reflexive candidates with
//!   bare 20-byte requests (libwebrtc's `StunBindingRequest` has no attribute), and no
//!   answer fits in 20 bytes. So no optional attribute (SOFTWARE, FINGERPRINT) is ever
//!   added, and a datagram is answered by at most one datagram.
//! - **A budget per source address** ([`AddressBuckets`]): what one address, say a forged
//!   victim's, can receive is capped whatever the sender does.
//! - **Silence otherwise.** Anything but a well-formed Binding request (responses,
//!   indications, other methods, unknown comprehension-required attributes, bad cookie or
//!   length) is dropped, where RFC 8489 would send a 400 or 420 error: an error is a
//!   reflection too. A response is never a request, so two such servers cannot be set to
//!   answer each other forever.

use crate::limits::AddressBuckets;
use crate::stun::{self, Attribute, Class, Message, BINDING, XOR_MAPPED_ADDRESS};
use std::net::SocketAddr;
use std::time::Instant;
use tokio::net::UdpSocket;
use tokio::sync::watch;
use tracing::debug;

/// Longest datagram read. A Binding request is 20 bytes plus a few attributes; a longer
/// datagram is no request of ours, and reading it whole would cost more than it is worth.
const MAX_DATAGRAM: usize = 1280;

/// Answers one source address may get at once, then per second, then how many addresses
/// are tracked (bounded memory, under 2 MiB). Browsers send one request per STUN server
/// and network interface when a connection gathers, then one every 10 s while it lives,
/// so even a large office behind one NAT stays well under this; a forged victim gets at
/// most about 4.6 KB/s.
const BURST_PER_ADDRESS: u32 = 100;
const ANSWERS_PER_SEC_PER_ADDRESS: u32 = 50;
const MAX_ADDRESSES: usize = 16_384;

/// Comprehension-required attributes RFC 8489 defines, in any request: MAPPED-ADDRESS,
/// USERNAME, MESSAGE-INTEGRITY, ERROR-CODE, UNKNOWN-ATTRIBUTES, REALM, NONCE,
/// MESSAGE-INTEGRITY-SHA256, PASSWORD-ALGORITHM, USERHASH, XOR-MAPPED-ADDRESS. None calls
/// for any action here (this server asks no credentials). Any other, such as RFC 5780's
/// CHANGE-REQUEST that it cannot honour, drops the request.
const UNDERSTOOD: [u16; 11] =
    [0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020];

/// The answer to one datagram from `source`, or `None` to stay silent. Work is bounded by
/// the datagram's length.
pub fn answer(datagram: &[u8], source: SocketAddr) -> Option<Vec<u8>> {
    let request = Message::decode(datagram)?;
    if request.class != Class::Request || request.method != BINDING {
        return None;
    }
    let unknown = |a: &Attribute| a.comprehension_required() && !UNDERSTOOD.contains(&a.kind);
    if request.attributes.iter().any(unknown) {
        return None;
    }
    // A dual-stack socket sees IPv4 clients as ::ffff:a.b.c.d; they need their IPv4 address.
    let mapped = SocketAddr::new(source.ip().to_canonical(), source.port());
    let value = stun::xor_address(mapped, &request.transaction_id);
    let response = Message {
        class: Class::Success,
        method: BINDING,
        transaction_id: request.transaction_id,
        attributes: vec![Attribute { kind: XOR_MAPPED_ADDRESS, value: &value }],
    };
    Some(response.encode())
}

/// Answers datagrams on `socket` until `shutdown` changes.
pub(crate) async fn run(socket: UdpSocket, mut shutdown: watch::Receiver<bool>) {
    let mut budget =
        AddressBuckets::new(BURST_PER_ADDRESS, ANSWERS_PER_SEC_PER_ADDRESS, MAX_ADDRESSES);
    // One byte more than the limit, to tell a datagram that fits from one cut short.
    let mut buffer = vec![0; MAX_DATAGRAM + 1];
    loop {
        let (length, source) = tokio::select! {
            _ = shutdown.changed() => return,
            received = socket.recv_from(&mut buffer) => match received {
                Ok(received) => received,
                // Such as an ICMP error reported for an earlier answer: not this socket's end.
                Err(error) => {
                    debug!(%error, "STUN receive failed");
                    continue;
                }
            },
        };
        if length > MAX_DATAGRAM {
            continue;
        }
        let Some(response) = answer(&buffer[..length], source) else { continue };
        if !budget.take(source.ip(), Instant::now()) {
            continue;
        }
        // Never wait for room in the socket's buffer: an answer that cannot go now is
        // dropped, like a lost datagram, and the client retransmits.
        if let Err(error) = socket.try_send_to(&response, source) {
            debug!(%error, %source, "STUN answer not sent");
        }
    }
}
