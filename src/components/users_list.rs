//! The people list: the room's own conversation, then the people in the room and those we
//! talked with, each entry kept while it is listed; and where the keyboard is in it.

use super::listed::listed;
use super::person_entry::PersonEntry;
use super::status_bar::copy_link;
use crate::context::use_state;
use crate::i18n::{t, K};
use crate::web::focus;
use crate::web::page::page_href;
use leptos::ev::FocusEvent;
use leptos::html::Nav;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Everyone listed; a click opens the conversation.
#[component]
pub fn UsersList() -> impl IntoView {
    let state = use_state();
    let order = Memo::new(move |_| listed(state));
    let nav = NodeRef::<Nav>::new();
    // Just logged in, the keyboard starts on the list (on the open conversation, if any).
    Effect::new(move || {
        if nav.get().is_some() {
            focus::after_redraw(move || {
                if focus::lost() {
                    let _ = focus::focus_first(".users .user.selected")
                        || focus::focus_first(".users .user");
                }
            });
        }
    });
    // A new order moves entries, and the browser drops the focus of an entry it moves: the
    // focus goes back to it.
    let holding = StoredValue::new(None::<String>);
    let focus_in = move |event: FocusEvent| {
        let entry = event_target::<web_sys::Element>(&event).closest(".user").ok().flatten();
        holding.set_value(entry.and_then(|entry| entry.get_attribute("data-name")));
    };
    let focus_out = move |event: FocusEvent| {
        let inside =
            |to: &web_sys::Node| nav.get_untracked().is_some_and(|nav| nav.contains(Some(to)));
        if event
            .related_target()
            .and_then(|to| to.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|to| !inside(&to))
        {
            holding.set_value(None);
        }
    };
    Effect::new(move || {
        order.track();
        focus::after_redraw(move || {
            // The list may be gone by then (logged out): nothing to hold.
            if let Some(name) = holding.try_get_value().flatten().filter(|_| focus::lost()) {
                focus::focus_where(".users .user", "data-name", &name);
            }
        });
    });
    view! {
        <nav class="users" aria-labelledby="users-heading" node_ref=nav
            on:focusin=focus_in on:focusout=focus_out
            // Opening a conversation takes the focus to its composer.
            on:click=move |_| holding.set_value(None)>
            <h2 id="users-heading">{t(K::People)}</h2>
            <div class="invite" hidden=move || order.with(|order| order.len() > 1)>
                <p class="muted empty">{t(K::NobodyHere)}</p>
                <p class="share">
                    <code class="share-link">{page_href()}</code>
                    <button type="button" on:click=move |_| copy_link(state)>{t(K::Copy)}</button>
                </p>
            </div>
            <ul>
                // Keyed by name (the room's is empty, no person's is): a `String` key
                // shares the transfers' keyed diff.
                <For each=move || order.get() key=|talk| talk.person().unwrap_or_default().to_owned() let:talk>
                    <PersonEntry talk />
                </For>
            </ul>
        </nav>
    }
}
