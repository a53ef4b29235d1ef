//! The root component.

use crate::components::{Announcer, Chat, Login, Settings, StatusBar, Toasts};
use crate::config;
use crate::context::provide_chat;
use crate::i18n::{t, K};
use crate::state::{ChatState, LoginState, TransferEntry};
use crate::web::attention;
use crate::web::page::page_href;
use leptos::either::Either;
use leptos::prelude::*;
use natter_model::conversation::Conversation;

/// The whole page: header with the status bar, then the login form or the chat.
#[component]
pub fn App() -> impl IntoView {
    let state = ChatState::new(config::room(&page_href()));
    let client = provide_chat(state);
    // src/boot.js marks the page when natter was updated.
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if root.is_some_and(|root| root.has_attribute("data-updated")) {
        state.notify(t(K::Updated).to_owned());
    }
    // Leaving the page ends calls and transfers: peers are told, the camera light goes off.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| client.get_value().leave_page());
    // Leaving while a file is on its way asks first (the browser's own question).
    let _ = window_event_listener(leptos::ev::beforeunload, move |event| {
        let flowing = |entry: &TransferEntry| entry.view.with_untracked(|t| t.phase.is_flowing());
        if state.transfers.with_untracked(|all| all.iter().any(flowing)) {
            event.prevent_default();
        }
    });
    let logged_in = Memo::new(move |_| matches!(state.login.get(), LoginState::LoggedIn { .. }));
    // The unread count in the tab's title.
    Effect::new(move || {
        let unread = state.conversations.with(|all| all.values().map(Conversation::unread).sum());
        attention::show_unread(unread);
    });
    view! {
        <header class="topbar">
            <h1 class="brand">"natter"</h1>
            <StatusBar />
            <Settings />
        </header>
        <main class="screen">
            {move || if logged_in.get() { Either::Left(view! { <Chat /> }) } else { Either::Right(view! { <Login /> }) }}
        </main>
        <Toasts />
        <Announcer />
    }
}
