//! Receiving a file: each chunk checked against the offer, kept on the JS side and
//! digested; once all is in and the sender's digest known, the comparison and the link.

use super::send::REPORT_MS;
use super::Files;
use crate::client::events::Event;
use crate::client::outlet::PeerOutlet;
use crate::i18n::{t, tf, K};
use crate::web::clock::now_ms;
use crate::web::file_data;
use leptos::prelude::*;
use natter_model::transfer::{check_chunk, previewable, BadChunk, TransferPhase};
use natter_protocol::PeerMessage;
use wasm_bindgen_futures::spawn_local;
use web_sys::Blob;

impl Files {
    /// A chunk of a file we receive: checked against the offer, kept, digested.
    pub(super) fn on_chunk(
        &self,
        peer: &str,
        id: &str,
        chunk: &js_sys::ArrayBuffer,
        out: &dyn PeerOutlet,
    ) {
        let Some(entry) = self.entry(peer, id) else { return };
        let (size, receiving) = entry
            .view
            .with_untracked(|t| (t.size, !t.outgoing && t.phase == TransferPhase::Receiving));
        if !receiving {
            let why = tf(K::DataNotDue, &[("peer", peer)]);
            return self.fail_bad_input(peer, id, why, out);
        }
        let len = u64::from(chunk.byte_length());
        let checked = {
            let mut job = entry.job.borrow_mut();
            check_chunk(job.received, len, size).map(|()| {
                let digest = job.digest.add(chunk);
                match job.keeping.as_mut() {
                    Some(keeping) => {
                        keeping.chunks.push(chunk.clone());
                        keeping.digests.extend(digest);
                    }
                    None => job.parts.push(chunk),
                }
                job.received += len;
                let now = now_ms();
                let report = job.received == size || now - job.reported_ms >= REPORT_MS;
                if report {
                    job.reported_ms = now;
                }
                report.then_some((job.received, now))
            })
        };
        match checked {
            Ok(Some((received, now))) => {
                entry.view.update(|t| t.progress(received, now));
                self.write_piece(peer, id);
                self.verify_when_complete(peer, id);
            }
            Ok(None) => self.write_piece(peer, id),
            Err(bad) => {
                let why = match bad {
                    BadChunk::TooMuch => K::SentTooMuch,
                    BadChunk::WrongSize => K::SentWrongChunk,
                };
                self.fail_bad_input(peer, id, tf(why, &[("peer", peer)]), out);
            }
        }
    }

    /// Once every byte is in and the sender's digest known, computes ours to compare.
    pub(super) fn verify_when_complete(&self, peer: &str, id: &str) {
        let Some(entry) = self.entry(peer, id) else { return };
        let (size, receiving) = entry
            .view
            .with_untracked(|t| (t.size, !t.outgoing && t.phase == TransferPhase::Receiving));
        let digest = {
            let mut job = entry.job.borrow_mut();
            let ready = receiving && !job.verifying && job.received == size && job.sha256.is_some();
            job.verifying |= ready;
            ready.then(|| std::mem::take(&mut job.digest))
        };
        let Some(digest) = digest else { return };
        let dispatch = self.dispatch.clone();
        let (peer, id) = (peer.to_owned(), id.to_owned());
        spawn_local(async move {
            let digest = digest.finish().await;
            dispatch.send(Event::Digested { peer, id, digest });
        });
    }

    /// Our digest of file `id`: told to the sender, compared with theirs, and the file
    /// kept if they match (returned, for the device to keep too).
    pub fn digested(
        &self,
        peer: &str,
        id: &str,
        ours: Option<String>,
        out: &dyn PeerOutlet,
    ) -> Option<Blob> {
        let entry = self.entry(peer, id)?;
        let ours = ours.unwrap_or_default();
        out.send(peer, &PeerMessage::FileDone { id: id.to_owned(), sha256: ours.clone() });
        let (announced, parts) = {
            let mut job = entry.job.borrow_mut();
            job.stop_keeping();
            (job.sha256.clone(), std::mem::take(&mut job.parts))
        };
        if announced.as_deref() != Some(ours.as_str()) {
            let why = t(K::DigestMismatch).to_owned();
            self.end(peer, id, TransferPhase::Failed, why);
            return None;
        }
        let mime = entry.view.with_untracked(|t| t.mime.clone());
        // Typed only if shown in the page: a blob URL is of our origin, so a page or a
        // script received must never open as one.
        let kind = if previewable(&mime) { mime.as_str() } else { "application/octet-stream" };
        let file = parts.into_blob(kind);
        let Some(url) = file.as_ref().and_then(file_data::url_of) else {
            let why = t(K::CouldNotKeep).to_owned();
            self.end(peer, id, TransferPhase::Failed, why);
            return None;
        };
        let mut kept = false;
        entry.view.update(|transfer| {
            kept = transfer.end(TransferPhase::Done, t(K::FileReceived).into());
            if kept {
                transfer.url = Some(url.clone());
            }
        });
        if !kept {
            file_data::revoke(&url);
        }
        self.forget_job(peer, id);
        // Kept whole from now on, as a file received.
        self.forget_kept(peer, id);
        file.filter(|_| kept)
    }
}
