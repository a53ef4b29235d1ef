//! `Store`: the app's IndexedDB database (our identity, contacts, conversations and their
//! messages, files received and under way) as async reads and writes by key and by key prefix.

mod error;
mod pending;

pub use error::StoreError;
pub use pending::Pending;

use super::Listener;
use crate::i18n::{t, K};
use error::describe;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbRequest};
use web_sys::{IdbTransaction, IdbTransactionMode};

const DATABASE: &str = "natter";
/// Raise it, and create what is new in `open`'s upgrade, to change the tables.
const VERSION: u32 = 3;
const READ: IdbTransactionMode = IdbTransactionMode::Readonly;
const WRITE: IdbTransactionMode = IdbTransactionMode::Readwrite;

/// A table (IndexedDB object store). Keys are arrays the caller builds; values are JSON text
/// the caller writes, but for [`Table::Identity`]'s.
#[derive(Clone, Copy)]
pub enum Table {
    /// Our long-lived WebRTC certificate: a structured-cloned `RTCCertificate`.
    Identity,
    /// Keyed `[room, fingerprint]`.
    Contacts,
    /// Keyed `[room, name]`.
    Names,
    /// Keyed `[room, fingerprint]`.
    Conversations,
    /// Keyed `[room, fingerprint, seq]`, `seq` a number.
    Messages,
    /// Files received, keyed `[room, sender, transfer id]`: a `Blob` (since version 2).
    Files,
    /// Transfers under way, either way, keyed `[room, peer, transfer id]` (since version 3).
    Transfers,
    /// What came of a transfer under way, keyed `[room, sender, transfer id, offset]`.
    Pieces,
}

/// One change in a [`Store::write`].
pub enum Write {
    /// Keep the value under the key, replacing what was there.
    Put(Table, Vec<JsValue>, JsValue),
    /// Delete the record under the key, if there is one.
    Delete(Table, Vec<JsValue>),
    /// Delete every record whose key starts with the prefix.
    DeleteRange(Table, Vec<JsValue>),
}

const TABLES: [Table; 8] = [
    Table::Identity,
    Table::Contacts,
    Table::Names,
    Table::Conversations,
    Table::Messages,
    Table::Files,
    Table::Transfers,
    Table::Pieces,
];

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Identity => "identity",
            Table::Contacts => "contacts",
            Table::Names => "names",
            Table::Conversations => "conversations",
            Table::Messages => "messages",
            Table::Files => "files",
            Table::Transfers => "transfers",
            Table::Pieces => "pieces",
        }
    }
}

/// An open connection to the database. Cheap to clone: clones are handles on the same
/// connection.
///
/// Every operation is a transaction of its own, started when the method is called (so
/// operations apply in the order they are called, awaited or not); its [`Pending`] result
/// borrows nothing and resolves once the transaction has ended.
#[derive(Clone)]
pub struct Store {
    db: IdbDatabase,
}

impl Store {
    /// Opens the database, creating it on first use.
    pub async fn open() -> Result<Store, StoreError> {
        let unavailable = |error: JsValue| StoreError::Unavailable(describe(&error));
        let factory = match web_sys::window().map(|window| window.indexed_db()) {
            Some(Ok(Some(factory))) => factory,
            // Storage blocked by the user's settings throws `SecurityError`.
            Some(Err(error)) => return Err(unavailable(error)),
            _ => return Err(StoreError::Unavailable(t(K::NoIndexedDb).into())),
        };
        let request = factory.open_with_u32(DATABASE, VERSION).map_err(unavailable)?;
        let upgrading = request.clone();
        let upgrade = Listener::new(&request, IdbOpenDbRequest::set_onupgradeneeded, move |_| {
            if let Ok(db) = upgrading.result() {
                let db: IdbDatabase = db.unchecked_into();
                // Fails only for a table an earlier version made already.
                for table in TABLES {
                    let _ = db.create_object_store(table.name());
                }
            }
        });
        let opened = Promise::new(&mut |resolve, reject| {
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
        });
        // The upgrade must run even if our caller stops waiting: a database made without its
        // tables would stay so.
        let settled = opened.clone();
        spawn_local(async move {
            let _ = JsFuture::from(settled).await;
            drop(upgrade);
        });
        if JsFuture::from(opened).await.is_err() {
            return Err(unavailable(request.error().ok().flatten().into()));
        }
        let db: IdbDatabase = request.result().map_err(unavailable)?.unchecked_into();
        // A newer version in another tab (or clearing site data) waits until every connection
        // has closed: ours closes rather than hold it up, and its later operations fail.
        let close: Function = Reflect::get(&db, &"close".into())?.unchecked_into();
        db.set_onversionchange(Some(&close.bind0(&db)));
        Ok(Store { db })
    }

