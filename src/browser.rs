//! Small facts from the browser: the clock, random ids, performance marks, the page address.

use wasm_bindgen_futures::spawn_local;

/// Now, as RFC 3339 (UTC), the chat line's time format.
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Milliseconds since the epoch, for durations.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `HH:MM` in local time for an RFC 3339 time; empty if it cannot be read.
pub fn local_clock(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return String::new();
    }
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// A random 128-bit id in hex. `getRandomValues`, unlike `randomUUID`, also works on
/// plain-http pages.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A User Timing mark (`performance.mark`), for devtools and the benchmarks.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The page's address.
pub fn page_href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Drops `value` after the current event handler returns: a JS callback must not drop the
/// closure it is running in.
pub fn drop_later<T: 'static>(value: T) {
    spawn_local(async move { drop(value) });
}
