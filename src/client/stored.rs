//! The dispatcher's routing for what lasts: the store, our identity, the peers'
//! identities, and the history read back after a login.

use super::ChatClient;
use crate::web::file_data::KeptFile;
use crate::web::kept_transfers::KeptTransfer;
use crate::web::session_memory;
use crate::web::store::{Store, StoreError};
use leptos::prelude::*;
use natter_model::identity::Recognition;
use natter_model::kept::Loaded;
use natter_protocol::IceServer;
use web_sys::RtcCertificate;

impl ChatClient {
    /// The store opened (or not): our identity comes from it.
    pub(super) fn on_store_opened(&self, store: Result<Store, StoreError>) {
        let store = self.history.opened(store);
        self.identity.load(store);
    }

    /// Our identity is ready: what the server said meanwhile is heard, in order.
    pub(super) fn on_identity_ready(&self, certificate: Result<RtcCertificate, String>) {
        self.identity.ready(certificate);
        self.links.set_certificate(self.identity.certificate());
        for said in self.held_for_identity.take() {
            self.on_server(self.signaling.on_socket(said));
        }
    }

    /// Logged in: this tab remembers the login for a reload, and the room's history is
    /// read back.
    pub(super) fn on_logged_in(
        &self,
        me: String,
        ice_servers: Vec<IceServer>,
        resume: Option<String>,
    ) {
        let room = self.state.room.get_untracked().unwrap_or_default();
        if let Some(token) = &resume {
            session_memory::remember(&me, &room, token);
        }
        self.links.start(me, ice_servers);
        self.files.keep_in(self.history.load(&self.signaling.place()));
    }

    /// The room's history is back: conversations show again with the files kept (a file
    /// whose place in the stored conversations is gone is let go; one whose conversation
    /// this page began afresh stays kept) and the transfers under way before a reload,
    /// and those whose peer is online reconnect by themselves.
    pub(super) fn on_history_loaded(
        &self,
        loaded: Vec<Loaded>,
        files: Vec<KeptFile>,
        transfers: Vec<KeptTransfer>,
    ) {
        let places: Vec<_> = files
            .iter()
            .map(|kept| {
                let mut conversations = loaded.iter().map(|loaded| &loaded.conversation);
                let message = conversations.find_map(|c| c.received_file(&kept.peer, &kept.id))?;
                Some((message.text.clone(), message.file.clone()?))
            })
            .collect();
        self.messaging.restore(loaded);
        for (KeptFile { peer, id, blob }, place) in files.into_iter().zip(places) {
            match place {
                Some((name, file)) => self.files.restore(&peer, &id, name, file, &blob),
                None => self.history.drop_file(&peer, &id),
            }
        }
        self.files.restore_transfers(transfers);
        for peer in self.messaging.peers().iter().filter(|peer| self.state.is_online(peer)) {
            self.reconnect(peer);
        }
    }

    /// `peer`'s connection says who it is.
    pub(super) fn on_identity(&self, peer: &str, fingerprint: &str) {
        let (recognition, unidentified) = self.messaging.identify(peer, fingerprint);
        self.identity.seen(peer, fingerprint, recognition == Recognition::Changed);
        if let Some(key) = unidentified {
            self.history.drop_key(&key);
        }
    }
}
