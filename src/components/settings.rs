//! The app's settings: the language, desktop notifications (asked for here, never on
//! load), what this device keeps, and forgetting it.

use crate::context::{use_client, use_state};
use crate::i18n::{lang, switch, t, Lang, K};
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
    let notifications = move || match state.notifications.get() {
        None => None,
        Some(true) => Some(view! { <p class="muted">{t(K::NotificationsOn)}</p> }.into_any()),
        Some(false) => Some(
            view! {
                <button type="button" on:click=move |_| client.get_value().enable_notifications()>
                    {t(K::NotifyMe)}
                </button>
            }
            .into_any(),
        ),
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
    // Each language by its own name; a choice reloads the page in it.
    let chinese = lang() == Lang::Zh;
    let pick = move |event| {
        let chosen = Lang::from_tag(&event_target_value(&event)).unwrap_or_default();
        if chosen != lang() {
            switch(chosen);
        }
    };
    view! {
        <details class="settings" node_ref=menu on:keydown=keys>
            <summary node_ref=button>{t(K::Settings)}</summary>
            <div class="settings-panel">
                <label class="language">
                    {t(K::Language)}
                    <select id="language" on:change=pick>
                        <option value="en" selected=!chinese>{t(K::English)}</option>
                        <option value="zh-CN" selected=chinese>{t(K::Chinese)}</option>
                    </select>
                </label>
                {notifications}
                <p class="muted">
                    {move || state.history_off.get().unwrap_or_else(|| t(K::KeptOnDevice).to_owned())}
                </p>
                <button type="button" class="danger" on:click=forget>
                    {move || t(if sure.get() { K::ReallyForget } else { K::ForgetEverything })}
                </button>
            </div>
        </details>
    }
}
