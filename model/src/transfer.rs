//! The life of a file transfer apart from the browser objects: where it stands, how far it
//! has come and how fast, and which incoming chunks fit the offer.

use crate::i18n::{Lang, K};
use natter_protocol::FILE_CHUNK_BYTES;

/// Longest file name kept from a peer's offer, in characters.
const MAX_NAME_CHARS: usize = 255;
/// Longest media type kept from a peer's offer.
const MAX_MIME_CHARS: usize = 100;
/// Shortest time between two speed samples: shorter ones are mostly noise.
const SAMPLE_MS: f64 = 400.0;

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferPhase {
    /// The peer offers a file: ours to accept or decline.
    Offered,
    /// We offered a file: waiting for the peer's answer.
    Waiting,
    /// Bytes are going out.
    Sending,
    /// Bytes are coming in.
    Receiving,
    /// Every byte arrived and the digests match.
    Done,
    /// The receiver said no.
    Declined,
    /// One side stopped it.
    Cancelled,
    /// It broke; the note says why.
    Failed,
}

impl TransferPhase {
    /// A stable word for styling and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferPhase::Offered => "offered",
            TransferPhase::Waiting => "waiting",
            TransferPhase::Sending => "sending",
            TransferPhase::Receiving => "receiving",
            TransferPhase::Done => "done",
            TransferPhase::Declined => "declined",
            TransferPhase::Cancelled => "cancelled",
            TransferPhase::Failed => "failed",
        }
    }

    /// Bytes are on their way.
    pub fn is_flowing(self) -> bool {
        matches!(self, TransferPhase::Sending | TransferPhase::Receiving)
    }

    /// Nothing more will happen.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            TransferPhase::Done
                | TransferPhase::Declined
                | TransferPhase::Cancelled
                | TransferPhase::Failed
        )
    }
}

/// Why an incoming chunk does not fit the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadChunk {
    /// More bytes than offered.
    TooMuch,
    /// A chunk of the wrong size before the last one.
    WrongSize,
}

/// Checks a chunk of `len` bytes arriving after `received` bytes of a `size`-byte file:
/// every chunk is [`FILE_CHUNK_BYTES`] except the last, which ends the file exactly.
pub fn check_chunk(received: u64, len: u64, size: u64) -> Result<(), BadChunk> {
    let Some(after) = received.checked_add(len).filter(|&after| after <= size) else {
        return Err(BadChunk::TooMuch);
    };
    if len > u64::from(FILE_CHUNK_BYTES) {
        Err(BadChunk::TooMuch)
    } else if len == u64::from(FILE_CHUNK_BYTES) || (after == size && len > 0) {
        Ok(())
    } else {
        Err(BadChunk::WrongSize)
    }
}

/// Whether the browser may show a file of media type `mime` inline. Only raster images:
/// an SVG or HTML file from a peer must never run in the page's origin.
pub fn previewable(mime: &str) -> bool {
    matches!(
        mime,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/avif" | "image/bmp"
    )
}

/// One file going to or coming from a peer.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    /// Unique per peer; chosen by the sender.
    pub id: String,
    /// The other side.
    pub peer: String,
    /// We send it.
    pub outgoing: bool,
    /// The file's name (text from a peer: shown as text only).
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// Media type (may be empty).
    pub mime: String,
    /// Where it stands.
    pub phase: TransferPhase,
    /// For an ended transfer: what happened, in words.
    pub note: String,
    /// Bytes through so far.
    pub done: u64,
    /// Bytes per second, recent.
    pub speed: f64,
    /// Where the received file can be downloaded (an object URL), once done.
    pub url: Option<String>,
    sampled_ms: f64,
    sampled_bytes: u64,
}

impl Transfer {
    /// We offer a file to `peer`.
    pub fn offer(id: String, peer: &str, name: String, size: u64, mime: String) -> Self {
        Transfer::new(id, peer, true, name, size, mime, TransferPhase::Waiting)
    }

    /// `peer` offers us a file; overlong names and types are cut.
    pub fn offered(id: String, peer: &str, name: &str, size: u64, mime: &str) -> Self {
        let name = name.chars().take(MAX_NAME_CHARS).collect();
        let mime = mime.chars().take(MAX_MIME_CHARS).collect();
        Transfer::new(id, peer, false, name, size, mime, TransferPhase::Offered)
    }

    /// A file received before this page, kept on the device and still there: done, to
    /// be saved from `url`.
    pub fn kept(
        id: String,
        peer: &str,
        name: String,
        size: u64,
        mime: String,
        url: String,
    ) -> Self {
        let mut kept = Transfer::new(id, peer, false, name, size, mime, TransferPhase::Done);
        kept.done = size;
        kept.url = Some(url);
        kept
    }

    /// A file we were receiving before this page, `held` bytes of it kept on the device:
    /// it goes on from there once the sender offers it again.
    pub fn held(id: String, peer: &str, name: String, size: u64, mime: String, held: u64) -> Self {
        let mut transfer =
            Transfer::new(id, peer, false, name, size, mime, TransferPhase::Receiving);
        transfer.done = held.min(size);
        transfer
    }

