//! Who is online, and the state of the connection to each.

use crate::app::{use_client, use_state};
use crate::conversation::Conversation;
use crate::net::peer::{LinkState, Route};
use crate::state::PeerStatus;
use leptos::prelude::*;
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
                <span class="link-state" data-state=move || state_key(status())>
                    {move || describe(status())}
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

/// A stable word for styling and tests.
fn state_key(status: Option<PeerStatus>) -> &'static str {
    // A lost connection shows as such even while its channel has not noticed yet.
    match status.and_then(|s| s.link) {
        None => "none",
        Some(LinkState::Disconnected | LinkState::Failed) => "reconnecting",
        Some(LinkState::Closed) => "closed",
        Some(_) if status.is_some_and(|s| s.chat_open) => "connected",
        Some(_) => "connecting",
    }
}

/// The words a person reads.
fn describe(status: Option<PeerStatus>) -> String {
    let route = match status.and_then(|s| s.route) {
        Some(Route::Direct) => " · direct",
        Some(Route::Relayed) => " · relayed",
        None => "",
    };
    match state_key(status) {
        "none" => "not connected".to_owned(),
        "connected" => format!("connected{route}"),
        "connecting" => "connecting…".to_owned(),
        "reconnecting" => "reconnecting…".to_owned(),
        _ => "closed".to_owned(),
    }
}
