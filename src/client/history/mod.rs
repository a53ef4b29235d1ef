//! The history part: conversations kept on this device (IndexedDB), by room and by the
//! peer's identity, read back after login and saved as they change; what happens when
//! there is no storage, or it is full.

mod records;
mod visits;

use super::events::{Dispatch, Event};
use crate::state::ChatState;
use crate::web::file_data::KeptFile;
use crate::web::kept_transfers::TransferStore;
use crate::web::session_memory;
use crate::web::store::{ask_to_persist, Pending, Store, StoreError, Table, Write};
use leptos::prelude::*;
use natter_model::conversation::Conversation;
use natter_model::kept::{stored_name, talk_of, Loaded, Saved};
use std::cell::{Cell, RefCell};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::Blob;

/// The store, once open, and the room whose history is read and written.
pub struct History {
    state: ChatState,
    dispatch: Dispatch,
    store: RefCell<Option<Store>>,
    room: RefCell<String>,
    /// A full store was already said: not again for every message.
    told_full: Cell<bool>,
    /// What the first screen lists of the room we are in, as last kept.
    visit: RefCell<Option<natter_model::visited::Visited>>,
    /// Everything was forgotten: nothing is kept any more.
    forgotten: Cell<bool>,
    /// A file was kept, and the browser asked to keep our storage.
    asked_to_persist: Cell<bool>,
    /// Whether this page is a reload of its tab, until the first load: a reload's
    /// transfers under way are read back, a new page's forgotten.
    reloaded: Cell<Option<bool>>,
}

impl History {
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        History {
            state,
            dispatch,
            store: RefCell::default(),
            room: RefCell::default(),
            told_full: Cell::new(false),
            visit: RefCell::default(),
            forgotten: Cell::new(false),
            asked_to_persist: Cell::new(false),
            reloaded: Cell::new(Some(false)),
        }
    }

    /// This page is a reload of its tab: the transfers it had under way go on.
    pub fn page_reloaded(&self) {
        self.reloaded.set(Some(true));
    }

    /// Opens the store; [`Event::StoreOpened`] follows.
    pub fn open(&self) {
        let dispatch = self.dispatch.clone();
        spawn_local(async move { dispatch.send(Event::StoreOpened(Store::open().await)) });
    }

    /// The store opened, or not: without one, the app goes on and says it keeps no history.
    pub fn opened(&self, store: Result<Store, StoreError>) -> Option<Store> {
        match store {
            Ok(store) => *self.store.borrow_mut() = Some(store),
            Err(problem) => {
                self.state.history_off.set(Some(problem.message()));
                self.state.notify(problem.message());
            }
        }
        self.store.borrow().clone()
    }

    /// Reads the conversations of `room` and, the first time for a reload, the transfers
    /// the tab had under way; [`Event::HistoryLoaded`] follows. Returns where transfers
    /// under way are kept.
    pub fn load(&self, room: &str) -> Option<TransferStore> {
        *self.room.borrow_mut() = room.to_owned();
        let store = self.store.borrow().clone()?;
        let transfers = TransferStore::new(store.clone(), room);
        let (dispatch, room) = (self.dispatch.clone(), JsValue::from(room));
        let (kept, reloaded) = (transfers.clone(), self.reloaded.take());
        spawn_local(async move {
            let read = async {
                let (loaded, files) = read_room(&store, &room).await?;
                let transfers = match reloaded {
                    Some(true) => kept.read().await?,
                    Some(false) => kept.forget_all().await.map(|()| Vec::new())?,
                    None => Vec::new(),
                };
                Ok((loaded, files, transfers))
            };
            match read.await {
                Ok((loaded, files, transfers)) => {
                    dispatch.send(Event::HistoryLoaded(loaded, files, transfers))
                }
                Err(problem) => dispatch.send(Event::StoreFailed(problem)),
            }
        });
        Some(transfers)
    }

    /// Writes what changed.
    pub fn save(&self, saved: Vec<Saved>) {
        if saved.is_empty() {
            return;
        }
        let room = self.room();
        let writes = saved.into_iter().flat_map(|saved| writes_of(&room, saved)).collect();
        self.write(writes);
    }

    /// Forgets the conversation kept under `key`, and `name`'s link to it. (Its files go
    /// when the history is next read: kept by sender, not by conversation.)
    pub fn clear(&self, name: &str, key: &str) {
        let mut writes = forget(&self.room(), key);
        writes.push(Write::Delete(Table::Names, vec![self.room(), name.into()]));
        self.write(writes);
    }

    /// Keeps file `id` received from `peer`, to be saved after a reload too. The first
    /// one asks the browser to keep our storage.
    pub fn keep_file(&self, peer: &str, id: &str, file: &Blob) {
        if !self.asked_to_persist.replace(true) {
            ask_to_persist();
        }
        self.write(vec![Write::Put(Table::Files, self.file_key(peer, id), file.into())]);
    }

    /// Forgets file `id` received from `peer`.
    pub fn drop_file(&self, peer: &str, id: &str) {
        self.write(vec![Write::Delete(Table::Files, self.file_key(peer, id))]);
    }

    fn file_key(&self, peer: &str, id: &str) -> Vec<JsValue> {
        vec![self.room(), peer.into(), id.into()]
    }

    /// Forgets what was kept under `key` (a conversation now kept under another).
    pub fn drop_key(&self, key: &str) {
        self.write(forget(&self.room(), key));
    }

    /// Forgets everything kept on this device: every room's history, contacts, identity;
    /// nothing is written after. Once the store is empty (not before: a reload would abort
    /// the clearing), the page starts afresh, as on a first visit, saying `done`.
    pub fn forget_all(&self, done: &'static str) {
        self.forgotten.set(true);
        let store = self.store.borrow_mut().take();
        spawn_local(async move {
            let cleared = match store {
                Some(store) => store.clear().await,
                None => Ok(()),
            };
            let said = cleared.map_or_else(|problem| problem.message(), |()| done.to_owned());
            session_memory::reload_saying(&said);
        });
    }

    /// Starts `writes` as one transaction. Transactions apply in the order they start, so a
    /// later change never overtakes an earlier one.
    fn write(&self, writes: Vec<Write>) {
        let Some(store) = self.store.borrow().clone() else { return };
        self.settle(store.write(&writes));
    }

    /// Reports a failure of `pending` when it ends.
    fn settle(&self, pending: Pending<()>) {
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            if let Err(problem) = pending.await {
                dispatch.send(Event::StoreFailed(problem));
            }
        });
    }

    fn room(&self) -> JsValue {
        JsValue::from(self.room.borrow().as_str())
    }

    /// A read or write failed: said once if storage is full, each time otherwise. The
    /// chat goes on; the message in memory is sent all the same.
    pub fn failed(&self, problem: StoreError) {
        if matches!(problem, StoreError::QuotaExceeded) && self.told_full.replace(true) {
            return;
        }
        self.state.notify(problem.message());
    }
}

