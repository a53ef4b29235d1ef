//! The identity part: our long-lived certificate (kept in the store, made once) and its
//! safety code, and who each peer is on its current connection: its fingerprint, its code,
//! and whether the person verified it.

use super::events::{Dispatch, Event};
use crate::state::ChatState;
use crate::web::clock::now_ms;
use crate::web::line_key::LineKey;
use crate::web::store::{Store, Table};
use crate::web::{certificate, support};
use leptos::prelude::*;
use natter_model::identity::{fingerprint_bytes, safety_code, PeerIdentity};
use natter_protocol::ChatLine;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use web_sys::RtcCertificate;

/// The record of our certificate in [`Table::Identity`].
const CERTIFICATE: &str = "certificate";
/// The record of our key pair for signing room lines in [`Table::Identity`].
const LINE_KEY: &str = "lineKey";
/// Contacts are kept across rooms: the room part of their key is empty.
const ANY_ROOM: &str = "";
/// What a verified contact's record holds.
const VERIFIED: &str = "verified";

/// Our identity and the peers'.
pub struct Identity {
    state: ChatState,
    dispatch: Dispatch,
    certificate: RefCell<Option<RtcCertificate>>,
    /// The certificate is ready, or known to be unavailable.
    settled: Cell<bool>,
    store: RefCell<Option<Store>>,
    /// Our key for signing room lines, once ready.
    line_key: RefCell<Option<LineKey>>,
}

