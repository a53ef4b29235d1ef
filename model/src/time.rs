//! Message times for people: the day a message falls on in the viewer's time zone
//! ("Today", "Yesterday", then a date) and its time of day.

use crate::i18n::{Lang, K};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Timelike};

/// A moment as the viewer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The day, in the viewer's time zone.
    pub day: NaiveDate,
    /// Hours and minutes.
    pub hour: u32,
    pub minute: u32,
}

impl LocalTime {
    /// The moment `millis` after the Unix epoch seen from a time zone `offset_minutes` east
    /// of UTC; `None` out of range. (The browser reads the RFC 3339 text: chrono's parser
    /// would add kilobytes to the download for what `Date` already does.)
    pub fn at(millis: i64, offset_minutes: i32) -> Option<Self> {
        let zone = FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
        let local = DateTime::from_timestamp_millis(millis)?.with_timezone(&zone);
        Some(LocalTime { day: local.date_naive(), hour: local.hour(), minute: local.minute() })
    }

    /// `HH:MM`.
    pub fn clock(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

/// What the separator above a day's first message says, seen on `today`: "Today",
/// "Yesterday", the weekday within a week, then the date (with the year if not this one).
/// In `lang`'s words and order.
pub fn day_label(day: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let weekday = lang.nth(K::Monday, day.weekday().num_days_from_monday() as usize);
    let month = lang.nth(K::January, day.month0() as usize);
    let (number, year) = (day.day().to_string(), day.year().to_string());
    let date = [("weekday", weekday), ("day", &number), ("month", month), ("year", &year)];
    match today.signed_duration_since(day) {
        age if age == Duration::zero() => lang.get(K::Today).to_owned(),
        age if age == Duration::days(1) => lang.get(K::Yesterday).to_owned(),
        age if age > Duration::zero() && age < Duration::days(7) => weekday.to_owned(),
        _ if day.year() == today.year() => lang.fill(K::DayThisYear, &date),
        _ => lang.fill(K::DayOtherYear, &date),
    }
}
