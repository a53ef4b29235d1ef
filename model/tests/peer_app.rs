//! What a peer's app has shown it understands.

use natter_model::i18n::Lang;
use natter_model::peer_app::{PeerApp, Unsupported};

fn all() -> Vec<String> {
    ["acks", "calls", "files", "read", "typing", "room"].map(String::from).to_vec()
}

#[test]
fn a_channel_without_natter_protocol_is_a_classic_client() {
    let mut app = PeerApp::default();
    assert_eq!(app.calls(), Err(Unsupported::Checking));
    app.peer_opened_channel(false);
    assert_eq!(app, PeerApp::Classic);
    assert!(!app.is_natter() && !app.acks());
    assert_eq!(app.calls(), Err(Unsupported::Never));
    assert_eq!(app.files(), Err(Unsupported::Never));
}

#[test]
fn natter_is_known_by_its_channel_then_its_hello() {
    let mut app = PeerApp::default();
    app.peer_opened_channel(true);
    assert!(app.is_natter() && app.acks());
    assert_eq!(app.calls(), Err(Unsupported::Checking), "features wait for the hello");
    app.hello(&all());
    assert_eq!((app.calls(), app.files()), (Ok(()), Ok(())));
    app.hello(&["acks".into(), "files".into(), "from-the-future".into()]);
    assert_eq!((app.calls(), app.files()), (Err(Unsupported::Never), Ok(())));
}

#[test]
fn silence_means_classic_until_the_peer_shows_otherwise() {
    let mut app = PeerApp::default();
    app.stayed_silent();
    assert_eq!(app, PeerApp::Classic);
    assert!(app.seen_natter(), "a late ack or hello is news");
    assert!(!app.seen_natter());
    app.stayed_silent();
    assert!(app.is_natter(), "evidence is never taken back");
}

#[test]
fn reasons_read_as_sentences() {
    assert_eq!(Unsupported::Never.explain(Lang::En, "bob", false), "bob's app can't take calls");
    assert_eq!(
        Unsupported::Checking.explain(Lang::En, "bob", true),
        "Checking what bob's app supports…"
    );
}

#[test]
fn receipts_and_typing_go_only_to_peers_that_hear_them() {
    let mut app = PeerApp::default();
    assert!(!app.hears(|f| f.read));
    app.hello(&all());
    assert!(app.hears(|f| f.read) && app.hears(|f| f.typing));
    app.hello(&["acks".into(), "calls".into()]);
    assert!(!app.hears(|f| f.read) && !app.hears(|f| f.typing));
}

#[test]
fn room_lines_wait_for_the_hello_and_skip_apps_without_them() {
    let mut app = PeerApp::default();
    assert!(!app.never_in_room(), "unknown: still worth waiting for");
    app.peer_opened_channel(true);
    assert!(!app.never_in_room() && !app.hears(|f| f.room));
    app.hello(&all());
    assert!(app.hears(|f| f.room) && !app.never_in_room());
    app.hello(&["acks".into(), "calls".into()]);
    assert!(app.never_in_room(), "an older natter without rooms");
    let mut classic = PeerApp::default();
    classic.stayed_silent();
    assert!(classic.never_in_room());
}

#[test]
fn files_to_the_room_need_files_and_room_files() {
    let mut app = PeerApp::default();
    assert_eq!(app.room_files(), Err(Unsupported::Checking), "unknown: worth waiting for");
    app.hello(&["acks".into(), "files".into(), "roomFiles".into()]);
    assert_eq!(app.room_files(), Ok(()));
    app.hello(&all());
    assert_eq!(app.room_files(), Err(Unsupported::Never), "an older natter: files, not to rooms");
    app.hello(&["acks".into(), "roomFiles".into()]);
    assert_eq!(app.room_files(), Err(Unsupported::Never), "no files at all");
    let mut classic = PeerApp::default();
    classic.stayed_silent();
    assert_eq!(classic.room_files(), Err(Unsupported::Never));
}
