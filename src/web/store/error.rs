//! `StoreError`: why the store could not do something, sorted out of the browser's
//! exceptions, and what to tell the user.

use crate::i18n::{t, tf, K};
use wasm_bindgen::{JsCast, JsValue};

const QUOTA_EXCEEDED: &str = "QuotaExceededError";

/// Why the store could not do something.
#[derive(Debug)]
pub enum StoreError {
    /// No database here: the browser has no IndexedDB, blocks storage or refuses it (private
    /// browsing), or the database would not open.
    Unavailable(String),
    /// The site's storage quota is used up.
    QuotaExceeded,
    /// Anything else, in the browser's words.
    Failed(String),
}

impl StoreError {
    /// What to tell the user, in plain words.
    pub fn message(&self) -> String {
        match self {
            StoreError::Unavailable(why) => tf(K::NoHistoryHere, &[("why", why)]),
            StoreError::QuotaExceeded => t(K::StorageFull).into(),
            StoreError::Failed(why) => tf(K::HistoryFailed, &[("why", why)]),
        }
    }
}

impl From<JsValue> for StoreError {
    /// Sorts out a thrown exception or a request's or transaction's `DOMException`.
    fn from(error: JsValue) -> Self {
        match error.dyn_ref::<js_sys::Error>() {
            Some(exception) if exception.name() == QUOTA_EXCEEDED => StoreError::QuotaExceeded,
            _ => StoreError::Failed(describe(&error)),
        }
    }
}

/// What went wrong, in the browser's words (a `DOMException` is an `Error` too).
pub(super) fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(exception) => exception.message().into(),
        None => error.as_string().unwrap_or_else(|| t(K::UnknownError).into()),
    }
}
