//! Which messages of a conversation are drawn as one group, under a single name and time.

use crate::conversation::Message;
use crate::time::LocalTime;

/// Longest pause between two messages of one group, in minutes.
pub const GROUP_PAUSE_MINUTES: u32 = 5;

/// Whether `next` joins the group of `previous` (each with its time as the viewer sees
/// it): the same person on the same side, neither a notice from the app nor a missed call
/// nor a line relayed and not verified (each stands alone, under its name), on the same day and at most [`GROUP_PAUSE_MINUTES`] later.
pub fn joins_group(previous: (&Message, LocalTime), next: (&Message, LocalTime)) -> bool {
    let ((before, then), (after, now)) = (previous, next);
    let minutes = |t: LocalTime| t.hour * 60 + t.minute;
    let alone = |m: &Message| m.notice || m.missed_call.is_some() || m.proof.relayer().is_some();
    !alone(before)
        && !alone(after)
        && before.outgoing == after.outgoing
        && before.from == after.from
        && then.day == now.day
        && minutes(now).checked_sub(minutes(then)).is_some_and(|gap| gap <= GROUP_PAUSE_MINUTES)
}