async fn read_room(
    store: &Store,
    room: &JsValue,
) -> Result<(Vec<Loaded>, Vec<KeptFile>), StoreError> {
    let mut loaded = Vec::new();
    for (name_key, key) in store.range(Table::Names, std::slice::from_ref(room)).await? {
        let name = js_sys::Reflect::get(&name_key, &1.into()).ok().and_then(|n| n.as_string());
        let (Some(name), Some(key)) = (name, key.as_string()) else { continue };
        let prefix = [room.clone(), JsValue::from(key.as_str())];
        let record = store.get(Table::Conversations, &prefix).await?.unwrap_or(JsValue::NULL);
        let (unread, trimmed) = records::conversation_from(&record);
        let messages = store.range(Table::Messages, &prefix).await?;
        let messages = messages
            .iter()
            .filter_map(|(key, value)| {
                let seq = js_sys::Reflect::get(key, &2.into()).ok()?.as_f64()? as u64;
                records::message_from(seq, value)
            })
            .collect();
        loaded.push(Loaded {
            talk: talk_of(name),
            key,
            conversation: Conversation::restore(messages, unread, trimmed),
        });
    }
    let files = store.range(Table::Files, std::slice::from_ref(room)).await?;
    let files = files.into_iter().filter_map(|(key, blob)| {
        let part = |index: u32| js_sys::Reflect::get(&key, &index.into()).ok()?.as_string();
        Some(KeptFile { peer: part(1)?, id: part(2)?, blob: blob.dyn_into().ok()? })
    });
    Ok((loaded, files.collect()))
}

/// The writes that keep `saved`: the name's link to its key, its state, its new and
/// changed messages, and the deletion of those let go.
fn writes_of(room: &JsValue, saved: Saved) -> Vec<Write> {
    let key = JsValue::from(saved.key.as_str());
    let at = |seq: u64| vec![room.clone(), key.clone(), (seq as f64).into()];
    let mut writes = vec![
        Write::Put(
            Table::Names,
            vec![room.clone(), stored_name(saved.talk.as_deref()).into()],
            key.clone(),
        ),
        Write::Put(
            Table::Conversations,
            vec![room.clone(), key.clone()],
            records::conversation_record(saved.unread, saved.trimmed),
        ),
    ];
    for message in &saved.messages {
        writes.push(Write::Put(Table::Messages, at(message.seq), records::message_record(message)));
    }
    writes.extend(saved.removed.into_iter().map(|seq| Write::Delete(Table::Messages, at(seq))));
    writes
}

/// The writes that forget the conversation kept under `key`.
fn forget(room: &JsValue, key: &str) -> Vec<Write> {
    let prefix = vec![room.clone(), key.into()];
    vec![
        Write::DeleteRange(Table::Messages, prefix.clone()),
        Write::Delete(Table::Conversations, prefix),
    ]
}
