//! Where the signaling server is and which room to join, decided at run time from the page URL.

use crate::i18n::{tf, K};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response, Url, UrlSearchParams};

/// Path of the WebSocket on natter's server (and on the same origin by default).
pub const SIGNALING_PATH: &str = "/ws";

/// The signaling URL for a page at `page_href`.
///
/// `?server=` wins, then `configured` (from `config.json`), then the page's own origin at
/// [`SIGNALING_PATH`], with `wss:` on an `https:` page.
pub fn signaling_url(page_href: &str, configured: Option<&str>) -> Result<String, String> {
    let page = Url::new(page_href).map_err(|_| tf(K::BadPageAddress, &[("address", page_href)]))?;
    let secure = page.protocol() == "https:";
    let requested = query_param(&page, "server").or_else(|| configured.map(str::to_owned));
    match requested {
        Some(server) => normalize_server(&server, secure),
        None => {
            let scheme = if secure { "wss" } else { "ws" };
            Ok(format!("{scheme}://{}{SIGNALING_PATH}", page.host()))
        }
    }
}

/// How long the app waits for `config.json` before it falls back to the page's origin.
const CONFIG_TIMEOUT_MS: u32 = 2_000;

thread_local! {
    /// The read of `config.json`, started by [`fetch_config`] when the app starts, again by
    /// [`read_config_again`].
    static CONFIGURED: RefCell<Shared<LocalBoxFuture<'static, Option<String>>>> =
        RefCell::new(read_config());
}

/// Starts reading `config.json` (once), so it is there by the time a person has typed
/// their name.
pub fn fetch_config() {
    CONFIGURED.with(|_| {});
}

/// The `server` of an optional `config.json` beside `index.html` (a deployment's choice,
/// made without rebuilding the app); `None` if there is none, or it took too long.
pub async fn configured_server() -> Option<String> {
    CONFIGURED.with(|read| read.borrow().clone()).await
}

/// Reads `config.json` anew when the next login asks for it (not now: the last read may
/// have failed because the page is offline, and it may still be).
pub fn read_config_again() {
    let later = async { read_config().await }.boxed_local().shared();
    CONFIGURED.with(|read| *read.borrow_mut() = later);
}

/// Sends the request now; the returned future reads the answer.
fn read_config() -> Shared<LocalBoxFuture<'static, Option<String>>> {
    // Plain fetch rather than gloo-net's Request: 2.2 KB less wasm (brotli), measured.
    let init = RequestInit::new();
    init.set_signal(Some(&AbortSignal::timeout_with_u32(CONFIG_TIMEOUT_MS)));
    // Its failure (offline) is handled from the start: no "uncaught in promise" in between.
    let sent = web_sys::window()
        .map(|window| JsFuture::from(window.fetch_with_str_and_init("config.json", &init)));
    async move {
        let response: Response = sent?.await.ok()?.dyn_into().ok()?;
        let text = JsFuture::from(response.ok().then_some(response)?.text().ok()?).await.ok()?;
        // A host with an SPA fallback answers index.html here: not JSON, so no setting.
        // Other fields are ignored. (Read by the protocol crate's small JSON reader:
        // serde_json would add about 24 KB of wasm to the download.)
        natter_protocol::json::string_field(&text.as_string()?, "server")
    }
    .boxed_local()
    .shared()
}

/// The room named in the page URL (`?room=NAME` or `#room=NAME`), if any.
pub fn room(page_href: &str) -> Option<String> {
    let page = Url::new(page_href).ok()?;
    let from_hash = || {
        let hash = page.hash();
        let params = UrlSearchParams::new_with_str(hash.trim_start_matches('#')).ok()?;
        params.get("room")
    };
    query_param(&page, "room").or_else(from_hash).filter(|room| !room.trim().is_empty())
}

/// `page_href` without the room it names, in its query or its fragment: the address of the
/// first screen (the rest, `?server=` say, stays).
pub fn without_room(page_href: &str) -> Option<String> {
    let page = Url::new(page_href).ok()?;
    page.search_params().delete("room");
    let hash = UrlSearchParams::new_with_str(page.hash().trim_start_matches('#')).ok()?;
    hash.delete("room");
    page.set_hash(&String::from(hash.to_string()));
    Some(page.href())
}

/// `page_href` naming `room` in its query instead of any room it named: another room's page.
pub fn with_room(page_href: &str, room: &str) -> Option<String> {
    let page = Url::new(&without_room(page_href)?).ok()?;
    page.search_params().set("room", room);
    Some(page.href())
}

/// Names `room` in the page's address (`#room=NAME`, the lobby: none), without reloading:
/// the address is then the link to the room, and a reload comes back to it.
pub fn show_room(room: Option<&str>) {
    let Some(location) = web_sys::window().map(|window| window.location()) else { return };
    let hash = match (room, UrlSearchParams::new()) {
        (Some(room), Ok(params)) => {
            params.set("room", room);
            String::from(params.to_string())
        }
        _ => String::new(),
    };
    let _ = location.set_hash(&hash);
}

fn query_param(page: &Url, key: &str) -> Option<String> {
    page.search_params().get(key).filter(|value| !value.is_empty())
}

/// Accepts `ws(s)://`, `http(s)://` (mapped to `ws(s)`) or a bare `host[:port]`.
fn normalize_server(server: &str, secure_page: bool) -> Result<String, String> {
    let bad = || tf(K::BadServerAddress, &[("server", server)]);
    // `scheme://…`, told apart from `host:port` at the first colon.
    let has_scheme = server.find(':').is_some_and(|colon| server[colon..].starts_with("://"));
    let with_scheme = if has_scheme {
        server.to_owned()
    } else {
        let scheme = if secure_page { "wss" } else { "ws" };
        format!("{scheme}://{}{SIGNALING_PATH}", server.trim_end_matches('/'))
    };
    let url = Url::new(&with_scheme).map_err(|_| bad())?;
    let scheme = match url.protocol().as_str() {
        "ws:" | "http:" => "ws",
        "wss:" | "https:" => "wss",
        _ => return Err(bad()),
    };
    Ok(format!("{scheme}://{}{}{}", url.host(), url.pathname(), url.search()))
}
