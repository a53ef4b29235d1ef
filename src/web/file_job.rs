//! The browser objects of one file transfer: the file we send, the channel carrying its
//! bytes, and the chunks received so far with their digest and their way to the device.

use super::file_channel::FileChannel;
use super::file_data::{blob, ChunkDigest, Parts};
use js_sys::{Array, ArrayBuffer, Promise};
use web_sys::Blob;

/// What the files part keeps of a transfer beside what is shown.
#[derive(Default)]
pub struct FileJob {
    /// What we send, until the transfer ends: a broken one sends it again.
    pub file: Option<Blob>,
    /// The channel carrying the bytes, once there is one.
    pub channel: Option<FileChannel>,
    /// Incoming: the chunks so far and their digest.
    pub parts: Parts,
    pub digest: ChunkDigest,
    pub received: u64,
    /// The sender's digest: ours once all is sent, or the one the sender announced.
    pub sha256: Option<String>,
    /// Incoming: the digests are being compared.
    pub verifying: bool,
    /// When progress was last shown.
    pub reported_ms: f64,
    /// Outgoing: the offer waits until the peer's app says it takes it (a file to the
    /// room at first, any offer of ours again after the link broke).
    pub unsent: bool,
    /// Outgoing: offered to everyone in the room.
    pub to_room: bool,
    /// Outgoing: the bytes the receiver holds already; the rest is sent.
    pub at: u64,
    /// Outgoing: the link broke before the end; offered again, it goes on.
    pub broken: bool,
    /// Outgoing, broken off: the peer's page closed the link (it reloaded, most likely).
    pub closed: bool,
    /// Incoming, from a sender that can resume: chunks on their way to the device.
    pub keeping: Option<Keeping>,
}

/// Received chunks on their way to the device, a piece at a time: one write while the next
/// piece gathers, so that a reload loses only what came since the last one. The pieces are
/// also what the file is made of at the end (one copy of the bytes, not two).
/// Chunks in a piece kept at once: 4 MiB. Each write has a cost of its own (a
/// transaction, a file), so fewer, larger ones keep up with the link better; a reload
/// loses up to that much, which then comes again.
const CHUNKS_PER_PIECE: usize = 64;

#[derive(Default)]
pub struct Keeping {
    /// Bytes on the device (or on their way there), from the start of the file.
    pub kept: u64,
    /// Chunks since, and their digests to come.
    pub chunks: Vec<ArrayBuffer>,
    pub digests: Vec<Promise>,
    /// A piece is being written.
    pub busy: bool,
}

impl Keeping {
    /// The chunks gathered, as one piece from `kept` on, with their digests; none while a
    /// write is under way.
    pub fn next_piece(&mut self) -> Option<(u64, Blob, Vec<Promise>)> {
        if self.busy || self.chunks.len() < CHUNKS_PER_PIECE {
            return None;
        }
        let (offset, chunks) = (self.kept, Array::new());
        for chunk in &self.chunks {
            chunks.push(chunk);
        }
        let piece = blob(&chunks)?;
        self.busy = true;
        self.kept += self.chunks.drain(..).map(|chunk| u64::from(chunk.byte_length())).sum::<u64>();
        Some((offset, piece, std::mem::take(&mut self.digests)))
    }
}

impl FileJob {
    /// Keeping on the device ends (the file is whole, or the device refused): the chunks
    /// not yet in a piece join the file.
    pub fn stop_keeping(&mut self) {
        for chunk in self.keeping.take().map(|keeping| keeping.chunks).unwrap_or_default() {
            self.parts.push(&chunk);
        }
    }
}
