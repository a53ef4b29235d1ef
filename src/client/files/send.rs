//! Sending a file: the task reading it a slice ahead and queueing its chunks while the
//! channel has room, then our digest and the receiver's answer to it.

use super::REPORT_MS;
use crate::browser::now_ms;
use crate::client::ChatClient;
use crate::net::file_channel::Outlet;
use crate::net::file_data::{self, ChunkDigest};
use crate::transfer::Phase;
use natter_protocol::{PeerMessage, FILE_CHUNK_BYTES};
use std::rc::Weak;
use wasm_bindgen_futures::spawn_local;
use web_sys::File;

/// Chunks read from the file at once: 8 MiB, so two reads in memory at most. Each read
/// has a fixed cost in the browser: reading 100 MiB takes about 370 ms of CPU in 1 MiB
/// reads, 250 ms in 4 MiB and 210 ms in 8 MiB ones (larger ones gain no more).
const CHUNKS_PER_READ: u64 = 128;
/// Chunks in the first read: a small one, so that the first bytes go out at once.
const CHUNKS_FIRST_READ: u64 = 16;

impl ChatClient {
    /// Starts sending `file` on the open channel `outlet`.
    pub(super) fn start_sending(&self, peer: &str, id: &str, file: File, outlet: Outlet) {
        let task = Pump { client: self.this.clone(), peer: peer.to_owned(), id: id.to_owned() };
        spawn_local(task.run(file, outlet));
    }

    /// The receiver's digest for a file we sent.
    pub(super) fn confirmed(&self, peer: &str, id: &str, theirs: &str) {
        let ours = self.job(peer, id, |job| job.sha256.clone()).flatten();
        if ours.as_deref() == Some(theirs) {
            self.end_transfer(peer, id, Phase::Done, "Sent".into());
        } else {
            let why = format!("Digest mismatch: {peer} discarded the file");
            self.end_transfer(peer, id, Phase::Failed, why);
        }
    }

    /// Every byte is sent: announces our digest.
    fn sent_all(&self, peer: &str, id: &str, sha256: String) {
        if self.phase(peer, id, true) != Some(Phase::Sending) {
            return;
        }
        self.state.update_transfer(peer, id, |t| t.progress(t.size, now_ms()));
        self.job(peer, id, |job| job.sha256 = Some(sha256.clone()));
        self.send_peer(peer, &PeerMessage::FileDone { id: id.to_owned(), sha256 });
    }
}

/// The task sending one file.
struct Pump {
    client: Weak<ChatClient>,
    peer: String,
    id: String,
}

impl Pump {
    /// Reads the file a slice ahead and sends it chunk by chunk while the channel has room.
    async fn run(self, file: File, outlet: Outlet) {
        let (size, chunk) = (file.size() as u64, u64::from(FILE_CHUNK_BYTES));
        let slice = chunk * CHUNKS_PER_READ;
        let mut digest = ChunkDigest::default();
        let mut read = file_data::start_read(&file, 0, (chunk * CHUNKS_FIRST_READ).min(size));
        let (mut sent, mut reported) = (0, now_ms());
        while sent < size {
            let buffer = file_data::finish_read(read.take()).await;
            let len = buffer.as_ref().map_or(0, |b| u64::from(b.byte_length()));
            let Some(buffer) = buffer.filter(|_| len > 0) else {
                return self.fail("Could not read the file");
            };
            let end = sent + len;
            if end < size {
                read = file_data::start_read(&file, end, (end + slice).min(size));
            }
            let mut offset = 0;
            while offset < len {
                let piece = file_data::view(&buffer, offset as u32, chunk.min(len - offset) as u32);
                if !(outlet.room().await && outlet.send(&piece)) {
                    // Closed: cancelled, or the peer is gone (the channel's close tells).
                    return;
                }
                digest.add(&piece);
                offset += u64::from(piece.length());
                let now = now_ms();
                if now - reported >= REPORT_MS {
                    reported = now;
                    let through = (sent + offset).saturating_sub(outlet.queued());
                    let Some(client) = self.client.upgrade() else { return };
                    client
                        .state
                        .update_transfer(&self.peer, &self.id, |t| t.progress(through, now));
                }
            }
            sent = end;
        }
        let Some(sha256) = digest.finish().await else {
            return self.fail("Could not compute the digest");
        };
        if let Some(client) = self.client.upgrade() {
            client.sent_all(&self.peer, &self.id, sha256);
        }
    }

    fn fail(&self, why: &str) {
        if let Some(client) = self.client.upgrade() {
            client.send_peer(&self.peer, &PeerMessage::FileCancel { id: self.id.clone() });
            client.end_transfer(&self.peer, &self.id, Phase::Failed, why.to_owned());
        }
    }
}
