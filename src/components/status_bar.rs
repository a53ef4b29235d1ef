//! The connection to the signaling server, and the invitation link.

use crate::context::use_state;
use crate::state::{LoginState, ServerLink};
use crate::web::page::page_href;
use leptos::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Who you are, where, and whether the signaling server is reachable.
#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_state();
    let text = move || {
        let place = state
            .room
            .get()
            .map_or_else(|| "the lobby".to_owned(), |room| format!("room “{room}”"));
        match (state.login.get(), state.server.get()) {
            (_, ServerLink::Reconnecting { seconds }) => {
                format!("Signaling server lost. Reconnecting in {seconds} s…")
            }
            (_, ServerLink::Connecting) => "Connecting to the signaling server…".to_owned(),
            (LoginState::LoggedIn { name }, ServerLink::Online) => {
                format!("Online as {name} in {place}")
            }
            _ => format!("Not connected · {place}"),
        }
    };
    let server_key = move || match state.server.get() {
        ServerLink::Online => "online",
        ServerLink::Connecting => "connecting",
        ServerLink::Reconnecting { .. } => "reconnecting",
        ServerLink::Idle => "idle",
    };
    let copy_link = move |_| {
        let link = page_href();
        let Some(window) = web_sys::window() else { return };
        let written = window.navigator().clipboard().write_text(&link);
        spawn_local(async move {
            let outcome = match JsFuture::from(written).await {
                Ok(_) => "Link copied: send it to whoever should join".to_owned(),
                Err(_) => format!("Copy this link to invite someone: {link}"),
            };
            state.notify(outcome);
        });
    };
    view! {
        <div class="status" role="status" data-server=server_key>
            <span class="dot" aria-hidden="true"></span>
            <span class="status-text">{text}</span>
            <button type="button" class="ghost" on:click=copy_link>
                "Copy link"
            </button>
        </div>
    }
}
