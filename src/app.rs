//! The root component and the context it provides.

use crate::browser::page_href;
use crate::client::ChatClient;
use crate::components::{Chat, Login, StatusBar, Toasts};
use crate::config;
use crate::state::{ChatState, Session};
use leptos::either::Either;
use leptos::prelude::*;
use std::rc::Rc;

/// The chat engine, as components reach it.
pub type ClientHandle = StoredValue<Rc<ChatClient>, LocalStorage>;

/// The state every component reads.
pub fn use_state() -> ChatState {
    expect_context()
}

/// The engine every component acts through.
pub fn use_client() -> ClientHandle {
    expect_context()
}

/// The whole page: header with the status bar, then the login form or the chat.
#[component]
pub fn App() -> impl IntoView {
    let state = ChatState::new(config::room(&page_href()));
    provide_context(state);
    let client: ClientHandle = StoredValue::new_local(ChatClient::new(state));
    provide_context(client);
    // Leaving the page ends calls and transfers: peers are told, the camera light goes off.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| client.get_value().leave_page());
    let logged_in = Memo::new(move |_| matches!(state.session.get(), Session::LoggedIn { .. }));
    view! {
        <header class="topbar">
            <h1 class="brand">"natter"</h1>
            <StatusBar />
        </header>
        <main class="screen">
            {move || if logged_in.get() { Either::Left(view! { <Chat /> }) } else { Either::Right(view! { <Login /> }) }}
        </main>
        <Toasts />
    }
}
