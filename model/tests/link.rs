//! What the list says of a connection.

use natter_model::i18n::Lang;
use natter_model::link::{LinkState, PeerStatus, RelayReport, Route, Unreachable};

fn status(link: LinkState, chat_open: bool, route: Option<Route>) -> PeerStatus {
    PeerStatus { link: Some(link), chat_open, route, ..PeerStatus::default() }
}

#[test]
fn connected_says_which_path() {
    let direct = status(LinkState::Connected, true, Some(Route::Direct));
    let relayed = status(LinkState::Connected, true, Some(Route::Relayed));
    assert_eq!(PeerStatus::describe(Some(&direct), Lang::En), "connected · direct");
    assert_eq!(PeerStatus::describe(Some(&relayed), Lang::En), "connected · relayed");
    assert!(direct.usable());
}

#[test]
fn a_lost_connection_reads_as_reconnecting_even_with_its_channel_open() {
    let lost = status(LinkState::Disconnected, true, Some(Route::Direct));
    assert_eq!(PeerStatus::key(Some(&lost)), "reconnecting");
    assert!(!lost.usable(), "no call over a lost connection");
    assert_eq!(PeerStatus::key(Some(&status(LinkState::Failed, false, None))), "reconnecting");
}

#[test]
fn before_and_after() {
    assert_eq!(PeerStatus::describe(None, Lang::En), "not connected");
    let opening = status(LinkState::Connected, false, None);
    assert_eq!(PeerStatus::describe(Some(&opening), Lang::En), "connecting…");
    assert_eq!(PeerStatus::describe(Some(&PeerStatus::closed()), Lang::En), "closed");
}

#[test]
fn an_unreachable_peer_says_why() {
    let no_turn = RelayReport { configured: false, gathered: false };
    assert_eq!(no_turn.verdict(), Unreachable::NoRelay);
    assert_eq!(
        no_turn.verdict().explain(Lang::En, "bob"),
        "Can't reach bob: no direct path, and no relay is configured"
    );
    let refused = RelayReport { configured: true, gathered: false };
    assert_eq!(refused.verdict(), Unreachable::RelayRefused);
    assert_eq!(
        RelayReport { configured: true, gathered: true }.verdict(),
        Unreachable::RelayFailed
    );
    let stuck = PeerStatus {
        unreachable: Some(Unreachable::NoRelay),
        ..status(LinkState::Connecting, false, None)
    };
    assert_eq!(PeerStatus::describe(Some(&stuck), Lang::En), "can't reach");
}
