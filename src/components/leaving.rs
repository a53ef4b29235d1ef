//! Leaving a conversation for the people list: its back button and Escape, the keyboard
//! landing on the conversation's entry.

use crate::state::ChatState;
use crate::web::focus;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use natter_model::talk::Talk;
use wasm_bindgen::JsCast;

/// Leaves the conversation `talk` for the list, the keyboard on its entry.
pub fn back_to_list(state: ChatState, talk: Talk<&str>) {
    state.selected.set(None);
    // An entry is found by its person's name; the room's has an empty one.
    let name = talk.person().unwrap_or_default().to_owned();
    focus::after_redraw(move || {
        focus::focus_where(".users .user", "data-name", &name);
    });
}

/// Escape in the conversation `talk` goes back to the list, unless something in it took
/// the key first (a panel closing) or a draft is being written.
pub fn escape_leaves(state: ChatState, event: &KeyboardEvent, talk: Talk<&str>) {
    let draft = event_target::<web_sys::Element>(event)
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .is_ok_and(|input| !input.value().is_empty());
    if focus::is_escape(event) && !draft {
        event.prevent_default();
        back_to_list(state, talk);
    }
}
