//! A menu behind a button (a `<details>`): open, it keeps the keyboard (Tab goes round
//! it); Escape closes it, the focus back on its button. It ends with its one action that
//! cannot be undone, which asks first.

use crate::web::focus;
use leptos::ev::KeyboardEvent;
use leptos::html::Details;
use leptos::prelude::*;

/// A menu of class `class` behind a button that says `label`: `children`, then a button
/// that says `action`, whose first press asks (`really`) and whose second does it (`act`)
/// and closes the menu. Leaving the button takes the question back.
#[component]
pub fn Menu(
    class: &'static str,
    label: &'static str,
    children: Children,
    action: &'static str,
    really: &'static str,
    act: Box<dyn Fn()>,
) -> impl IntoView {
    let menu = NodeRef::<Details>::new();
    // Closes the menu, the focus back on its button.
    let close = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
            if let Some(button) = menu.first_element_child() {
                focus::focus(&button);
            }
        }
    };
    let keys = move |event: KeyboardEvent| {
        let Some(menu) = menu.get_untracked().filter(|menu| menu.open()) else { return };
        if focus::is_escape(&event) {
            event.prevent_default();
            close();
        } else {
            focus::trap(&event, &menu);
        }
    };
    let sure = RwSignal::new(false);
    let press = move |_| {
        if !sure.get_untracked() {
            return sure.set(true);
        }
        sure.set(false);
        act();
        close();
    };
    let unsure = move |_| {
        if sure.get_untracked() {
            sure.set(false);
        }
    };
    view! {
        <details class=["menu ", class].concat() node_ref=menu on:keydown=keys>
            <summary>{label}</summary>
            <div class="menu-panel">
                {children()}
                <button type="button" class="danger" on:click=press on:blur=unsure>
                    {move || if sure.get() { really } else { action }}
                </button>
            </div>
        </details>
    }
}
