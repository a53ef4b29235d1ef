//! Reconnection delays.

use natter_model::backoff::{delay, seconds};
use std::time::Duration;

#[test]
fn waits_double_up_to_a_ceiling() {
    let waits: Vec<_> = (0..7).map(|attempt| delay(attempt).as_millis()).collect();
    assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
    assert_eq!(delay(u32::MAX), Duration::from_secs(8), "never overflows");
}

#[test]
fn the_status_bar_rounds_up() {
    assert_eq!(seconds(delay(0)), 1);
    assert_eq!(seconds(delay(3)), 4);
}
