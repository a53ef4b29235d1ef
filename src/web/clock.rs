//! The browser's clock, as the chat needs it.

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
