//! Keyboard focus: where it goes when what held it is redrawn, opened or closed, and how
//! a dialog keeps it.

use leptos::prelude::request_animation_frame;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent};

/// What Tab can reach inside a dialog.
const TABBABLE: &str = "button:not([disabled]), summary, a[href], input:not([disabled]), \
                        textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// The element with the focus, if any (not the page's body).
pub fn focused() -> Option<Element> {
    let document = document()?;
    let active = document.active_element()?;
    let body: Option<Element> = document.body().map(Into::into);
    (Some(&active) != body.as_ref()).then_some(active)
}

/// Whether the focus fell to the page: what held it went away.
pub fn lost() -> bool {
    focused().is_none()
}

/// Focuses `element`; whether it could.
pub fn focus(element: &Element) -> bool {
    element.dyn_ref::<HtmlElement>().is_some_and(|element| element.focus().is_ok())
}

/// Focuses the first element matching `selector` in the page; whether there was one.
pub fn focus_first(selector: &str) -> bool {
    let found = document().and_then(|document| document.query_selector(selector).ok().flatten());
    found.is_some_and(|element| focus(&element))
}

/// The first element matching `selector` whose `attribute` is `value` (a name may hold
/// any character: no selector is built from it).
fn find_where(selector: &str, attribute: &str, value: &str) -> Option<Element> {
    let all = document()?.query_selector_all(selector).ok()?;
    (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
        .find(|element| element.get_attribute(attribute).as_deref() == Some(value))
}

/// Focuses the first element matching `selector` whose `attribute` is `value`.
pub fn focus_where(selector: &str, attribute: &str, value: &str) -> bool {
    find_where(selector, attribute, value).is_some_and(|element| focus(&element))
}

/// Focuses the first element matching `inner` inside the one [`focus_where`] would.
pub fn focus_inside(selector: &str, attribute: &str, value: &str, inner: &str) -> bool {
    find_where(selector, attribute, value)
        .and_then(|element| element.query_selector(inner).ok().flatten())
        .is_some_and(|element| focus(&element))
}

/// Brings the message `id` of the conversation on screen into view, focused and marked
/// for a moment (CSS `.shown`), if it is drawn.
pub fn show_message(id: &str) {
    let Some(item) = find_where(".messages li[data-id]", "data-id", id) else { return };
    let _ = item.set_attribute("tabindex", "-1");
    // Marked anew each time: the mark's animation starts when the class is added.
    let _ = item.class_list().remove_1("shown");
    let _ = item.scroll_top();
    let _ = item.class_list().add_1("shown");
    focus(&item);
}

/// Up and Down on a conversation's list (`event`'s listener) or on one of its messages
/// move the focus to the message above or below (Up from the list: the newest); a focused
/// message shows its actions, the next Tab stops.
pub fn step_message(event: &KeyboardEvent) {
    let down = match event.key().as_str() {
        "ArrowDown" => true,
        "ArrowUp" => false,
        _ => return,
    };
    let Some(list) = event.current_target().and_then(|list| list.dyn_into::<Element>().ok()) else {
        return;
    };
    let Ok(items) = list.query_selector_all(".message") else { return };
    let active = focused();
    let is = |i| items.item(i).and_then(|item| item.dyn_into::<Element>().ok()) == active;
    let on_list = active.as_ref() == Some(&list);
    let next = match (0..items.length()).find(|&i| is(i)) {
        Some(at) if down => at + 1,
        Some(at) => at.wrapping_sub(1),
        None if on_list && !down => items.length().wrapping_sub(1),
        None => return,
    };
    if let Some(item) = items.item(next).and_then(|item| item.dyn_into::<Element>().ok()) {
        event.prevent_default();
        let _ = item.set_attribute("tabindex", "-1");
        focus(&item);
    }
}

/// Runs `then` once what changed now is drawn.
pub fn after_redraw(then: impl FnOnce() + 'static) {
    request_animation_frame(then);
}

/// Keeps Tab and Shift+Tab inside `dialog`: from its last control to its first, and back.
pub fn trap(event: &KeyboardEvent, dialog: &Element) {
    if event.key() != "Tab" {
        return;
    }
    let Ok(all) = dialog.query_selector_all(TABBABLE) else { return };
    let shown: Vec<HtmlElement> = (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|element| element.offset_width() > 0 || element.offset_height() > 0)
        .collect();
    let (Some(first), Some(last)) = (shown.first(), shown.last()) else { return };
    let active = focused();
    let at = |element: &HtmlElement| active.as_ref() == Some(element.unchecked_ref::<Element>());
    let on_dialog = active.as_ref() == Some(dialog);
    if event.shift_key() && (at(first) || on_dialog) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && at(last) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Whether `event` is Escape, not yet taken by something inside.
pub fn is_escape(event: &KeyboardEvent) -> bool {
    event.key() == "Escape" && !event.default_prevented()
}
