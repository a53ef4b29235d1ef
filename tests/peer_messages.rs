//! The data-channel message format as the app's wasm build parses it.

use natter_protocol::{ChatLine, PeerMessage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reads_a_line_from_the_reference_client() {
    let text = r#"{"time":"2026-11-23T10:00:00.000Z","message":"hi","name":"bob"}"#;
    let expected = ChatLine {
        time: "2026-11-23T10:00:00.000Z".into(),
        message: "hi".into(),
        name: "bob".into(),
        id: None,
    };
    assert_eq!(PeerMessage::parse(text), Some(PeerMessage::Line(expected)));
}

#[wasm_bindgen_test]
fn ignores_garbage_and_unknown_types() {
    assert_eq!(PeerMessage::parse("not json"), None);
    assert_eq!(PeerMessage::parse(r#"{"type":"from-the-future"}"#), None);
}
