//! The browser's clock, as the chat needs it.

use chrono::NaiveDate;
use natter_model::time::LocalTime;

/// Now, as RFC 3339 (UTC), the chat line's time format.
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Milliseconds since the epoch, for durations.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// An RFC 3339 time as the viewer sees it, in the browser's time zone at that moment
/// (daylight saving included); `None` if it cannot be read.
pub fn local_time(rfc3339: &str) -> Option<LocalTime> {
    let date = js_sys::Date::new(&rfc3339.into());
    // `getTimezoneOffset` counts minutes west of UTC; both are NaN for text `Date` cannot read.
    let (millis, offset) = (date.get_time(), -date.get_timezone_offset());
    if millis.is_nan() || offset.is_nan() {
        return None;
    }
    LocalTime::at(millis as i64, offset as i32)
}

/// Today, in the viewer's time zone.
pub fn today() -> Option<NaiveDate> {
    local_time(&now_rfc3339()).map(|now| now.day)
}