    fn new(
        id: String,
        peer: &str,
        outgoing: bool,
        name: String,
        size: u64,
        mime: String,
        phase: TransferPhase,
    ) -> Self {
        Transfer {
            id,
            peer: peer.to_owned(),
            outgoing,
            name,
            size,
            mime,
            phase,
            note: String::new(),
            done: 0,
            speed: 0.0,
            url: None,
            sampled_ms: 0.0,
            sampled_bytes: 0,
        }
    }

    /// Bytes start to flow (we accepted, or the peer did and the channel is open).
    pub fn start(&mut self, now_ms: f64) -> bool {
        let next = if self.outgoing { TransferPhase::Sending } else { TransferPhase::Receiving };
        let allowed = matches!(self.phase, TransferPhase::Offered | TransferPhase::Waiting);
        if allowed {
            self.phase = next;
            self.sampled_ms = now_ms;
        }
        allowed
    }

    /// The link with the peer broke before the end: ours waits to be offered again (the
    /// receiver then says how much it holds), theirs to be taken up where it stopped.
    /// `note` says so.
    pub fn pause(&mut self, note: String) {
        if self.phase.is_over() {
            return;
        }
        if self.outgoing {
            self.phase = TransferPhase::Waiting;
        }
        self.note = note;
        self.speed = 0.0;
    }

    /// Bytes flow again from `at`, the bytes the receiver holds; `note` says why.
    pub fn resume(&mut self, at: u64, note: String, now_ms: f64) {
        self.done = at.min(self.size);
        self.sampled_bytes = self.done;
        self.sampled_ms = now_ms;
        self.speed = 0.0;
        self.note = note;
    }

    /// `bytes` are through at `now_ms`; the speed is a moving average of recent samples.
    pub fn progress(&mut self, bytes: u64, now_ms: f64) {
        self.done = bytes.min(self.size);
        let elapsed = now_ms - self.sampled_ms;
        if elapsed < SAMPLE_MS {
            return;
        }
        let rate = self.done.saturating_sub(self.sampled_bytes) as f64 * 1000.0 / elapsed;
        self.speed = if self.speed == 0.0 { rate } else { (self.speed + rate) / 2.0 };
        self.sampled_ms = now_ms;
        self.sampled_bytes = self.done;
    }

    /// Ends the transfer with `note`; `false` if it had already ended.
    pub fn end(&mut self, phase: TransferPhase, note: String) -> bool {
        if self.phase.is_over() {
            return false;
        }
        self.phase = phase;
        self.note = note;
        self.speed = 0.0;
        true
    }

    /// Whole percent through.
    pub fn percent(&self) -> u64 {
        if self.size == 0 {
            return if self.phase == TransferPhase::Done { 100 } else { 0 };
        }
        self.done.saturating_mul(100) / self.size
    }

    /// Seconds left at the current speed, once there is one.
    pub fn seconds_left(&self) -> Option<u64> {
        (self.speed > 0.0).then(|| ((self.size - self.done) as f64 / self.speed).ceil() as u64)
    }
}

/// A byte count for people: `812 B`, `65.5 KB`, `8.4 MB`, `1.2 GB` (1 KB = 1000 bytes).
/// Integer arithmetic only: formatting a float would add tens of KB of wasm.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let (mut scale, mut unit) = (1000, 0);
    while bytes >= scale * 1000 && unit < UNITS.len() - 1 {
        scale *= 1000;
        unit += 1;
    }
    let tenths = bytes.saturating_add(scale / 20) / (scale / 10);
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

/// Characters of a file name always shown at its end, with the extension, when the name
/// is too long for its place.
const NAME_END_CHARS: usize = 9;

/// A file name in two parts for showing it cut in the middle, as `very-long-na…ame.pdf`:
/// the start gives way to an ellipsis when space runs out, the end (with the extension)
/// always shows.
pub fn name_parts(name: &str) -> (&str, &str) {
    let cut = name.char_indices().rev().nth(NAME_END_CHARS - 1).map_or(0, |(at, _)| at);
    name.split_at(cut)
}

/// A file we offered to everyone in a room, summed up from each person's transfer: how
/// many have it, said no, or could not get it (failed, cancelled, or unable to take it).
pub fn room_summary(lang: Lang, phases: impl IntoIterator<Item = TransferPhase>) -> String {
    let (mut received, mut declined, mut missed, mut total) = (0, 0, 0, 0);
    for phase in phases {
        total += 1;
        match phase {
            TransferPhase::Done => received += 1,
            TransferPhase::Declined => declined += 1,
            TransferPhase::Cancelled | TransferPhase::Failed => missed += 1,
            _ => {}
        }
    }
    let count = |key, n: usize| lang.fill(key, &[("n", &n.to_string())]);
    let mut summary =
        lang.fill(K::ReceivedByOf, &[("n", &received.to_string()), ("total", &total.to_string())]);
    for (key, n) in [(K::DeclinedCount, declined), (K::MissedCount, missed)] {
        if n > 0 {
            summary = summary + " · " + &count(key, n);
        }
    }
    summary
}
