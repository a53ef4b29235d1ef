//! Our key for signing room lines (WebCrypto ECDSA P-256; its private half cannot be
//! exported, not even by this page) and checking a peer's signatures with the public key it
//! gave over its own link (docs/protocol.md, 7.10).

use js_sys::{Array, Object, Reflect, Uint8Array};
use natter_model::proof::{from_hex, to_hex};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// Our signing key: the private half, and the public half as `roomKey` tells it.
#[derive(Clone)]
pub struct LineKey {
    private: CryptoKey,
    public_hex: String,
}

impl LineKey {
    /// A key pair the store kept (a structured-cloned `CryptoKeyPair`).
    pub async fn from_kept(kept: &JsValue) -> Option<LineKey> {
        let half = |name: &str| Reflect::get(kept, &name.into()).ok()?.dyn_into::<CryptoKey>().ok();
        let (private, public) = (half("privateKey")?, half("publicKey")?);
        let raw = JsFuture::from(subtle()?.export_key("raw", &public).ok()?).await.ok()?;
        Some(LineKey { private, public_hex: to_hex(&Uint8Array::new(&raw).to_vec()) })
    }

    /// A new key pair, and the `CryptoKeyPair` to keep.
    pub async fn generate() -> Option<(LineKey, JsValue)> {
        let usages = Array::of2(&"sign".into(), &"verify".into());
        let made =
            subtle()?.generate_key_with_object(&algorithm("namedCurve", "P-256"), false, &usages);
        let pair = JsFuture::from(made.ok()?).await.ok()?;
        Some((LineKey::from_kept(&pair).await?, pair))
    }

    /// The public half, raw (65 bytes, uncompressed point), in lowercase hex.
    pub fn public_hex(&self) -> String {
        self.public_hex.clone()
    }

    /// Our signature over `bytes` (64 bytes, r then s), in lowercase hex.
    pub async fn sign(&self, bytes: &[u8]) -> Option<String> {
        let signing = subtle()?.sign_with_object_and_u8_array(&signing(), &self.private, bytes);
        let sig = JsFuture::from(signing.ok()?).await.ok()?;
        Some(to_hex(&Uint8Array::new(&sig).to_vec()))
    }
}

/// Whether `sig_hex` is the signature over `bytes` of the key `key_hex`; `false` for
/// anything that is not a key or a signature.
pub async fn verify(key_hex: &str, sig_hex: &str, bytes: &[u8]) -> bool {
    checked(key_hex, sig_hex, bytes).await.unwrap_or(false)
}

async fn checked(key_hex: &str, sig_hex: &str, bytes: &[u8]) -> Option<bool> {
    let (key, sig, subtle) = (from_hex(key_hex)?, from_hex(sig_hex)?, subtle()?);
    let raw: Object = Uint8Array::from(key.as_slice()).into();
    let usages = Array::of1(&"verify".into());
    let import = subtle.import_key_with_object(
        "raw",
        &raw,
        &algorithm("namedCurve", "P-256"),
        true,
        &usages,
    );
    let key: CryptoKey = JsFuture::from(import.ok()?).await.ok()?.dyn_into().ok()?;
    let check = subtle.verify_with_object_and_u8_array_and_u8_array(&signing(), &key, &sig, bytes);
    JsFuture::from(check.ok()?).await.ok()?.as_bool()
}

fn subtle() -> Option<SubtleCrypto> {
    Some(web_sys::window()?.crypto().ok()?.subtle())
}

/// `{name: "ECDSA", key: value}`.
fn algorithm(key: &str, value: &str) -> Object {
    let algorithm = Object::new();
    let _ = Reflect::set(&algorithm, &"name".into(), &"ECDSA".into());
    let _ = Reflect::set(&algorithm, &key.into(), &value.into());
    algorithm
}

/// ECDSA with SHA-256, as signing and checking take it.
fn signing() -> Object {
    algorithm("hash", "SHA-256")
}
