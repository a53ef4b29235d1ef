//! The app's settings: desktop notifications (asked for here, never on load), what this
//! device keeps, and forgetting it.

use crate::context::{use_client, use_state};
use crate::web::focus;
use leptos::ev::KeyboardEvent;
use leptos::html::{Details, Summary};
use leptos::prelude::*;

/// A menu in the header.
#[component]
pub fn Settings() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let sure = RwSignal::new(false);
    let notifications = move || {
        match state.notifications.get() {
        None => None,
        Some(true) => Some(view! { <p class="muted">"Notifications are on for messages that come while this tab is hidden."</p> }.into_any()),
        Some(false) => Some(view! {
            <button type="button" on:click=move |_| client.get_value().enable_notifications()>
                "Notify me of new messages"
            </button>
        }.into_any()),
    }
    };
    let forget = move |_| {
        if sure.get_untracked() {
            client.get_value().forget_everything();
            sure.set(false);
        } else {
            sure.set(true);
        }
    };
    // Open, the menu keeps the keyboard (Tab goes round it); Escape closes it, the focus
    // back on its button.
    let menu = NodeRef::<Details>::new();
    let button = NodeRef::<Summary>::new();
    let keys = move |event: KeyboardEvent| {
        let Some(menu) = menu.get_untracked().filter(|menu| menu.open()) else { return };
        if focus::is_escape(&event) {
            event.prevent_default();
            menu.set_open(false);
            if let Some(button) = button.get_untracked() {
                drop(button.focus());
            }
        } else {
            focus::trap(&event, &menu);
        }
    };
    view! {
        <details class="settings" node_ref=menu on:keydown=keys>
            <summary node_ref=button>"Settings"</summary>
            <div class="settings-panel">
                {notifications}
                <p class="muted">
                    {move || state.history_off.get().unwrap_or_else(|| {
                        "Conversations are kept on this device only, never on a server.".to_owned()
                    })}
                </p>
                <button type="button" class="danger" on:click=forget>
                    {move || if sure.get() { "Really forget everything?" } else { "Forget everything on this device" }}
                </button>
            </div>
        </details>
    }
}
