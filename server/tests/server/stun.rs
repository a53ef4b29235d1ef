//! The built-in STUN server through real UDP sockets. Requests are built and responses read
//! by hand here, byte by byte, not with the server's codec.

use crate::common::{start, TestServer};
use clap::Parser;
use natter_server::{Config, Sockets};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::net::UdpSocket;

/// How long a test waits for an answer that must come, or listens for one that must not.
const ANSWER_WAIT: Duration = Duration::from_secs(5);
const SILENCE: Duration = Duration::from_millis(200);

const COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];

/// A Binding request: header, then the given attributes (already padded).
fn binding_request(id: [u8; 12], attributes: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0x00, 0x01];
    bytes.extend((attributes.len() as u16).to_be_bytes());
    bytes.extend(COOKIE);
    bytes.extend(id);
    bytes.extend(attributes);
    bytes
}

/// A UDP client on the loopback address of the server's family.
async fn client(server: &TestServer) -> UdpSocket {
    let stun = server.stun.expect("STUN is on");
    let socket = UdpSocket::bind(SocketAddr::new(stun.ip(), 0)).await.unwrap();
    socket.connect(stun).await.unwrap();
    socket
}

async fn receive(socket: &UdpSocket, wait: Duration) -> Option<Vec<u8>> {
    let mut buffer = [0; 2048];
    let length = tokio::time::timeout(wait, socket.recv(&mut buffer)).await.ok()?.unwrap();
    Some(buffer[..length].to_vec())
}

/// Sends a bare request and checks the answer: a Binding success response with the same
/// transaction id and one XOR-MAPPED-ADDRESS, which names `socket`'s own address.
async fn assert_answered(socket: &UdpSocket, id: [u8; 12]) -> Vec<u8> {
    socket.send(&binding_request(id, &[])).await.unwrap();
    let response = receive(socket, ANSWER_WAIT).await.expect("an answer");
    assert_eq!(response[..2], [0x01, 0x01], "Binding success response");
    assert_eq!(usize::from(u16::from_be_bytes([response[2], response[3]])), response.len() - 20);
    assert_eq!(response[4..8], COOKIE);
    assert_eq!(response[8..20], id);
    assert_eq!(response[20..22], [0x00, 0x20], "XOR-MAPPED-ADDRESS");
    let value = &response[24..];
    assert_eq!(usize::from(u16::from_be_bytes([response[22], response[23]])), value.len());
    let port = u16::from_be_bytes([value[2], value[3]]) ^ 0x2112;
    let pad: Vec<u8> = COOKIE.iter().chain(&id).copied().collect();
    let ip: Vec<u8> = value[4..].iter().zip(pad).map(|(byte, pad)| byte ^ pad).collect();
    let ip = match value[1] {
        0x01 => IpAddr::from(<[u8; 4]>::try_from(ip).unwrap()),
        0x02 => IpAddr::from(<[u8; 16]>::try_from(ip).unwrap()),
        family => panic!("family {family}"),
    };
    assert_eq!(SocketAddr::new(ip, port), socket.local_addr().unwrap());
    response
}

#[tokio::test]
async fn a_bare_binding_request_learns_its_own_address() {
    // Chromium gathers server-reflexive candidates with exactly this: 20 bytes, no attribute.
    let server = start(&[]).await;
    let socket = client(&server).await;
    let response = assert_answered(&socket, *b"natter-stun1").await;
    assert_eq!(response.len(), 32, "header and XOR-MAPPED-ADDRESS, nothing more");
}

#[tokio::test]
async fn ipv6_clients_learn_their_ipv6_address() {
    let server = start(&["--bind", "::1"]).await;
    let socket = client(&server).await;
    let response = assert_answered(&socket, [6; 12]).await;
    assert_eq!(response.len(), 44);
}

#[tokio::test]
async fn optional_attributes_are_ignored_and_never_echoed() {
    let server = start(&[]).await;
    let socket = client(&server).await;
    // SOFTWARE "natter test" (11 bytes, padded to 12), then a 4-byte FINGERPRINT-typed
    // attribute: both comprehension-optional. USERNAME is one RFC 8489 defines.
    let mut attributes = vec![0x80, 0x22, 0x00, 0x0b];
    attributes.extend(b"natter test\0");
    attributes.extend([0x80, 0x28, 0x00, 0x04, 1, 2, 3, 4]);
    attributes.extend([0x00, 0x06, 0x00, 0x03, b'a', b':', b'b', 0]);
    socket.send(&binding_request([3; 12], &attributes)).await.unwrap();
    let response = receive(&socket, ANSWER_WAIT).await.expect("an answer");
    assert_eq!((response[..2].to_vec(), response.len()), (vec![0x01, 0x01], 32));
}

