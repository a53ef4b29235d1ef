//! Broadcasts (`updateUsers`, `removeUser`) are queued lazily and written together: a
//! room with some waiting is marked, and a task wakes its members a little later.

use super::{Hub, RoomId, State};
use std::time::Duration;

/// How long a broadcast (`updateUsers`, `removeUser`) may wait to share a write with the
/// next ones. During a login wave every member gets one frame per login: written one by one
/// that is a system call per member per login; lingering a little coalesces them.
pub const BROADCAST_LINGER: Duration = Duration::from_millis(50);

impl Hub {
    pub(super) fn mark_dirty(&self, state: &mut State, room: &RoomId) {
        if state.dirty.is_empty() {
            self.broadcasts_waiting.notify_one();
        }
        if !state.dirty.contains(room) {
            state.dirty.insert(room.clone());
        }
    }

    /// Runs for the server's life: some [`BROADCAST_LINGER`] after a broadcast, wakes the
    /// members of every room that had one, so each writes all it got meanwhile at once.
    pub async fn flush_broadcasts(&self) {
        loop {
            self.broadcasts_waiting.notified().await;
            tokio::time::sleep(BROADCAST_LINGER).await;
            let mut state = self.state.lock().expect("hub lock");
            for room in std::mem::take(&mut state.dirty) {
                if let Some(shared) = state.rooms.get(&room) {
                    for member in shared.lock().expect("room lock").members.values() {
                        member.outbox.wake();
                    }
                }
            }
        }
    }
}
