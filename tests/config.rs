//! Run-time choice of the signaling server and room, in a real browser.

use natter::config::{room, show_room, signaling_url, with_room, without_room};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn same_origin_by_default() {
    assert_eq!(signaling_url("http://127.0.0.1:9000/", None).unwrap(), "ws://127.0.0.1:9000/ws");
    assert_eq!(signaling_url("https://chat.example/r?x=1", None).unwrap(), "wss://chat.example/ws");
}

#[wasm_bindgen_test]
fn query_parameter_beats_config_file() {
    let page = "https://app.example/?server=ws%3A%2F%2F10.0.0.1%3A9000%2Fws";
    assert_eq!(signaling_url(page, Some("wss://cfg.example/ws")).unwrap(), "ws://10.0.0.1:9000/ws");
    assert_eq!(
        signaling_url("https://app.example/", Some("wss://cfg.example/ws")).unwrap(),
        "wss://cfg.example/ws"
    );
}

#[wasm_bindgen_test]
fn server_forms_are_normalized() {
    let url = |server: &str| signaling_url(&format!("https://a.example/?server={server}"), None);
    assert_eq!(url("signal.example:9000").unwrap(), "wss://signal.example:9000/ws");
    assert_eq!(url("https://signal.example").unwrap(), "wss://signal.example/");
    assert_eq!(url("http://signal.example/ws").unwrap(), "ws://signal.example/ws");
    assert!(url("ftp://signal.example").is_err());
}

#[wasm_bindgen_test]
fn room_from_query_or_hash() {
    assert_eq!(room("http://h/?room=team%20a").as_deref(), Some("team a"));
    assert_eq!(room("http://h/#room=blue").as_deref(), Some("blue"));
    assert_eq!(room("http://h/?room=").as_deref(), None);
    assert_eq!(room("http://h/").as_deref(), None);
}

#[wasm_bindgen_test]
fn a_room_chosen_on_the_page_goes_into_its_address() {
    let href = || web_sys::window().unwrap().location().href().unwrap();
    for chosen in ["team a & b", "3fa9c0d2e1b47a6c5d80", "été/#?"] {
        show_room(Some(chosen));
        assert_eq!(room(&href()).as_deref(), Some(chosen), "{}", href());
    }
    show_room(None);
    assert_eq!(room(&href()), None);
}

#[wasm_bindgen_test]
fn the_first_screen_is_the_address_without_its_room() {
    let first = |page: &str| without_room(page).unwrap();
    assert_eq!(first("http://h/?room=team%20a"), "http://h/");
    assert_eq!(first("http://h/#room=blue"), "http://h/");
    assert_eq!(first("http://h/?server=s.example&room=x#room=y"), "http://h/?server=s.example");
    assert_eq!(room(&first("http://h/?room=a#room=b")), None);
}

#[wasm_bindgen_test]
fn another_rooms_page_names_it_alone_in_its_query() {
    let other = |page: &str| with_room(page, "0123456789abcdef0123").unwrap();
    assert_eq!(other("http://h/?room=team%20a"), "http://h/?room=0123456789abcdef0123");
    assert_eq!(other("http://h/#room=blue"), "http://h/?room=0123456789abcdef0123");
    let page = other("http://h/?server=s.example&room=x#room=y");
    assert_eq!(page, "http://h/?server=s.example&room=0123456789abcdef0123");
    assert_eq!(room(&page).as_deref(), Some("0123456789abcdef0123"));
}
