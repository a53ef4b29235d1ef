//! The app's settings: the language, desktop notifications (asked for here, never on
//! load), what this device keeps, and forgetting it.

use super::menu::Menu;
use crate::context::{use_client, use_state};
use crate::i18n::{lang, switch, t, Lang, K};
use leptos::prelude::*;

/// A menu in the header.
#[component]
pub fn Settings() -> impl IntoView {
    let state = use_state();
    let client = use_client();
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
    // Each language by its own name; a choice reloads the page in it.
    let chinese = lang() == Lang::Zh;
    let pick = move |event| {
        let chosen = Lang::from_tag(&event_target_value(&event)).unwrap_or_default();
        if chosen != lang() {
            switch(chosen);
        }
    };
    let forget = Box::new(move || client.get_value().forget_everything());
    view! {
        <Menu class="settings" label=t(K::Settings)
            action=t(K::ForgetEverything) really=t(K::ReallyForget) act=forget>
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
        </Menu>
    }
}
