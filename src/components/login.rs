//! The first screen: what natter is, a name, and where to go: a new private room, a room
//! by its name, or the lobby. A page whose address names a room (an invitation) only asks
//! for the name. index.html shows the same markup until the wasm runs, and src/boot.js
//! moves what was typed and clicked there to this one (the ids are how it finds them).

use super::visited_list::visited_list;
use crate::context::{use_client, use_state};
use crate::i18n::{t, tf, K};
use crate::state::LoginState;
use crate::web::page::private_room_id;
use crate::web::support;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Asks for a name and the room, and shows why the last login was refused.
#[component]
pub fn Login() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    // A tab another took over comes back here under the name it had.
    let name = RwSignal::new(state.open_elsewhere.get_untracked().unwrap_or_default());
    let room_name = RwSignal::new(String::new());
    let invited = state.room.get_untracked();
    let by_invitation = invited.is_some();
    let joining = tf(K::JoiningRoom, &[("room", &invited.clone().unwrap_or_default())]);
    let error = move || match state.login.get() {
        LoginState::LoggedOut { error } => error,
        _ => None,
    };
    let busy = move || state.login.get() == LoginState::LoggingIn;
    let works = support::peer_connections();
    let enter = move |room: Option<String>| {
        client.get_value().login(room, name.get_untracked().trim().to_owned(), false);
    };
    let private_room = move || enter(Some(private_room_id()));
    // The Enter key, in either field, and the Join and Enter room buttons: the room of the
    // invitation, else the room named, else a new private room.
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let named = room_name.get_untracked().trim().to_owned();
        match &invited {
            Some(room) => enter(Some(room.clone())),
            None if named.is_empty() => private_room(),
            None => enter(Some(named)),
        }
    };
    view! {
        <form class="card login" on:submit=submit novalidate>
            <h2 class="pitch">
                {t(K::Pitch)}
            </h2>
            // Without WebRTC nothing would work: the screen says so instead of a form.
            <p class="error" role="alert" hidden=works>{t(K::NoWebRtc)}</p>
            <div class="login-form" hidden=!works>
                <label for="login-name">{t(K::YourName)}</label>
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
                // Our name is in use by another tab of this browser: this one may take it over.
                <button type="button" class="primary use-here" hidden=move || state.open_elsewhere.with(Option::is_none)
                    on:click=move |_| client.get_value().use_here()>
                    {t(K::UseHere)}
                </button>
                // Both drawn, one hidden: less wasm than a view of either kind.
                <div class="choices" hidden=!by_invitation>
                    <p class="muted">{joining}</p>
                    <button type="submit" class="primary" disabled=busy>
                        {move || t(if busy() { K::Joining } else { K::Join })}
                    </button>
                </div>
                <div class="choices" hidden=by_invitation>
                    <button type="button" class="primary" id="start-private" on:click=move |_| private_room()>{t(K::StartPrivateRoom)}</button>
                    <p class="muted hint">{t(K::PrivateRoomHint)}</p>
                    <label for="room-name">{t(K::RoomByName)}</label>
                    <div class="room-by-name">
                        <input id="room-name" type="text" autocomplete="off" bind:value=room_name />
                        <button type="submit">{t(K::EnterRoom)}</button>
                    </div>
                    <p class="lobby muted">
                        {t(K::LobbyHint)}
                        <button type="button" id="join-lobby" on:click=move |_| enter(None)>{t(K::JoinLobby)}</button>
                    </p>
                    // Below what index.html drew before the app ran: nothing moves under a
                    // click when it appears.
                    {visited_list()}
                </div>
            </div>
        </form>
    }
}
