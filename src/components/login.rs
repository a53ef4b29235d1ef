//! The login form.

use crate::context::{use_client, use_state};
use crate::state::LoginState;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Asks for a name and shows why the last one was refused.
#[component]
pub fn Login() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let name = RwSignal::new(String::new());
    let error = move || match state.login.get() {
        LoginState::LoggedOut { error } => error,
        _ => None,
    };
    let busy = move || state.login.get() == LoginState::LoggingIn;
    let room = move || match state.room.get() {
        Some(room) => format!("You are joining the room “{room}”."),
        None => "You are joining the lobby.".to_owned(),
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        client.get_value().login(name.get_untracked().trim().to_owned());
    };
    view! {
        <form class="card login" on:submit=submit novalidate>
            <h2>"Pick a name"</h2>
            <p class="muted">{room}</p>
            <label for="login-name">"Your name"</label>
            <input
                id="login-name"
                type="text"
                autocomplete="nickname"
                autofocus
                bind:value=name
                aria-invalid=move || error().is_some().to_string()
                aria-describedby="login-error"
            />
            <p id="login-error" class="error" role="alert">
                {error}
            </p>
            <button type="submit" class="primary" disabled=busy>
                {move || if busy() { "Joining…" } else { "Join" }}
            </button>
        </form>
    }
}
