//! The rooms this device has been in (`localStorage`, one record per room under
//! `natter.visited.<room>`): read at once by the first screen, written as a room changes.
//! "Forget everything" clears them with the rest of `localStorage`.

use natter_model::visited::{newest_first, Visited};

/// Followed by the room (empty for the lobby).
const PREFIX: &str = "natter.visited.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Every room kept, the newest first.
pub fn all() -> Vec<Visited> {
    let Some(storage) = storage() else { return Vec::new() };
    let keys: Vec<String> =
        (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
    let mut rooms: Vec<Visited> = keys
        .iter()
        .filter_map(|key| {
            let room = key.strip_prefix(PREFIX)?;
            Visited::from_record(room, &storage.get_item(key).ok()??)
        })
        .collect();
    newest_first(&mut rooms);
    rooms
}

/// What is kept of the room `room`, if anything.
pub fn find(room: &str) -> Option<Visited> {
    let record = storage()?.get_item(&[PREFIX, room].concat()).ok()??;
    Visited::from_record(room, &record)
}

/// Keeps `visited`, in place of what was kept of its room.
pub fn keep(visited: &Visited) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&[PREFIX, &visited.room].concat(), &visited.to_record());
    }
}

/// Forgets the room `room`.
pub fn remove(room: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&[PREFIX, room].concat());
    }
}
