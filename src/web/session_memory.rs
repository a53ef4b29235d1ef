//! What this tab remembers across a reload, and only this tab: the name it logged in
//! under and the server's resume token for it (`sessionStorage`).

const NAME: &str = "natter.name";
const ROOM: &str = "natter.room";
const TOKEN: &str = "natter.resume";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The login to resume after a reload in `room`: the name and the token, if this tab had
/// one there.
pub fn remembered(room: &str) -> Option<(String, String)> {
    let storage = storage()?;
    let get = |key| storage.get_item(key).ok().flatten();
    (get(ROOM)? == room).then_some(())?;
    Some((get(NAME)?, get(TOKEN)?))
}

/// Remembers the login that just succeeded.
pub fn remember(name: &str, room: &str, token: &str) {
    if let Some(storage) = storage() {
        for (key, value) in [(NAME, name), (ROOM, room), (TOKEN, token)] {
            let _ = storage.set_item(key, value);
        }
    }
}

/// Forgets it (the name was refused, or the user forgets everything).
pub fn forget() {
    if let Some(storage) = storage() {
        for key in [NAME, ROOM, TOKEN] {
            let _ = storage.remove_item(key);
        }
    }
}
