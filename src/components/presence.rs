//! Whether a person can be reached, in words, wherever the UI names them: the list, the
//! conversation's header, the composer; and their avatar.

use crate::context::use_state;
use crate::i18n::lang;
use crate::state::{ChatState, ServerLink, ROOM};
use leptos::prelude::*;
use natter_model::call::CallPhase;
use natter_model::link::PeerStatus;
use natter_model::people::{colour, initial, Presence};

/// `peer`'s presence now (tracked: a caller redraws when it changes).
pub fn presence_of(state: ChatState, peer: &str) -> Presence {
    let in_call = state.call.with(|call| {
        call.as_ref().is_some_and(|call| call.peer == peer && call.phase == CallPhase::Active)
    });
    let linked = state.peers.with(|all| all.get(peer).is_some_and(PeerStatus::usable));
    // A login whose page said it was closing is gone, though the list keeps it a while.
    let listed = state.gone.with(|gone| {
        state
            .users
            .with(|users| users.iter().any(|user| user.user_name == peer && !gone.contains(user)))
    });
    let server_up = state.server.with(|server| *server == ServerLink::Online);
    Presence::of(in_call, linked, listed, server_up)
}

/// `name`'s initial on its colour; the room's conversation has a sign of its own. (The
/// colour is set through the CSSOM: a `style` attribute is refused under a strict CSP.)
pub fn avatar(name: &str) -> impl IntoView {
    let (sign, colour) = match name {
        ROOM => ("#".to_owned(), "var(--accent)"),
        name => (initial(name), colour(name)),
    };
    view! {
        <span class="avatar" aria-hidden="true" style:background=colour>
            {sign}
        </span>
    }
}

/// "online", "offline"… beside the name above a conversation.
#[component]
pub fn PresenceWord(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let presence = move || peer.with_value(|peer| presence_of(state, peer));
    view! {
        <span class="presence muted">
            {move || presence().words(lang())}
        </span>
    }
}

/// Above the composer, while what is written cannot go now: that it will wait (always
/// there, empty and hidden otherwise: a live region is heard when it fills).
#[component]
pub fn WaitingNote(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let note = move || peer.with_value(|peer| presence_of(state, peer).waiting_note(lang(), peer));
    view! { <p class="waiting-note muted" role="status">{move || note().unwrap_or_default()}</p> }
}