impl Identity {
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        Identity {
            state,
            dispatch,
            certificate: RefCell::default(),
            settled: Cell::new(false),
            store: RefCell::default(),
            line_key: RefCell::default(),
        }
    }

    /// Reads our certificate from `store`, or makes one (and keeps it there), then reports
    /// [`Event::IdentityReady`]. Without a store, each page gets a certificate of its own.
    pub fn load(&self, store: Option<Store>) {
        *self.store.borrow_mut() = store.clone();
        // Without WebRTC there is none to make, and no login (the first screen says why).
        if !support::peer_connections() {
            return;
        }
        self.load_line_key(store.clone());
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let key = [JsValue::from(CERTIFICATE)];
            if let Some(store) = &store {
                let kept = store.get(Table::Identity, &key).await.ok().flatten();
                if let Some(certificate) =
                    kept.and_then(|kept| certificate::usable(&kept, now_ms()))
                {
                    return dispatch.send(Event::IdentityReady(Ok(certificate)));
                }
            }
            let made = certificate::generate().await;
            if let (Ok(made), Some(store)) = (&made, &store) {
                // Without it, the next page makes another identity: peers would see it change.
                if let Err(problem) = store.put(Table::Identity, &key, made).await {
                    dispatch.send(Event::StoreFailed(problem));
                }
            }
            dispatch.send(Event::IdentityReady(made));
        });
    }

    /// Reads our key pair for signing room lines from `store`, or makes one (and keeps it
    /// there: the private half cannot be exported, IndexedDB keeps the key itself), then
    /// reports [`Event::LineKeyReady`]. Without WebCrypto, our room lines go unsigned.
    fn load_line_key(&self, store: Option<Store>) {
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let key = [JsValue::from(LINE_KEY)];
            if let Some(store) = &store {
                let kept = store.get(Table::Identity, &key).await.ok().flatten();
                if let Some(line_key) = match kept {
                    Some(kept) => LineKey::from_kept(&kept).await,
                    None => None,
                } {
                    return dispatch.send(Event::LineKeyReady(line_key));
                }
            }
            let Some((line_key, pair)) = LineKey::generate().await else { return };
            if let Some(store) = &store {
                if let Err(problem) = store.put(Table::Identity, &key, &pair).await {
                    dispatch.send(Event::StoreFailed(problem));
                }
            }
            dispatch.send(Event::LineKeyReady(line_key));
        });
    }

    /// Our key for signing room lines is ready.
    pub fn line_key_ready(&self, line_key: LineKey) {
        *self.line_key.borrow_mut() = Some(line_key);
    }

    /// Our public key for signing room lines, as `roomKey` tells it, once ready.
    pub fn line_public_key(&self) -> Option<String> {
        self.line_key.borrow().as_ref().map(LineKey::public_hex)
    }

    /// Signs our room `line` (`bytes` are what it signs), for [`Event::RoomLineSigned`];
    /// `false` without a key: the line goes unsigned.
    pub fn sign_room_line(&self, line: ChatLine, bytes: Vec<u8>, recipients: Vec<String>) -> bool {
        let Some(line_key) = self.line_key.borrow().clone() else { return false };
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let sig = line_key.sign(&bytes).await;
            dispatch.send(Event::RoomLineSigned { line, sig, recipients });
        });
        true
    }

    /// Our certificate is ready (or cannot be): computes our safety code.
    pub fn ready(&self, certificate: Result<RtcCertificate, String>) {
        self.settled.set(true);
        match certificate {
            Ok(certificate) => {
                if let Some(fingerprint) = certificate::fingerprint(&certificate) {
                    self.compute_code(None, fingerprint);
                }
                *self.certificate.borrow_mut() = Some(certificate);
            }
            // Connections still work, with a certificate the browser makes for each.
            Err(problem) => self.state.notify(problem),
        }
    }

    /// Our certificate, once ready.
    pub fn certificate(&self) -> Option<RtcCertificate> {
        self.certificate.borrow().clone()
    }

    /// Whether our identity is settled (ready, or known to be unavailable).
    pub fn settled(&self) -> bool {
        self.settled.get()
    }

    /// `peer`'s connection announced `fingerprint`; `changed` if the name had another.
    pub fn seen(&self, peer: &str, fingerprint: &str, changed: bool) {
        let known = self.state.identities.with_untracked(|all| {
            all.get(peer).is_some_and(|identity| identity.fingerprint == fingerprint)
        });
        if known {
            return;
        }
        let identity = PeerIdentity {
            fingerprint: fingerprint.to_owned(),
            code: None,
            verified: false,
            changed,
        };
        self.state.identities.update(|all| all.insert(peer, identity));
        self.compute_code(Some(peer.to_owned()), fingerprint.to_owned());
        let Some(store) = self.store.borrow().clone() else { return };
        let dispatch = self.dispatch.clone();
        let (peer, fingerprint) = (peer.to_owned(), fingerprint.to_owned());
        spawn_local(async move {
            let key = [JsValue::from(ANY_ROOM), JsValue::from(fingerprint.as_str())];
            let record = store.get(Table::Contacts, &key).await.ok().flatten();
            let verified = record.and_then(|r| r.as_string()).as_deref() == Some(VERIFIED);
            dispatch.send(Event::ContactRead { peer, fingerprint, verified });
        });
    }

    /// A safety code was computed: ours (`peer` is `None`) or a peer's.
    pub fn code_ready(&self, peer: Option<String>, fingerprint: &str, code: String) {
        match peer {
            None => self.state.my_code.set(Some(code)),
            Some(peer) => self.update(&peer, fingerprint, |identity| identity.code = Some(code)),
        }
    }

    /// The store says whether `peer`'s identity was verified before.
    pub fn contact_read(&self, peer: &str, fingerprint: &str, verified: bool) {
        self.update(peer, fingerprint, |identity| identity.verified = verified);
    }

    /// The person compared the codes: `peer`'s identity is verified, from now on.
    pub fn verify(&self, peer: &str) {
        let fingerprint = self
            .state
            .identities
            .with_untracked(|all| all.get(peer).map(|i| i.fingerprint.clone()));
        let Some(fingerprint) = fingerprint else { return };
        self.update(peer, &fingerprint, |identity| {
            identity.verified = true;
            identity.changed = false;
        });
        let Some(store) = self.store.borrow().clone() else { return };
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let key = [JsValue::from(ANY_ROOM), JsValue::from(fingerprint.as_str())];
            if let Err(problem) = store.put(Table::Contacts, &key, &VERIFIED.into()).await {
                dispatch.send(Event::StoreFailed(problem));
            }
        });
    }

    /// The connection to `peer` is gone: whoever comes back under the name is checked anew.
    pub fn forget(&self, peer: &str) {
        self.state.identities.update(|all| drop(all.remove(peer)));
    }

    fn update(&self, peer: &str, fingerprint: &str, change: impl FnOnce(&mut PeerIdentity)) {
        self.state.identities.update(|all| {
            if let Some(identity) = all.get_mut(peer).filter(|i| i.fingerprint == fingerprint) {
                change(identity);
            }
        });
    }

    /// Computes the safety code of `fingerprint` (SHA-256 of its bytes, by WebCrypto).
    fn compute_code(&self, peer: Option<String>, fingerprint: String) {
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            let Some(bytes) = fingerprint_bytes(&fingerprint) else { return };
            if let Some(digest) = certificate::sha256(&bytes).await {
                dispatch.send(Event::CodeReady { peer, fingerprint, code: safety_code(&digest) });
            }
        });
    }
}
