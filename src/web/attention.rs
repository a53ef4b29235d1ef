//! Getting the person's attention: whether the page is in view, the unread count in the
//! tab's title, and desktop notifications (asked for from a button, never on load).

use super::listener::Listener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Notification, NotificationOptions, NotificationPermission};

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Whether the page is on screen (not a background tab, not minimised).
pub fn visible() -> bool {
    document().is_some_and(|document| !document.hidden())
}

/// Calls `changed` whenever the page comes into view or leaves it.
pub fn on_visibility(changed: impl FnMut(wasm_bindgen::JsValue) + 'static) -> Option<Listener> {
    Some(Listener::new(&document()?, Document::set_onvisibilitychange, changed))
}

/// Shows `unread` in the tab's title: `(3) natter`, or `natter`.
pub fn show_unread(unread: usize) {
    if let Some(document) = document() {
        let title = if unread == 0 { "natter".to_owned() } else { format!("({unread}) natter") };
        document.set_title(&title);
    }
}

/// Whether notifications may be shown, `None` where the browser has none.
pub fn notifications_allowed() -> Option<bool> {
    let supported =
        js_sys::Reflect::has(&web_sys::window()?.into(), &"Notification".into()).ok()?;
    supported.then(|| Notification::permission() == NotificationPermission::Granted)
}

/// Asks the person for permission to notify; `true` if granted.
pub async fn ask_for_notifications() -> bool {
    let Ok(asked) = Notification::request_permission() else { return false };
    let answer = JsFuture::from(asked).await.ok().and_then(|a| a.as_string());
    answer.as_deref() == Some("granted")
}

/// Shows a desktop notification `title: body`; one per `tag` at a time (a newer one
/// replaces it). A click brings the page to the front.
pub fn notify(title: &str, body: &str, tag: &str) {
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    if let Ok(notification) = Notification::new_with_options(title, &options) {
        let focus = wasm_bindgen::closure::Closure::once_into_js(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.focus();
            }
        });
        notification.set_onclick(Some(focus.unchecked_ref()));
    }
}
