//! Identities from SDP fingerprints, and safety codes.

use natter_model::identity::{fingerprint_bytes, fingerprint_from_sdp, safety_code, Recognition};

const FINGERPRINT: &str = "7B:8A:C2:01:10:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC";

#[test]
fn the_sha_256_fingerprint_is_read_from_the_sdp() {
    let sdp = format!(
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-1 AA:BB\r\na=fingerprint:sha-256 {}\r\n",
        FINGERPRINT.to_lowercase()
    );
    assert_eq!(fingerprint_from_sdp(&sdp).as_deref(), Some(FINGERPRINT));
    assert_eq!(fingerprint_from_sdp("v=0\r\na=fingerprint:sha-256 ZZ:11\r\n"), None);
    assert_eq!(fingerprint_from_sdp("v=0\r\n"), None);
}

#[test]
fn fingerprints_spell_their_bytes() {
    let bytes = fingerprint_bytes(FINGERPRINT).unwrap();
    assert_eq!((bytes.len(), bytes[0], bytes[31]), (32, 0x7b, 0xcc));
    assert_eq!(fingerprint_bytes("7B:8A"), None, "too short");
    assert_eq!(fingerprint_bytes(&FINGERPRINT.replace(':', "")), None);
}

#[test]
fn a_safety_code_is_six_groups_of_five_digits() {
    let digest: Vec<u8> = (0..32).collect();
    let code = safety_code(&digest);
    let groups: Vec<&str> = code.split(' ').collect();
    assert_eq!(groups.len(), 6);
    assert!(groups.iter().all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
    // The first group: bytes 00 01 02 03 04 as one number, modulo 10^5.
    assert_eq!(groups[0], format!("{:05}", 0x0001020304u64 % 100_000));
    assert_ne!(safety_code(&[0xff; 32]), code);
}

#[test]
fn a_name_is_recognised_by_its_identity() {
    assert_eq!(Recognition::of("A", None), Recognition::First);
    assert_eq!(Recognition::of("A", Some("A")), Recognition::Same);
    assert_eq!(Recognition::of("B", Some("A")), Recognition::Changed);
}
