//! The language the app speaks: English or Simplified Chinese, picked from the browser's
//! languages unless the person chose one in the settings (kept in `localStorage`). The
//! words are in `natter_model::i18n`'s tables; this module knows which table is in use,
//! sets `<html lang>`, and picks plural forms with the browser's `Intl.PluralRules`.
//!
//! The language is chosen once, before the app mounts; a change in the settings is
//! stored and applied by reloading the page (the login resumes from the session), so no
//! text needs to be live: less wasm than a signal read in every text of the app.

pub use natter_model::i18n::{Lang, K};
use std::sync::atomic::{AtomicBool, Ordering};

/// The `localStorage` entry holding the language chosen in the settings.
const STORAGE_KEY: &str = "natter-lang";

/// Whether the app speaks Chinese (else English).
static CHINESE: AtomicBool = AtomicBool::new(false);

/// The language in use.
pub fn lang() -> Lang {
    if CHINESE.load(Ordering::Relaxed) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The words for `key`.
pub fn t(key: K) -> &'static str {
    lang().get(key)
}

/// The words for `key`, each `{name}` filled from `values`.
pub fn tf(key: K, values: &[(&str, &str)]) -> String {
    lang().fill(key, values)
}

/// The words for a count `n`: `one` where the language's plural rules say "one" for `n`,
/// else `other`; `{n}` is the count.
pub fn plural(one: K, other: K, n: usize) -> String {
    let tags = js_sys::Array::of1(&lang().tag().into());
    let rules = js_sys::Intl::PluralRules::new(&tags, &js_sys::Object::new());
    let key = if rules.select(n as f64) == "one" { one } else { other };
    tf(key, &[("n", &n.to_string())])
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Chooses the language (the stored choice, else the browser's first language natter
/// speaks) and says it in `<html lang>`. Runs before the app mounts.
pub fn start() {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let chosen = stored.as_deref().and_then(Lang::from_tag).unwrap_or_else(|| {
        let languages = web_sys::window().map(|w| w.navigator().languages()).unwrap_or_default();
        let tags: Vec<String> = languages.iter().filter_map(|tag| tag.as_string()).collect();
        Lang::pick(tags.iter().map(String::as_str))
    });
    CHINESE.store(chosen == Lang::Zh, Ordering::Relaxed);
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", chosen.tag());
    }
}

/// Keeps `chosen` for this device and reloads the page in it.
pub fn switch(chosen: Lang) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, chosen.tag());
    }
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
