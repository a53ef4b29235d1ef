//! Facts about the page: its address, random ids, performance marks.

use crate::web::clock::now_ms;

/// The page's address.
pub fn page_href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// A random 128-bit id in hex. `getRandomValues`, unlike `randomUUID`, also works on
/// plain-http pages; where there is no WebCrypto, `Math.random` still keeps ids apart
/// (receivers drop a repeated id as a resend).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if crypto.is_none_or(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_err()) {
        bytes.fill_with(|| (js_sys::Math::random() * 256.0) as u8);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The text field of the form `event` submits (its first `input`).
pub fn submitted_field(event: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    let form = event.target()?.unchecked_into::<web_sys::Element>();
    Some(form.query_selector("input").ok()??.unchecked_into())
}

/// A new private room's id: 80 random bits, not to be guessed.
pub fn private_room_id() -> String {
    let mut id = random_id();
    id.truncate(natter_model::room_name::PRIVATE_ROOM_DIGITS);
    id
}

/// Keeps the page for `ms` milliseconds, busy, as it goes away (in `pagehide`, after which
/// nothing else runs): the browser's network thread goes on meanwhile.
pub fn hold(ms: f64) {
    let until = now_ms() + ms;
    while now_ms() < until {}
}

/// A User Timing mark (`performance.mark`), for devtools and the benchmarks.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Goes to `address` (the page unloads: what leaving does runs as when it is closed).
pub fn go(address: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(address);
    }
}
