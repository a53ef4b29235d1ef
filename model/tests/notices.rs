//! Notices neither repeat nor pile up.

use natter_model::notices::{Notices, MAX_SHOWN};

#[test]
fn a_notice_showing_is_not_shown_again() {
    let mut notices = Notices::default();
    let first = notices.push("bob is calling".into(), None);
    assert!(first.is_some());
    assert_eq!(notices.push("bob is calling".into(), None), None);
    notices.remove(first.unwrap());
    assert!(notices.push("bob is calling".into(), None).is_some(), "once gone, it may come back");
}

#[test]
fn the_oldest_goes_when_there_are_too_many() {
    let mut notices = Notices::default();
    for n in 0..5 {
        notices.push(format!("notice {n}"), None);
    }
    let texts: Vec<_> = notices.shown().iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts.len(), MAX_SHOWN);
    assert_eq!(texts, ["notice 2", "notice 3", "notice 4"]);
}

#[test]
fn a_notice_about_someone_names_them() {
    let mut notices = Notices::default();
    notices.push("Missed call from bob".into(), Some("bob".into()));
    assert_eq!(notices.shown()[0].about.as_deref(), Some("bob"));
}