    /// The value under `key`, if there is one.
    pub fn get(&self, table: Table, key: &[JsValue]) -> Pending<Option<JsValue>> {
        self.on(table, READ, &|store| one(store.get(&array(key))), |results| {
            Ok(Some(results.get(0)).filter(|value| !value.is_undefined()))
        })
    }

    /// Keeps `value` under `key`, replacing what was there.
    pub fn put(&self, table: Table, key: &[JsValue], value: &JsValue) -> Pending<()> {
        self.on(table, WRITE, &|store| one(store.put_with_key(value, &array(key))), done)
    }

    /// Every record whose key starts with `prefix`, as `(key, value)` in key order.
    pub fn range(&self, table: Table, prefix: &[JsValue]) -> Pending<Vec<(JsValue, JsValue)>> {
        // Two bulk reads in one transaction see the same records: smaller than a cursor.
        let make = |store: &IdbObjectStore| {
            let range = prefix_range(prefix)?;
            let keys = store.get_all_keys_with_key(&range)?;
            Ok(Array::of2(keys.as_ref(), store.get_all_with_key(&range)?.as_ref()))
        };
        self.on(table, READ, &make, |results| {
            let keys: Array = results.get(0).unchecked_into();
            let values: Array = results.get(1).unchecked_into();
            Ok((0..keys.length()).map(|index| (keys.get(index), values.get(index))).collect())
        })
    }

    /// Makes `writes` in one transaction, in order: all of them or, if one fails, none.
    pub fn write(&self, writes: &[Write]) -> Pending<()> {
        let make = |tx: &IdbTransaction| {
            let requests = Array::new();
            for write in writes {
                let request = match write {
                    Write::Put(table, key, value) => {
                        tx.object_store(table.name())?.put_with_key(value, &array(key))
                    }
                    Write::Delete(table, key) => tx.object_store(table.name())?.delete(&array(key)),
                    Write::DeleteRange(table, prefix) => {
                        tx.object_store(table.name())?.delete(prefix_range(prefix)?.as_ref())
                    }
                };
                requests.push(request?.as_ref());
            }
            Ok(requests)
        };
        Pending::start(&self.db, &names(&TABLES), WRITE, &make, done)
    }

    /// Empties every table at once: "forget everything on this device".
    pub fn clear(&self) -> Pending<()> {
        let make = |tx: &IdbTransaction| {
            let requests = Array::new();
            for table in TABLES {
                requests.push(tx.object_store(table.name())?.clear()?.as_ref());
            }
            Ok(requests)
        };
        Pending::start(&self.db, &names(&TABLES), WRITE, &make, done)
    }

    /// Starts `make`'s requests on `table`; `read` makes the answer of their results.
    fn on<T>(
        &self,
        table: Table,
        mode: IdbTransactionMode,
        make: &dyn Fn(&IdbObjectStore) -> Result<Array, JsValue>,
        read: fn(Array) -> Result<T, JsValue>,
    ) -> Pending<T> {
        let make = |tx: &IdbTransaction| make(&tx.object_store(table.name())?);
        Pending::start(&self.db, &names(&[table]), mode, &make, read)
    }
}

/// Asks the browser to keep what we store even when space runs short (it may ask the
/// person, or decide by itself); what it answers changes nothing here, and it never
/// rejects in a secure context.
pub fn ask_to_persist() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().storage().persist();
    }
}

fn one(request: Result<IdbRequest, JsValue>) -> Result<Array, JsValue> {
    Ok(Array::of1(request?.as_ref()))
}

/// The answer of an operation that has none: it succeeded.
fn done(_: Array) -> Result<(), JsValue> {
    Ok(())
}

/// Keys from `prefix` itself up to `[...prefix, []]`: an array sorts after every number,
/// string, date and binary key, so this spans every key that starts with `prefix` (and
/// goes on with anything but an array).
fn prefix_range(prefix: &[JsValue]) -> Result<IdbKeyRange, JsValue> {
    let upper = array(prefix);
    upper.push(&Array::new());
    IdbKeyRange::bound(&array(prefix), &upper)
}

fn names(tables: &[Table]) -> Array {
    tables.iter().map(|table| JsValue::from(table.name())).collect()
}

fn array(parts: &[JsValue]) -> Array {
    parts.iter().collect()
}
