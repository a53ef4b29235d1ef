//! Who is online, and the state of the connection to each.

use super::room_view::room_title;
use crate::context::{use_client, use_state};
use crate::state::ROOM;
use leptos::prelude::*;
use natter_model::conversation::Conversation;
use natter_model::link::PeerStatus;
use natter_protocol::User;

/// The people in the room; a click opens the conversation.
#[component]
pub fn UsersList() -> impl IntoView {
    let state = use_state();
    let nobody = move || state.users.with(Vec::is_empty);
    view! {
        <nav class="users" aria-labelledby="users-heading">
            <h2 id="users-heading">
                "Online " <span class="count">{move || state.users.with(Vec::len)}</span>
            </h2>
            {move || nobody().then(|| view! {
                <p class="muted empty">"Nobody else is here yet. Copy the link to invite someone."</p>
            })}
            <ul>
                <RoomItem />
                <For each=move || state.users.get() key=|user| user.id.clone() let:user>
                    <UserItem user />
                </For>
            </ul>
        </nav>
    }
}

/// One person: name, connection state, unread count.
#[component]
fn UserItem(user: User) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let name = StoredValue::new(user.user_name);
    let status = move || name.with_value(|name| state.peers.with(|all| all.get(name).copied()));
    let unread = move || {
        name.with_value(|name| {
            state.conversations.with(|all| all.get(name).map_or(0, Conversation::unread))
        })
    };
    let selected =
        move || name.with_value(|name| state.selected.with(|s| s.as_deref() == Some(name)));
    let initial = name.with_value(|name| name.chars().next().unwrap_or('?').to_string());
    view! {
        <li>
            <button
                class="user"
                class:selected=selected
                aria-current=move || selected().then_some("true")
                on:click=move |_| client.get_value().select(&name.get_value())
            >
                <span class="avatar" aria-hidden="true">{initial}</span>
                <span class="user-name">{name.get_value()}</span>
                <span class="link-state" data-state=move || PeerStatus::key(status().as_ref())>
                    {move || PeerStatus::describe(status().as_ref())}
                </span>
                {move || (unread() > 0).then(|| view! {
                    <span class="badge" aria-label=move || format!("{} unread", unread())>
                        {unread}
                    </span>
                })}
            </button>
        </li>
    }
}

/// The room's own conversation, above the people: everyone present at once.
#[component]
fn RoomItem() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let unread =
        move || state.conversations.with(|all| all.get(ROOM).map_or(0, Conversation::unread));
    let selected = move || state.selected.with(|s| s.as_deref() == Some(ROOM));
    view! {
        <li>
            <button
                class="user room-entry"
                class:selected=selected
                aria-current=move || selected().then_some("true")
                on:click=move |_| client.get_value().select(ROOM)
            >
                <span class="avatar" aria-hidden="true">"#"</span>
                <span class="user-name">{move || room_title(state)}</span>
                {move || (unread() > 0).then(|| view! {
                    <span class="badge" aria-label=move || format!("{} unread", unread())>
                        {unread}
                    </span>
                })}
            </button>
        </li>
    }
}
