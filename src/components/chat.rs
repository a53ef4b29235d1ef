//! The logged-in screen.

use super::call_panel::CallPanel;
use super::message_box::MessageBox;
use super::room_call::RoomCallPanel;
use super::users_list::UsersList;
use crate::context::use_state;
use leptos::prelude::*;

/// Who is online beside the call and the open conversation; on a phone, one at a time.
#[component]
pub fn Chat() -> impl IntoView {
    let state = use_state();
    let view_name =
        move || if state.selected.with(Option::is_some) { "conversation" } else { "users" };
    view! {
        <div class="chat" data-view=view_name>
            <UsersList />
            <div class="talk">
                <CallPanel />
                <RoomCallPanel />
                <MessageBox />
            </div>
        </div>
    }
}
