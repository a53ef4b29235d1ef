//! What a tab remembers across a reload, and only that tab: the name it logged in under,
//! the server's resume token for it, and a notice for the page after a reload
//! (`sessionStorage`); and, for every tab of this browser, the latest login in each room
//! (`localStorage`), which another tab shows to take the login over ("Use here").

const NAME: &str = "natter.name";
const ROOM: &str = "natter.room";
const TOKEN: &str = "natter.resume";
/// Followed by the room: `name \n token` of the room's latest login in this browser.
const SHARED: &str = "natter.login.";
const NOTICE: &str = "natter.notice";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn shared_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The login to resume after a reload in `room`: the name and the token, if this tab had
/// one there (without a token: a new login the page before asked for, see [`carry`]).
pub fn remembered(room: &str) -> Option<(String, Option<String>)> {
    let storage = storage()?;
    let get = |key| storage.get_item(key).ok().flatten();
    (get(ROOM)? == room).then_some(())?;
    Some((get(NAME)?, get(TOKEN)))
}

/// Asks the next page of this tab, in `room`, to log in as `name` by itself.
pub fn carry(name: &str, room: &str) {
    forget_tab();
    if let Some(storage) = storage() {
        let _ = storage.set_item(NAME, name);
        let _ = storage.set_item(ROOM, room);
    }
}

/// Remembers the login that just succeeded, for this tab and for the others.
pub fn remember(name: &str, room: &str, token: &str) {
    if let Some(storage) = storage() {
        for (key, value) in [(NAME, name), (ROOM, room), (TOKEN, token)] {
            let _ = storage.set_item(key, value);
        }
    }
    if let Some(shared) = shared_storage() {
        let _ = shared.set_item(&[SHARED, room].concat(), &[name, "\n", token].concat());
    }
}

/// The token of the latest login under `name` in `room` in this browser, by any tab.
pub fn shared_token(room: &str, name: &str) -> Option<String> {
    let login = shared_storage()?.get_item(&[SHARED, room].concat()).ok()??;
    let (holder, token) = login.split_once('\n')?;
    (holder == name).then(|| token.to_owned())
}

/// Forgets the shared login of `room` (its token no longer works).
pub fn forget_shared(room: &str) {
    if let Some(shared) = shared_storage() {
        let _ = shared.remove_item(&[SHARED, room].concat());
    }
}

/// Forgets it all, this tab's and everything natter keeps in `localStorage` (the shared
/// logins, the language chosen): the user forgets everything.
pub fn forget() {
    for storage in [storage(), shared_storage()].into_iter().flatten() {
        let _ = storage.clear();
    }
}

/// Forgets this tab's login: the next page in it starts on the first screen.
pub fn forget_tab() {
    if let Some(storage) = storage() {
        for key in [NAME, ROOM, TOKEN] {
            let _ = storage.remove_item(key);
        }
    }
}

/// Reloads the page, which then says `notice` (see [`take_notice`]).
pub fn reload_saying(notice: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(NOTICE, notice);
    }
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The notice the page before a reload left for this one, once.
pub fn take_notice() -> Option<String> {
    let storage = storage()?;
    let notice = storage.get_item(NOTICE).ok().flatten()?;
    let _ = storage.remove_item(NOTICE);
    Some(notice)
}
