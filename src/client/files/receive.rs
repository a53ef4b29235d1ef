//! Receiving a file: each chunk checked against the offer, kept on the JS side and
//! digested; once all is in and the sender's digest known, the comparison and the link.

use super::REPORT_MS;
use crate::browser::now_ms;
use crate::client::ChatClient;
use crate::net::file_data;
use crate::transfer::{check_chunk, previewable, BadChunk, Phase};
use leptos::prelude::*;
use natter_protocol::PeerMessage;
use wasm_bindgen_futures::spawn_local;

impl ChatClient {
    /// A chunk of a file we receive: checked against the offer, kept, digested.
    pub(super) fn on_chunk(&self, peer: &str, id: &str, chunk: &js_sys::ArrayBuffer) {
        let len = u64::from(chunk.byte_length());
        let checked = self.job(peer, id, |job| {
            check_chunk(job.received, len, job.size)?;
            job.parts.push(chunk);
            job.digest.add(chunk);
            job.received += len;
            let now = now_ms();
            let report = job.received == job.size || now - job.reported_ms >= REPORT_MS;
            if report {
                job.reported_ms = now;
            }
            Ok(report.then_some((job.received, now)))
        });
        match checked {
            Some(Ok(Some((received, now)))) => {
                self.state.update_transfer(peer, id, |t| t.progress(received, now));
                self.verify_when_complete(peer, id);
            }
            Some(Err(bad)) => {
                let what = match bad {
                    BadChunk::TooMuch => "more than it announced",
                    BadChunk::WrongSize => "a chunk of the wrong size",
                };
                self.fail_bad_input(peer, id, format!("{peer} sent {what}: transfer failed"));
            }
            _ => {}
        }
    }

    /// Once every byte is in and the sender's digest known, compares it with ours.
    pub(super) fn verify_when_complete(&self, peer: &str, id: &str) {
        if self.phase(peer, id, false) != Some(Phase::Receiving) {
            return;
        }
        let ready = self.job(peer, id, |job| {
            let ready = !job.verifying && job.received == job.size && job.sha256.is_some();
            job.verifying |= ready;
            ready.then(|| {
                let parts = std::mem::take(&mut job.parts);
                (std::mem::take(&mut job.digest), parts, job.sha256.clone().unwrap_or_default())
            })
        });
        let Some(Some((digest, parts, announced))) = ready else { return };
        let this = self.this.clone();
        let (peer, id) = (peer.to_owned(), id.to_owned());
        spawn_local(async move {
            let ours = digest.finish().await.unwrap_or_default();
            let Some(client) = this.upgrade() else { return };
            client
                .send_peer(&peer, &PeerMessage::FileDone { id: id.clone(), sha256: ours.clone() });
            if ours != announced {
                let why = "Digest mismatch: file discarded".to_owned();
                return client.end_transfer(&peer, &id, Phase::Failed, why);
            }
            let mime = client.state.transfers.with_untracked(|all| {
                all.iter().find(|t| t.peer == peer && t.id == id).map(|t| t.mime.clone())
            });
            let mime = mime.unwrap_or_default();
            let kind = if previewable(&mime) { mime.as_str() } else { "application/octet-stream" };
            let Some(url) = parts.into_url(kind) else {
                let why = "Could not keep the file".to_owned();
                return client.end_transfer(&peer, &id, Phase::Failed, why);
            };
            let kept = client.state.update_transfer(&peer, &id, |t| {
                let kept = t.end(Phase::Done, "Received".into());
                if kept {
                    t.url = Some(url.clone());
                }
                kept
            });
            if kept != Some(true) {
                file_data::revoke(&url);
            }
            client.forget_job(&peer, &id);
        });
    }
}
