//! Mounting a component over a hand-built state and the engine, acting on it as a person
//! would, and reading what it draws.

use leptos::prelude::*;
use natter::context::{provide_chat, ClientHandle};
use natter::state::ChatState;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, EventInit, HtmlElement, KeyboardEvent, KeyboardEventInit};

/// A component on the page, the state it reads and the engine it acts through.
pub struct Mounted {
    pub root: HtmlElement,
    pub state: ChatState,
    pub client: ClientHandle,
}

/// Mounts `view` in a fresh element, with a state `fill` prepares first (the engine in
/// context writes it too).
pub fn mount<V: IntoView + 'static>(
    fill: impl FnOnce(ChatState) + 'static,
    view: impl FnOnce() -> V + 'static,
) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let state = ChatState::new(None);
    let client = Rc::new(Cell::new(None));
    let handle = leptos::mount::mount_to(root.clone(), {
        let client = client.clone();
        move || {
            client.set(Some(provide_chat(state)));
            fill(state);
            view()
        }
    });
    // The component lives as long as the page: the test reads what it drew.
    handle.forget();
    Mounted { root, state, client: client.take().expect("the engine") }
}

/// The text of every element matching `selector` under `root`.
pub fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .filter_map(|i| found.get(i))
        .map(|node| node.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The one element matching `selector` under `root`.
pub fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    let found = root.query_selector(selector).unwrap();
    found.unwrap_or_else(|| panic!("nothing matches {selector}")).unchecked_into()
}

/// Whether an element matches `selector` under `root`.
pub fn has(root: &HtmlElement, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

/// Clicks the button under `root` that says `label`.
pub fn click(root: &HtmlElement, label: &str) {
    let buttons = root.query_selector_all("button").unwrap();
    let button = (0..buttons.length())
        .filter_map(|i| buttons.get(i))
        .map(|node| node.unchecked_into::<HtmlElement>())
        .find(|button| button.text_content().unwrap_or_default().trim() == label);
    button.unwrap_or_else(|| panic!("no button says {label}")).click();
}

/// Types `text` into the field `selector` (its whole value), as the browser reports it.
pub fn type_into(root: &HtmlElement, selector: &str, text: &str) {
    let field: Element = find(root, selector);
    field.unchecked_ref::<web_sys::HtmlTextAreaElement>().set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    let input = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&input).unwrap();
}

/// Presses `key` in the element `selector` (with Shift if `shift`); whether the page let
/// the browser act on it (`false`: the page took the key).
pub fn press(root: &HtmlElement, selector: &str, key: &str, shift: bool) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    find::<Element>(root, selector).dispatch_event(&event).unwrap()
}

/// Waits until what the last action changed is drawn (the redraw runs in a task of its
/// own, after the one that changed the state).
pub async fn redrawn() {
    let later = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(later).await.unwrap();
}
