//! Whether a person can be reached, in words, wherever the UI names them: the list, the
//! conversation's header, the composer.

use crate::context::use_state;
use crate::i18n::lang;
use crate::state::{ChatState, ServerLink};
use leptos::prelude::*;
use natter_model::call::CallPhase;
use natter_model::link::PeerStatus;
use natter_model::people::Reach;

/// Whether `peer` can be reached now (tracked: a caller redraws when it changes).
pub fn reach_of(state: ChatState, peer: &str) -> Reach {
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
    Reach::of(in_call, linked, listed, server_up)
}

/// "online", "offline"… beside the name above a conversation.
#[component]
pub fn ReachWord(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let reach = move || peer.with_value(|peer| reach_of(state, peer));
    view! {
        <span class="presence muted">
            {move || reach().words(lang())}
        </span>
    }
}

/// Above the composer, while what is written cannot go now: that it will wait (always
/// there, empty and hidden otherwise: a live region is heard when it fills).
#[component]
pub fn WaitingNote(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let note = move || peer.with_value(|peer| reach_of(state, peer).waiting_note(lang(), peer));
    view! { <p class="waiting-note muted" role="status">{move || note().unwrap_or_default()}</p> }
}
