//! Transfers that outlive a broken link or a reload: paused when the link breaks (if the
//! peer's app can resume), offered again by the sender once it is back, and taken up from
//! the bytes the receiver holds. Kept on the device meanwhile, so that a reload of this tab
//! takes them up too: ours with the file, theirs with what came of it, piece by piece.

use super::Files;
use crate::client::events::Event;
use crate::client::outlet::PeerOutlet;
use crate::i18n::{tf, K};
use crate::web::clock::now_ms;
use crate::web::drop_later;
use crate::web::file_data::{self, ChunkDigest, Parts};
use crate::web::file_job::{FileJob, Keeping};
use crate::web::kept_transfers::{KeptTransfer, TransferStore};
use crate::web::store::{Pending, StoreError};
use leptos::prelude::*;
use natter_model::transfer::{Transfer, TransferPhase};
use natter_protocol::{PeerMessage, FILE_CHUNK_BYTES};
use wasm_bindgen_futures::spawn_local;

impl Files {
    /// Transfers under way are kept in `store` from now on, for a reload of this tab.
    pub fn keep_in(&self, store: Option<TransferStore>) {
        *self.store.borrow_mut() = store;
    }

    /// Keeps transfer `id` with `peer` (ours with its file) until it ends.
    pub(super) fn keep(&self, peer: &str, id: &str) {
        let Some(entry) = self.entry(peer, id) else { return };
        let job = entry.job.borrow();
        let kept = entry.view.with_untracked(|t| KeptTransfer {
            peer: peer.to_owned(),
            id: id.to_owned(),
            file: job.file.clone(),
            to_room: job.to_room,
            name: t.name.clone(),
            size: t.size,
            mime: t.mime.clone(),
            pieces: Vec::new(),
            digests: Vec::new(),
        });
        self.write(|store| store.keep(&kept));
    }

    /// We take `peer`'s file `id`: what comes of it is kept on the device as it comes, if
    /// the sender's app can take it up again after a reload.
    pub(super) fn keep_coming(&self, peer: &str, id: &str) {
        if self.store.borrow().is_none() || !self.state.peer(peer).app.hears(|f| f.resume) {
            return;
        }
        self.job(peer, id, |job| job.keeping = Some(Keeping::default()));
        self.keep(peer, id);
    }

    /// Writes the chunks of `id` gathered since the last piece, unless a write is under
    /// way ([`Event::PieceKept`] then asks again).
    pub(super) fn write_piece(&self, peer: &str, id: &str) {
        let Some(store) = self.store.borrow().clone() else { return };
        let piece = self.job(peer, id, |job| {
            let (offset, bytes, digests) = job.keeping.as_mut()?.next_piece()?;
            job.parts.push_blob(bytes.clone());
            Some((offset, bytes, digests))
        });
        let Some(Some((offset, bytes, digests))) = piece else { return };
        let dispatch = self.dispatch.clone();
        let (peer, id) = (peer.to_owned(), id.to_owned());
        spawn_local(async move {
            let written = match file_data::joined(digests).await {
                Some(digests) => store.keep_piece(&peer, &id, offset, &bytes, &digests).await,
                // WebCrypto failed: the file's own digest fails the same way and says so.
                None => Err(StoreError::Failed(String::new())),
            };
            dispatch.send(Event::PieceKept { peer, id, written });
        });
    }

    /// A piece of `id` is on the device (or could not be): the next one goes, or the
    /// whole is forgotten if the transfer ended meanwhile. A failure stops the keeping.
    pub fn piece_kept(&self, peer: &str, id: &str, written: bool) {
        let over =
            self.entry(peer, id).is_none_or(|e| e.view.with_untracked(|t| t.phase.is_over()));
        if over {
            return self.forget_kept(peer, id);
        }
        self.job(peer, id, |job| match written {
            true => job.keeping.iter_mut().for_each(|keeping| keeping.busy = false),
            false => job.stop_keeping(),
        });
        self.write_piece(peer, id);
    }

    /// Forgets what was kept of transfer `id` (it ended).
    pub(super) fn forget_kept(&self, peer: &str, id: &str) {
        self.write(|store| store.forget(peer, id));
    }

    fn write(&self, act: impl FnOnce(&TransferStore) -> Pending<()>) {
        let Some(store) = self.store.borrow().clone() else { return };
        let (pending, dispatch) = (act(&store), self.dispatch.clone());
        spawn_local(async move {
            if let Err(problem) = pending.await {
                dispatch.send(Event::StoreFailed(problem));
            }
        });
    }

    /// The link to `peer` broke, or transfer `id`'s channel closed unexplained.
    pub(super) fn lost(&self, peer: &str, id: &str) {
        self.pause_or_fail(peer, id, false);
    }

