//! What a click in a conversation asked of a message: the `data-act` of the button clicked
//! (and its `data-arg`), and the id of the message it is in. One listener on the list
//! serves every message's buttons.

use wasm_bindgen::JsCast;
use web_sys::Element;

/// An action asked of a message.
pub struct Acted {
    /// The button's `data-act`.
    pub act: String,
    /// The button's `data-arg` (empty if none).
    pub arg: String,
    /// The message's id (its item's `data-id`).
    pub id: String,
}

/// The action `event`, a click, asked for, if it was on an action's button.
pub fn acted(event: &web_sys::Event) -> Option<Acted> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let button = target.closest("[data-act]").ok()??;
    let item = button.closest("li[data-id]").ok()??;
    Some(Acted {
        act: button.get_attribute("data-act")?,
        arg: button.get_attribute("data-arg").unwrap_or_default(),
        id: item.get_attribute("data-id")?,
    })
}
