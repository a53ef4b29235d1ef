//! The browser objects of one file transfer: the file we send, the channel carrying its
//! bytes, and the chunks received so far with their digest.

use super::file_channel::FileChannel;
use super::file_data::{ChunkDigest, Parts};
use web_sys::File;

/// What the files part keeps of a transfer beside what is shown.
#[derive(Default)]
pub struct FileJob {
    /// What we send, until the channel opens.
    pub file: Option<File>,
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
    /// Outgoing to the room: the offer waits until the peer's app says it takes it.
    pub unsent: bool,
}
