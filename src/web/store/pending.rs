//! `Pending`: one IndexedDB transaction as a future, from its requests to its end.

use super::StoreError;
use js_sys::{Array, Promise};
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

/// An operation of a [`Store`](super::Store) under way: resolves to its answer once its
/// transaction has ended (a write counts once committed). Dropping it does not stop the
/// operation.
#[must_use = "the operation runs anyway; await it to learn whether it succeeded"]
pub struct Pending<T> {
    started: Started,
    /// Makes the answer of the requests' results.
    read: fn(Array) -> Result<T, JsValue>,
}

impl<T> Pending<T> {
    /// Opens a transaction over the tables `names` and makes its requests with `make`. A
    /// request that cannot even be made undoes the whole transaction.
    pub(super) fn start(
        db: &IdbDatabase,
        names: &Array,
        mode: IdbTransactionMode,
        make: &dyn Fn(&IdbTransaction) -> Result<Array, JsValue>,
        read: fn(Array) -> Result<T, JsValue>,
    ) -> Self {
        Pending { started: Started::new(db, names, mode, make), read }
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T, StoreError>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context) -> Poll<Self::Output> {
        let ended = ready!(Pin::new(&mut self.started.end).poll(context));
        let results = self.started.results(ended);
        Poll::Ready(results.and_then(self.read).map_err(StoreError::from))
    }
}

/// A transaction under way (what of [`Pending`] does not depend on its answer).
struct Started {
    /// Resolves once the transaction has committed, fails once it has aborted.
    end: JsFuture,
    /// `None` if it could not even begin.
    tx: Option<IdbTransaction>,
    /// The requests made in it, or why they could not be.
    requests: Result<Array, JsValue>,
}

impl Started {
    fn new(
        db: &IdbDatabase,
        names: &Array,
        mode: IdbTransactionMode,
        make: &dyn Fn(&IdbTransaction) -> Result<Array, JsValue>,
    ) -> Self {
        let tx = match db.transaction_with_str_sequence_and_mode(names, mode) {
            Ok(tx) => tx,
            Err(error) => {
                let end = JsFuture::from(Promise::resolve(&JsValue::UNDEFINED));
                return Started { end, tx: None, requests: Err(error) };
            }
        };
        let requests = make(&tx);
        if requests.is_err() {
            let _ = tx.abort();
        }
        // A failed request aborts its transaction (no one cancels its `error` event), so
        // `abort` covers requests too; every transaction ends in `complete` or `abort`.
        let end = Promise::new(&mut |resolve, reject| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onabort(Some(&reject));
        });
        Started { end: JsFuture::from(end), tx: Some(tx), requests }
    }

    /// The requests' results once the transaction has `ended`, or why there are none.
    fn results(&self, ended: Result<JsValue, JsValue>) -> Result<Array, JsValue> {
        let requests = self.requests.clone()?;
        // An abort says why in `tx.error` (nothing if we aborted, but then `requests` did).
        ended.map_err(|_| JsValue::from(self.tx.as_ref().and_then(IdbTransaction::error)))?;
        requests.iter().map(|request| request.unchecked_into::<IdbRequest>().result()).collect()
    }
}
