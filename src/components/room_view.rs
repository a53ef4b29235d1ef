//! The room's own conversation: what is written there goes to everyone present.

use super::composer::Composer;
use super::message_list::MessageList;
use super::users_list::{back_to_list, escape_leaves};
use crate::context::use_state;
use crate::i18n::{plural, t, tf, K};
use crate::state::ChatState;
use leptos::prelude::*;
use natter_model::talk::Talk;

/// What the room's conversation is called: by the room's name, or the lobby.
pub fn room_title(state: ChatState) -> String {
    match state.room_name() {
        Some(room) => tf(K::EveryoneIn, &[("room", &room)]),
        None => t(K::EveryoneInLobby).to_owned(),
    }
}

/// The room's messages and a composer that writes to everyone present.
#[component]
pub fn RoomView() -> impl IntoView {
    let state = use_state();
    let talk = StoredValue::new(Talk::Room);
    let present = move || state.users.with(Vec::len);
    let back = move |_| back_to_list(state, Talk::Room);
    view! {
        <section class="conversation room" aria-label=move || room_title(state)
            on:keydown=move |event| escape_leaves(state, &event, Talk::Room)>
            <header class="conversation-head">
                <button type="button" class="ghost back" on:click=back aria-label=t(K::BackToList)>
                    "‹"
                </button>
                <h2>{move || room_title(state)}</h2>
                <span class="muted">
                    {move || match present() {
                        0 => t(K::NobodyElseYet).to_owned(),
                        n => plural(K::YouAndOthersOne, K::YouAndOthersOther, n),
                    }}
                </span>
            </header>
            <p class="room-hint muted">
                {t(K::RoomHint)}
            </p>
            <MessageList talk />
            <Composer talk />
        </section>
    }
}
