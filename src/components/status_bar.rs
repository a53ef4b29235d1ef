//! The connection to the signaling server, the invitation link, and the way out of the
//! room.

use crate::context::{use_client, use_state};
use crate::i18n::{t, tf, K};
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
    let client = use_client();
    let logged_in = move || matches!(state.login.get(), LoginState::LoggedIn { .. });
    let online = RwSignal::new(window().navigator().on_line());
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    let text = move || {
        if !online.get() {
            return t(K::OfflineStatus).to_owned();
        }
        let place = state
            .room_name()
            .map_or_else(|| t(K::TheLobby).to_owned(), |room| tf(K::RoomPlace, &[("room", &room)]));
        match (state.login.get(), state.server.get()) {
            (LoginState::LoggedIn { name }, ServerLink::Online) => {
                tf(K::OnlineAs, &[("name", &name), ("place", &place)])
            }
            (LoginState::LoggedIn { .. }, _) => t(K::ServerAwayStatus).to_owned(),
            (LoginState::LoggingIn, _) => t(K::Connecting).to_owned(),
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
        // The dot says the browser is offline too, whatever the socket still believes.
        <div class="status" role="status" data-server=server_key
            data-offline=move || (!online.get()).then_some("")>
            <span class="dot" aria-hidden="true"></span>
            <span class="status-text">{text}</span>
            // Hidden by CSS until logged in (`data-server` says so).
            <button type="button" class="ghost copy-link" on:click=move |_| copy_link(state)>
                {t(K::CopyLink)}
            </button>
            <button type="button" class="ghost leave-room" on:click=move |_| client.get_value().leave_room()>
                {t(K::LeaveRoom)}
            </button>
        </div>
    }
}

/// Copies the page's address, the link to this room, and says so (or shows it to copy
/// by hand where the clipboard is refused).
pub fn copy_link(state: ChatState) {
    let link = page_href();
    let failed = tf(K::CopyThisLink, &[("link", &link)]);
    copy_text(state, link, t(K::LinkCopied), failed);
}

/// Copies `text` and says `copied`, or `failed` where the clipboard is refused.
pub fn copy_text(state: ChatState, text: String, copied: &str, failed: String) {
    let Some(window) = web_sys::window() else { return };
    let written = window.navigator().clipboard().write_text(&text);
    let copied = copied.to_owned();
    spawn_local(async move {
        state.notify(if JsFuture::from(written).await.is_ok() { copied } else { failed });
    });
}
