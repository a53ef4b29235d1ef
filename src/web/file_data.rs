//! File bytes, kept on the JS side (never copied through the wasm heap): slices read from
//! a `File`, received chunks gathered into a `Blob`, and the chunk digest by WebCrypto.

use js_sys::{Array, ArrayBuffer, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Url};

/// A file received before this page, as the device kept it: from `peer`, transfer `id`.
pub struct KeptFile {
    pub peer: String,
    pub id: String,
    pub blob: Blob,
}

/// Received chunks are folded into a `Blob` every this many: the browser may then keep
/// them out of the page's memory (Chromium pages large blobs to disk).
const PARTS_PER_BLOB: u32 = 256;

/// Starts reading bytes `start..end` of `file`; the read runs while the caller does
/// something else, until [`finish_read`].
pub fn start_read(file: &Blob, start: u64, end: u64) -> Option<Promise> {
    Some(file.slice_with_f64_and_f64(start as f64, end as f64).ok()?.array_buffer())
}

/// The bytes of a read begun with [`start_read`].
pub async fn finish_read(read: Option<Promise>) -> Option<ArrayBuffer> {
    JsFuture::from(read?).await.ok()?.dyn_into().ok()
}

/// `len` bytes of `buffer` from `start`, without copying.
pub fn view(buffer: &ArrayBuffer, start: u32, len: u32) -> Uint8Array {
    Uint8Array::new_with_byte_offset_and_length(buffer, start, len)
}

/// The file digest (see `natter_protocol`'s peer module), fed chunk by chunk.
#[derive(Default)]
pub struct ChunkDigest {
    /// One pending `crypto.subtle.digest` per chunk, in order.
    digests: Vec<Promise>,
}

impl ChunkDigest {
    /// Starts digesting the next chunk (an `ArrayBuffer` or a view); WebCrypto works on it
    /// off the main thread. Returns the chunk's digest to come.
    pub fn add(&mut self, chunk: &Object) -> Option<Promise> {
        let digest = subtle()?.digest_with_str_and_buffer_source("SHA-256", chunk).ok()?;
        self.digests.push(digest.clone());
        Some(digest)
    }

    /// Goes on from chunks digested before this page: `known` holds their digests in
    /// order, 32 bytes each.
    pub fn known(known: &[Uint8Array]) -> Self {
        let digests = known
            .iter()
            .flat_map(|joined| {
                (0..joined.length() / 32).map(|at| joined.subarray(at * 32, at * 32 + 32))
            })
            .map(|digest| Promise::resolve(&JsValue::from(digest)))
            .collect();
        ChunkDigest { digests }
    }

    /// SHA-256 of the concatenated chunk digests, in lowercase hex.
    pub async fn finish(self) -> Option<String> {
        let joined = joined(self.digests).await?;
        let total = subtle()?.digest_with_str_and_buffer_source("SHA-256", &joined).ok()?;
        let total = Uint8Array::new(&JsFuture::from(total).await.ok()?).to_vec();
        Some(total.iter().map(|byte| format!("{byte:02x}")).collect())
    }
}

/// The chunk digests `digests` will give, 32 bytes each, as one array.
pub async fn joined(digests: Vec<Promise>) -> Option<Uint8Array> {
    let all = Array::from_iter(digests);
    let digests: Array = JsFuture::from(Promise::all(&all)).await.ok()?.unchecked_into();
    let joined = Uint8Array::new_with_length(digests.length() * 32);
    for (index, digest) in digests.iter().enumerate() {
        joined.set(&Uint8Array::new(&digest), index as u32 * 32);
    }
    Some(joined)
}

fn subtle() -> Option<web_sys::SubtleCrypto> {
    Some(web_sys::window()?.crypto().ok()?.subtle())
}

/// The chunks of a file being received.
#[derive(Default)]
pub struct Parts {
    /// Blobs of earlier chunks.
    blobs: Vec<Blob>,
    /// Chunks since the last blob.
    recent: Option<Array>,
}

impl Parts {
    /// Goes on from pieces received before this page.
    pub fn held(pieces: Vec<Blob>) -> Self {
        Parts { blobs: pieces, recent: None }
    }

    /// Keeps one more chunk.
    pub fn push(&mut self, chunk: &ArrayBuffer) {
        let recent = self.recent.get_or_insert_with(Array::new);
        recent.push(chunk);
        if recent.length() >= PARTS_PER_BLOB {
            self.fold();
        }
    }

    /// Keeps a piece of several chunks, made elsewhere.
    pub fn push_blob(&mut self, piece: Blob) {
        self.fold();
        self.blobs.push(piece);
    }

    fn fold(&mut self) {
        if let Some(blob) = self.recent.take().and_then(|recent| blob_of(&recent, "")) {
            self.blobs.push(blob);
        }
    }

    /// The whole file, typed `mime`.
    pub fn into_blob(mut self, mime: &str) -> Option<Blob> {
        self.fold();
        blob_of(&Array::from_iter(self.blobs), mime)
    }
}

/// An object URL for `blob`; revoke it with [`revoke`].
pub fn url_of(blob: &Blob) -> Option<String> {
    Url::create_object_url_with_blob(blob).ok()
}

/// `parts` (chunks or blobs) as one untyped blob.
pub fn blob(parts: &Array) -> Option<Blob> {
    blob_of(parts, "")
}

fn blob_of(parts: &Array, mime: &str) -> Option<Blob> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_blob_sequence_and_options(parts, &options).ok()
}

/// Frees what an object URL holds.
pub fn revoke(url: &str) {
    let _ = Url::revoke_object_url(url);
}