    /// If the peer's app can resume, transfer `id` waits for the link to come back (the
    /// link `closed` by the peer's page: it reloaded, most likely); else it failed.
    pub(super) fn pause_or_fail(&self, peer: &str, id: &str, closed: bool) {
        if !self.state.peer(peer).app.hears(|f| f.resume) {
            let note = tf(K::PeerDisconnected, &[("peer", peer)]);
            return self.end(peer, id, TransferPhase::Failed, note);
        }
        let note = tf(K::PeerAway, &[("peer", peer)]);
        let Some(outgoing) = self.view(peer, id, |t| {
            let going = !t.phase.is_over();
            t.pause(note);
            going.then_some(t.outgoing)
        }) else {
            return;
        };
        let Some(outgoing) = outgoing else { return };
        self.job(peer, id, |job| {
            if let (Some(channel), true) = (&job.channel, outgoing) {
                channel.close();
            }
            drop_later(job.channel.take());
            if outgoing {
                (job.unsent, job.broken, job.sha256) = (true, true, None);
                job.closed |= closed;
            }
        });
    }

    /// `peer` left the server for good (not a reload: that keeps its login): every
    /// transfer with it that waited for its link to come back failed.
    pub fn peer_left(&self, peer: &str) {
        let waiting: Vec<String> = self.state.transfers.with_untracked(|all| {
            let with = |t: &Transfer| t.peer == peer && !t.phase.is_over();
            all.iter()
                .filter_map(|e| e.view.with_untracked(|t| with(t).then(|| t.id.clone())))
                .collect()
        });
        for id in waiting {
            let note = tf(K::PeerDisconnected, &[("peer", peer)]);
            self.end(peer, &id, TransferPhase::Failed, note);
        }
    }

    /// `peer` offers file `id` again, its link back: one we were receiving goes on from
    /// the bytes we hold; one not yet answered is simply still offered; one we stopped
    /// while the link was down is stopped for the sender too.
    pub(super) fn offered_again(&self, peer: &str, id: &str, out: &dyn PeerOutlet) {
        let Some(entry) = self.entry(peer, id) else { return };
        let phase = entry.view.with_untracked(|t| (!t.outgoing).then_some(t.phase));
        match phase {
            Some(TransferPhase::Offered) => entry.view.update(|t| t.note.clear()),
            Some(TransferPhase::Declined | TransferPhase::Cancelled) => {
                out.send(peer, &PeerMessage::FileCancel { id: id.to_owned() });
            }
            Some(TransferPhase::Receiving) if !entry.job.borrow().verifying => {
                let at = {
                    let mut job = entry.job.borrow_mut();
                    drop_later(job.channel.take());
                    job.sha256 = None;
                    job.received
                };
                if out.send(peer, &PeerMessage::FileAnswer { id: id.to_owned(), accept: true, at })
                {
                    entry.view.update(|t| t.resume(at, String::new(), now_ms()));
                }
            }
            _ => {}
        }
    }

    /// The receiver of our file `id` holds `at` bytes of it: the rest is sent. Anything
    /// but whole chunks (or the whole file) is not believed: all is sent.
    pub(super) fn resume_at(&self, peer: &str, id: &str, at: u64) {
        let size = self.view(peer, id, |t| t.size).unwrap_or_default();
        let whole = at <= size && (at % u64::from(FILE_CHUNK_BYTES) == 0 || at == size);
        self.job(peer, id, |job| job.at = if whole { at } else { 0 });
    }

    /// What the note says when our broken transfer goes on: whether the receiver's page
    /// reloaded (it closed the link) or only the link came back.
    pub(super) fn resumed_note(&self, peer: &str, id: &str) -> Option<String> {
        let (broken, closed) =
            self.job(peer, id, |job| (job.broken, std::mem::take(&mut job.closed)))?;
        let key = if closed { K::PeerReloaded } else { K::PeerBackResuming };
        broken.then(|| tf(key, &[("peer", peer)]))
    }

    /// Transfers this tab had under way before it reloaded: ours wait to be offered again,
    /// theirs to be taken up from what was kept.
    pub fn restore_transfers(&self, kept: Vec<KeptTransfer>) {
        for kept in kept {
            if self.entry(&kept.peer, &kept.id).is_some() {
                continue;
            }
            let KeptTransfer { peer, id, file, to_room, name, size, mime, pieces, digests } = kept;
            let note = tf(K::PeerAway, &[("peer", &peer)]);
            let (mut transfer, job) = match file {
                Some(file) => {
                    let transfer = Transfer::offer(id, &peer, name, size, mime);
                    let job = FileJob {
                        file: Some(file),
                        unsent: true,
                        to_room,
                        broken: true,
                        ..FileJob::default()
                    };
                    (transfer, job)
                }
                None => {
                    let held: u64 = pieces.iter().map(|piece| piece.size() as u64).sum();
                    let transfer = Transfer::held(id, &peer, name, size, mime, held);
                    let job = FileJob {
                        parts: Parts::held(pieces),
                        digest: ChunkDigest::known(&digests),
                        received: held,
                        keeping: Some(Keeping { kept: held, ..Keeping::default() }),
                        ..FileJob::default()
                    };
                    (transfer, job)
                }
            };
            transfer.pause(note);
            self.add(transfer, job);
        }
    }
}
