//! Sending a file: the task reading it a slice ahead and queueing its chunks while the
//! channel has room, then our digest and the receiver's answer to it.

use super::Files;
use crate::client::events::{Dispatch, Event};
use crate::client::outlet::PeerOutlet;
use crate::i18n::{t, tf, K};
use crate::web::clock::now_ms;
use crate::web::file_channel::Outlet;
use crate::web::file_data::{self, ChunkDigest};
use natter_model::transfer::TransferPhase;
use natter_protocol::{PeerMessage, FILE_CHUNK_BYTES};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::Blob;

/// Shortest time between two progress updates on screen.
pub(super) const REPORT_MS: f64 = 250.0;
/// Chunks read from the file at once: 8 MiB, so two reads in memory at most. Each read
/// has a fixed cost in the browser: reading 100 MiB takes about 370 ms of CPU in 1 MiB
/// reads, 250 ms in 4 MiB and 210 ms in 8 MiB ones (larger ones gain no more).
const CHUNKS_PER_READ: u64 = 128;
/// Chunks in the first read: a small one, so that the first bytes go out at once.
const CHUNKS_FIRST_READ: u64 = 16;

impl Files {
    /// Our file's channel opened: its bytes start to flow.
    pub(super) fn start_sending(&self, peer: &str, id: &str, sent_on_link: Rc<Cell<u64>>) {
        let started = self.view(peer, id, |t| t.outgoing && t.start(now_ms()));
        let job = self.job(peer, id, |job| {
            let outlet = job.channel.as_ref().map(|channel| channel.outlet(sent_on_link));
            (job.file.clone(), outlet, job.at)
        });
        let Some((Some(file), Some(outlet), at)) = job.filter(|_| started == Some(true)) else {
            return;
        };
        if let Some(note) = self.resumed_note(peer, id).filter(|_| at > 0) {
            self.view(peer, id, |t| t.resume(at, note, now_ms()));
        }
        let pump = Pump { dispatch: self.dispatch.clone(), peer: peer.into(), id: id.into() };
        spawn_local(pump.run(file, outlet, at));
    }

    /// Bytes of our file `id` are through.
    pub fn sent_so_far(&self, peer: &str, id: &str, bytes: u64) {
        self.view(peer, id, |t| t.progress(bytes, now_ms()));
    }

    /// Every byte of our file `id` is sent (announcing our digest), or sending stopped.
    pub fn sent(
        &self,
        peer: &str,
        id: &str,
        outcome: Result<String, &'static str>,
        out: &dyn PeerOutlet,
    ) {
        let sha256 = match outcome {
            Ok(sha256) => sha256,
            Err(why) => return self.fail_bad_input(peer, id, why.to_owned(), out),
        };
        if self.phase(peer, id, true) != Some(TransferPhase::Sending) {
            return;
        }
        self.view(peer, id, |t| t.progress(t.size, now_ms()));
        self.job(peer, id, |job| job.sha256 = Some(sha256.clone()));
        out.send(peer, &PeerMessage::FileDone { id: id.to_owned(), sha256 });
    }

    /// The receiver's digest for a file we sent.
    pub(super) fn confirmed(&self, peer: &str, id: &str, theirs: &str) {
        let ours = self.job(peer, id, |job| job.sha256.clone()).flatten();
        if ours.as_deref() == Some(theirs) {
            self.end(peer, id, TransferPhase::Done, t(K::FileSent).into());
        } else {
            let why = tf(K::TheyDiscarded, &[("peer", peer)]);
            self.end(peer, id, TransferPhase::Failed, why);
        }
    }
}

/// The task sending one file, reporting as [`Event::SentSoFar`] and [`Event::Sent`].
struct Pump {
    dispatch: Dispatch,
    peer: String,
    id: String,
}

impl Pump {
    /// Reads the file a slice ahead and sends it chunk by chunk while the channel has room,
    /// but for the chunks before `at`, which the receiver holds: only digested.
    async fn run(self, file: Blob, outlet: Outlet, at: u64) {
        let (size, chunk) = (file.size() as u64, u64::from(FILE_CHUNK_BYTES));
        let slice = chunk * CHUNKS_PER_READ;
        let mut digest = ChunkDigest::default();
        let mut read = file_data::start_read(&file, 0, (chunk * CHUNKS_FIRST_READ).min(size));
        let (mut sent, mut reported) = (0, now_ms());
        while sent < size {
            let buffer = file_data::finish_read(read.take()).await;
            let len = buffer.as_ref().map_or(0, |b| u64::from(b.byte_length()));
            let Some(buffer) = buffer.filter(|_| len > 0) else {
                return self.report(Err(t(K::CouldNotRead)));
            };
            let end = sent + len;
            if end < size {
                read = file_data::start_read(&file, end, (end + slice).min(size));
            }
            let mut offset = 0;
            while offset < len {
                let piece = file_data::view(&buffer, offset as u32, chunk.min(len - offset) as u32);
                let held = sent + offset < at;
                if !(held || outlet.room().await && outlet.send(&piece)) {
                    // Closed: cancelled, or the peer is gone (the channel's close tells).
                    return;
                }
                digest.add(&piece);
                offset += u64::from(piece.length());
                if held {
                    continue;
                }
                let now = now_ms();
                if now - reported >= REPORT_MS {
                    reported = now;
                    let bytes = (sent + offset).saturating_sub(outlet.queued());
                    let (peer, id) = (self.peer.clone(), self.id.clone());
                    self.dispatch.send(Event::SentSoFar { peer, id, bytes });
                }
            }
            sent = end;
        }
        let digest = digest.finish().await.ok_or(t(K::CouldNotDigest));
        self.report(digest);
    }

    fn report(self, outcome: Result<String, &'static str>) {
        self.dispatch.send(Event::Sent { peer: self.peer, id: self.id, outcome });
    }
}
