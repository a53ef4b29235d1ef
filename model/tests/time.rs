//! Message times in the viewer's time zone.

use chrono::NaiveDate;
use natter_model::i18n::Lang;
use natter_model::time::{day_label, LocalTime};

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn a_time_is_seen_in_the_viewers_zone() {
    // 2026-11-30T23:30:00Z.
    let late = 1_796_081_400_000;
    let paris = LocalTime::at(late, 60).unwrap();
    assert_eq!((paris.day, paris.clock()), (date(2026, 12, 1), "00:30".to_owned()));
    let new_york = LocalTime::at(late, -300).unwrap();
    assert_eq!((new_york.day, new_york.clock()), (date(2026, 11, 30), "18:30".to_owned()));
    assert_eq!(LocalTime::at(late - 3_600_000, -90).unwrap().clock(), "21:00");
    assert_eq!(LocalTime::at(late, i32::MAX), None);
    assert_eq!(LocalTime::at(i64::MAX, 0), None);
}

#[test]
fn days_are_named_as_people_say_them() {
    let today = date(2026, 11, 30);
    assert_eq!(day_label(today, today, Lang::En), "Today");
    assert_eq!(day_label(date(2026, 11, 29), today, Lang::En), "Yesterday");
    assert_eq!(day_label(date(2026, 11, 26), today, Lang::En), "Thursday");
    assert_eq!(day_label(date(2026, 11, 2), today, Lang::En), "Monday 2 November");
    assert_eq!(day_label(date(2025, 12, 31), today, Lang::En), "31 December 2025");
    assert_eq!(
        day_label(date(2026, 12, 5), today, Lang::En),
        "Saturday 5 December",
        "a clock set wrong"
    );
}
