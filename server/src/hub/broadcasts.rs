//! Broadcasts (`updateUsers`, `removeUser`) are queued lazily and written together: a
//! room with some waiting is marked, and a task writes to its members a little later.

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

    /// Runs for the server's life: some [`BROADCAST_LINGER`] after a broadcast, writes to
    /// the members of every room that had one all they got meanwhile, at once. Written from
    /// here, after the locks are let go, rather than by waking each socket's task: a wake
    /// across threads costs as much as the write.
    pub async fn flush_broadcasts(&self) {
        loop {
            self.broadcasts_waiting.notified().await;
            tokio::time::sleep(BROADCAST_LINGER).await;
            let mut outboxes = Vec::new();
            let mut state = self.state.lock().expect("hub lock");
            for room in std::mem::take(&mut state.dirty) {
                if let Some(shared) = state.rooms.get(&room) {
                    let members = shared.lock().expect("room lock");
                    outboxes.extend(members.members.values().map(|member| member.outbox.clone()));
                }
            }
            drop(state);
            for outbox in outboxes {
                outbox.send_held();
            }
        }
    }
}