#[tokio::test]
async fn anything_else_gets_no_answer_and_the_server_goes_on() {
    let server = start(&[]).await;
    let socket = client(&server).await;
    let id = [5; 12];
    let good = binding_request(id, &[]);
    let with_type = |kind: [u8; 2]| [kind.as_slice(), &good[2..]].concat();
    let mut bad_length = good.clone();
    bad_length[3] = 4;
    let mut odd_length = binding_request(id, &[0x80, 0x22, 0x00, 0x01, b'x', 0, 0, 0]);
    odd_length[3] = 7;
    let mut bad_cookie = good.clone();
    bad_cookie[4] = 0x22;
    let datagrams: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x00],
        good[..19].to_vec(),
        bad_cookie,
        bad_length,
        odd_length,
        [good.as_slice(), &[0; 4]].concat(),
        with_type([0x01, 0x01]), // a success response
        with_type([0x01, 0x11]), // an error response
        with_type([0x00, 0x11]), // an indication
        with_type([0x00, 0x03]), // an Allocate request: this is no TURN server
        with_type([0x40, 0x01]), // a leading bit set
        // CHANGE-REQUEST (RFC 5780) is comprehension-required and not understood here.
        binding_request(id, &[0x00, 0x03, 0x00, 0x04, 0, 0, 0, 6]),
        // An attribute whose length runs past the message.
        binding_request(id, &[0x80, 0x22, 0x00, 0x08, 1, 2, 3, 4]),
        b"GET / HTTP/1.1\r\nHost: natter.example\r\n\r\n".to_vec(),
        binding_request(id, &vec![0x80; 2000]),
        (0..=255).collect(),
    ];
    for datagram in &datagrams {
        socket.send(datagram).await.unwrap();
        assert_eq!(receive(&socket, SILENCE).await, None, "answered {datagram:02x?}");
    }
    assert_answered(&socket, id).await;
}

#[tokio::test]
async fn a_flood_from_one_address_is_capped() {
    let server = start(&[]).await;
    let socket = client(&server).await;
    for i in 0..250u8 {
        socket.send(&binding_request([i; 12], &[])).await.unwrap();
        if i % 25 == 0 {
            // Pace a little, so loopback does not drop what the test counts.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let mut answers = 0;
    while receive(&socket, SILENCE).await.is_some() {
        answers += 1;
    }
    // A burst of 100, then 50 per second while the test sends.
    assert!((90..=120).contains(&answers), "{answers} answers to 250 requests");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_answered(&socket, [7; 12]).await;
}

#[tokio::test]
async fn stun_listens_on_the_http_port_number_by_default() {
    // The free TCP port's number may be taken on UDP; try a few.
    for _ in 0..5 {
        let config = Config::parse_from(["natter-server", "--bind", "127.0.0.1", "--port", "0"]);
        let Ok(sockets) = Sockets::bind(&config).await else { continue };
        let http = sockets.http.local_addr().unwrap();
        assert_eq!(sockets.stun.as_ref().unwrap().local_addr().unwrap(), http);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = tokio::spawn(natter_server::serve(config, sockets, async {
            let _ = stopped.await;
        }));
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        socket.connect(http).await.unwrap();
        assert_answered(&socket, [8; 12]).await;
        let _ = stop.send(());
        served.await.unwrap().unwrap();
        return;
    }
    panic!("no port was free on both TCP and UDP");
}

#[tokio::test]
async fn a_taken_stun_port_is_a_clear_error() {
    let taken = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let flags = ["natter-server", "--bind", "127.0.0.1", "--port", "0", "--stun-port", &port];
    let config = Config::parse_from(flags);
    let error = Sockets::bind(&config).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains(&format!("cannot bind UDP 127.0.0.1:{port} for STUN")), "{message}");
    assert!(message.contains("--stun-port") && message.contains("--no-stun"), "{message}");
}

#[tokio::test]
async fn no_stun_means_no_socket() {
    let server = start(&["--no-stun"]).await;
    assert_eq!(server.stun, None);
}

#[tokio::test]
async fn shutdown_stops_stun_and_frees_its_port() {
    let server = start(&[]).await;
    let stun = server.stun.unwrap();
    assert_answered(&client(&server).await, [9; 12]).await;
    server.stop().await;
    // The port is free again: the server's socket is closed.
    UdpSocket::bind(stun).await.unwrap();
}
