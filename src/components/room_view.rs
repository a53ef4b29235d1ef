//! The room's own conversation: what is written there goes to everyone present.

use super::composer::Composer;
use super::message_list::MessageList;
use super::users_list::{back_to_list, escape_leaves};
use crate::context::use_state;
use crate::state::{ChatState, ROOM};
use leptos::prelude::*;

/// What the room's conversation is called: by the room's name, or the lobby.
pub fn room_title(state: ChatState) -> String {
    match state.room.get() {
        Some(room) => format!("Everyone in {room}"),
        None => "Everyone in the lobby".to_owned(),
    }
}

/// The room's messages and a composer that writes to everyone present.
#[component]
pub fn RoomView() -> impl IntoView {
    let state = use_state();
    let peer = StoredValue::new(ROOM.to_owned());
    let present = move || state.users.with(Vec::len);
    let back = move |_| back_to_list(state, ROOM.to_owned());
    view! {
        <section class="conversation room" aria-label=move || room_title(state)
            on:keydown=move |event| escape_leaves(state, &event, ROOM.to_owned())>
            <header class="conversation-head">
                <button type="button" class="ghost back" on:click=back aria-label="Back to the list">
                    "‹"
                </button>
                <h2>{move || room_title(state)}</h2>
                <span class="muted">
                    {move || match present() {
                        0 => " · nobody else is here yet".to_owned(),
                        1 => " · you and 1 other".to_owned(),
                        n => format!(" · you and {n} others"),
                    }}
                </span>
            </header>
            <p class="room-hint muted">
                "Goes to everyone here now, each over their own connection. People who come later \
                 see only what is written after they arrive."
            </p>
            <MessageList peer />
            <Composer peer />
        </section>
    }
}
