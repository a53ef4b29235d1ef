//! The bar atop a conversation: the way back to the list, whom it is with, and what can be
//! done there (with a person: whether they can be reached, calls, the conversation's menu;
//! in the room: who is present, and the room's menu).

use super::call_buttons::CallButtons;
use super::leaving::back_to_list;
use super::menu::Menu;
use super::reach::ReachWord;
use crate::context::{use_client, use_state};
use crate::i18n::{plural, t, tf, K};
use crate::state::ChatState;
use crate::web::page::submitted_field;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use natter_model::room_name::is_private;
use natter_model::talk::Talk;

/// What the room's conversation is called: by the room's name, or the lobby.
pub fn room_title(state: ChatState) -> String {
    match state.room_name() {
        Some(room) => tf(K::EveryoneIn, &[("room", &room)]),
        None => t(K::EveryoneInLobby).to_owned(),
    }
}

/// The head of the conversation `talk`.
#[component]
pub fn ConversationHead(talk: StoredValue<Talk>) -> impl IntoView {
    let state = use_state();
    let back = move |_| talk.with_value(|talk| back_to_list(state, talk.as_deref()));
    let (title, about) = match talk.get_value() {
        Talk::Room => {
            let present = move || match state.users.with(Vec::len) {
                0 => t(K::NobodyElseYet).to_owned(),
                n => plural(K::YouAndOthersOne, K::YouAndOthersOther, n),
            };
            let about = view! { <span class="muted room-about">{present}</span> <RoomMenu /> };
            (Either::Left(move || room_title(state)), Either::Left(about))
        }
        Talk::With(name) => {
            let peer = StoredValue::new(name.clone());
            let about = view! {
                <ReachWord peer />
                <CallButtons peer />
                <ConversationMenu peer />
            };
            (Either::Right(name), Either::Right(about))
        }
    };
    view! {
        <header class="conversation-head">
            <button type="button" class="ghost back" on:click=back aria-label=t(K::BackToList)>
                "‹"
            </button>
            <h2>{title}</h2>
            {about}
        </header>
    }
}

/// What can be done with the conversation with `peer` as a whole: clearing it, after
/// asking.
#[component]
fn ConversationMenu(peer: StoredValue<String>) -> impl IntoView {
    let client = use_client();
    let clear = Box::new(move || client.get_value().clear_conversation(&peer.get_value()));
    view! {
        <Menu class="conversation-menu" label=t(K::ConversationMenu)
            action=t(K::ClearConversation) really=t(K::ReallyClear) act=clear>
            <p class="muted">{tf(K::ClearExplained, &[("peer", &peer.get_value())])}</p>
        </Menu>
    }
}

/// What can be done with the room as a whole: naming it (a private room), and leaving it
/// for a new private room, after asking. (Its link is copied from the status bar.)
#[component]
fn RoomMenu() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let private = state.room.get_untracked().is_some_and(|room| is_private(&room));
    // Read from the field when sent, not kept in a signal or a node ref: less wasm.
    let name = move |event: SubmitEvent| {
        event.prevent_default();
        if let Some(field) = submitted_field(&event) {
            if client.get_value().name_room(&field.value()) {
                field.set_value("");
            }
        }
    };
    let fresh = Box::new(move || client.get_value().start_private_room());
    view! {
        <Menu class="conversation-menu" label=t(K::RoomMenu)
            action=t(K::NewPrivateRoom) really=t(K::ReallyNewRoom) act=fresh>
            <form class="room-naming" hidden=!private on:submit=name>
                <label for="room-naming">{t(K::RoomNameLabel)}</label>
                <input id="room-naming" type="text" autocomplete="off" />
                <button type="submit">{t(K::NameRoom)}</button>
            </form>
        </Menu>
    }
}
