//! The connection to the signaling server, and the invitation link.

use crate::context::use_state;
use crate::state::{ChatState, LoginState, ServerLink};
use crate::web::page::page_href;
use leptos::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Who you are and where, once logged in; during an outage, that open conversations still
/// work; that the browser is offline, whatever else. Before login it says nothing more:
/// nothing has failed.
#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_state();
    let logged_in = move || matches!(state.login.get(), LoginState::LoggedIn { .. });
    let online = RwSignal::new(window().navigator().on_line());
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    let text = move || {
        if !online.get() {
            return "Offline — natter needs the network to reach anyone".to_owned();
        }
        let place = state
            .room
            .get()
            .map_or_else(|| "the lobby".to_owned(), |room| format!("room “{room}”"));
        match (state.login.get(), state.server.get()) {
            (LoginState::LoggedIn { name }, ServerLink::Online) => {
                format!("Online as {name} in {place}")
            }
            (LoginState::LoggedIn { .. }, _) => {
                "Server unreachable — open conversations still work; reconnecting…".to_owned()
            }
            (LoginState::LoggingIn, _) => "Connecting…".to_owned(),
            (LoginState::LoggedOut { .. }, _) => String::new(),
        }
    };
    let server_key = move || match state.server.get() {
        ServerLink::Online => "online",
        _ if logged_in() => "reconnecting",
        ServerLink::Connecting | ServerLink::Reconnecting { .. } => "connecting",
        ServerLink::Idle => "idle",
    };
    view! {
        <div class="status" role="status" data-server=server_key>
            <span class="dot" aria-hidden="true"></span>
            <span class="status-text">{text}</span>
            // Hidden by CSS until logged in (`data-server` says so).
            <button type="button" class="ghost copy-link" on:click=move |_| copy_link(state)>
                "Copy link"
            </button>
        </div>
    }
}

/// Copies the page's address, the link to this room, and says so (or shows it to copy
/// by hand where the clipboard is refused).
pub fn copy_link(state: ChatState) {
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
}
