//! Transfers under way, kept on the device so that a reload of this tab takes them up
//! again: ours with the file itself, theirs with the pieces received so far and each
//! chunk's digest (the file digest is made of them, so nothing is read back to resume).

use super::store::{Pending, Store, StoreError, Table, Write};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// A transfer this tab had under way before it reloaded.
pub struct KeptTransfer {
    pub peer: String,
    pub id: String,
    /// Ours: the file, to offer again. Theirs: none.
    pub file: Option<Blob>,
    /// Offered to everyone in the room (else to the peer alone).
    pub to_room: bool,
    pub name: String,
    pub size: u64,
    pub mime: String,
    /// Theirs: the pieces received so far, in order, and their chunks' digests.
    pub pieces: Vec<Blob>,
    pub digests: Vec<Uint8Array>,
}

/// The transfers kept for one room.
#[derive(Clone)]
pub struct TransferStore {
    store: Store,
    room: JsValue,
}

impl TransferStore {
    pub fn new(store: Store, room: &str) -> Self {
        TransferStore { store, room: room.into() }
    }

    /// Keeps a transfer that starts: what it is, and for ours the file itself.
    pub fn keep(&self, kept: &KeptTransfer) -> Pending<()> {
        let record = Object::new();
        let set = |field: &str, value: JsValue| Reflect::set(&record, &field.into(), &value);
        let _ = set("room", kept.to_room.into());
        let _ = set("name", kept.name.as_str().into());
        let _ = set("size", (kept.size as f64).into());
        let _ = set("mime", kept.mime.as_str().into());
        if let Some(file) = &kept.file {
            let _ = set("file", file.into());
        }
        self.store.put(Table::Transfers, &self.key(&kept.peer, &kept.id), &record)
    }

    /// Keeps the received `bytes` from `offset` on, with their chunks' digests.
    pub fn keep_piece(
        &self,
        peer: &str,
        id: &str,
        offset: u64,
        bytes: &Blob,
        digests: &Uint8Array,
    ) -> Pending<()> {
        let record = Object::new();
        let _ = Reflect::set(&record, &"bytes".into(), bytes);
        let _ = Reflect::set(&record, &"digests".into(), digests);
        let mut key = self.key(peer, id);
        key.push((offset as f64).into());
        self.store.put(Table::Pieces, &key, &record)
    }

    /// Forgets a transfer that ended, with its pieces.
    pub fn forget(&self, peer: &str, id: &str) -> Pending<()> {
        let key = self.key(peer, id);
        self.store.write(&[
            Write::Delete(Table::Transfers, key.clone()),
            Write::DeleteRange(Table::Pieces, key),
        ])
    }

    /// Forgets every transfer of the room: a new page, not a reload, takes none up.
    pub fn forget_all(&self) -> Pending<()> {
        let room = vec![self.room.clone()];
        self.store.write(&[
            Write::DeleteRange(Table::Transfers, room.clone()),
            Write::DeleteRange(Table::Pieces, room),
        ])
    }

    /// Every transfer kept for the room, with its pieces.
    pub async fn read(&self) -> Result<Vec<KeptTransfer>, StoreError> {
        let mut all = Vec::new();
        let room = std::slice::from_ref(&self.room);
        for (key, record) in self.store.range(Table::Transfers, room).await? {
            let part = |index: u32| Reflect::get(&key, &index.into()).ok()?.as_string();
            let field = |name: &str| Reflect::get(&record, &name.into()).unwrap_or_default();
            let (Some(peer), Some(id)) = (part(1), part(2)) else { continue };
            let file = field("file").dyn_into::<Blob>().ok();
            let mut kept = KeptTransfer {
                to_room: field("room").is_truthy(),
                name: field("name").as_string().unwrap_or_default(),
                size: field("size").as_f64().unwrap_or_default() as u64,
                mime: field("mime").as_string().unwrap_or_default(),
                pieces: Vec::new(),
                digests: Vec::new(),
                peer,
                id,
                file,
            };
            if kept.file.is_none() {
                let pieces = self.store.range(Table::Pieces, &self.key(&kept.peer, &kept.id));
                for (_, piece) in pieces.await? {
                    let part = |name: &str| Reflect::get(&piece, &name.into()).ok();
                    if let (Some(bytes), Some(digests)) = (part("bytes"), part("digests")) {
                        kept.pieces.push(bytes.unchecked_into());
                        kept.digests.push(digests.unchecked_into());
                    }
                }
            }
            all.push(kept);
        }
        Ok(all)
    }

    fn key(&self, peer: &str, id: &str) -> Vec<JsValue> {
        vec![self.room.clone(), peer.into(), id.into()]
    }
}
