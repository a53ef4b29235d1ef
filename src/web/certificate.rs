//! The long-lived WebRTC certificate that is this browser's identity: made once, kept in
//! the store, used for every connection, so its fingerprint stays the same across reloads.

use crate::i18n::{t, K};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RtcCertificate, RtcPeerConnection};

#[wasm_bindgen]
extern "C" {
    /// The part of `RTCCertificate` web-sys lacks.
    type CertificateExtras;
    #[wasm_bindgen(method, js_name = getFingerprints)]
    fn get_fingerprints(this: &CertificateExtras) -> js_sys::Array;
}

/// How long a certificate lasts: the longest Chromium grants (a year). After that a new one
/// is made, and peers see the identity change.
const LIFETIME_MS: f64 = 365.0 * 24.0 * 3600.0 * 1000.0;
/// A certificate this close to its end is replaced at the next start rather than used.
const RENEW_BEFORE_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// Makes a new ECDSA P-256 certificate for a year.
pub async fn generate() -> Result<RtcCertificate, String> {
    let keygen = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&keygen, &key.into(), &value);
    let _ = set("name", "ECDSA".into());
    let _ = set("namedCurve", "P-256".into());
    let _ = set("expires", LIFETIME_MS.into());
    let made = RtcPeerConnection::generate_certificate_with_object(&keygen)
        .map_err(|_| t(K::NoCertificateSupport).to_owned())?;
    let certificate = JsFuture::from(made).await.map_err(|_| t(K::NoCertificateMade).to_owned())?;
    Ok(certificate.unchecked_into())
}

/// Whether a certificate read back from the store can still be used for a while.
pub fn usable(value: &JsValue, now_ms: f64) -> Option<RtcCertificate> {
    let certificate: RtcCertificate = value.clone().dyn_into().ok()?;
    (certificate.expires() - now_ms > RENEW_BEFORE_MS).then_some(certificate)
}

/// The certificate's SHA-256 fingerprint, `AB:CD:…` in upper case, as SDPs announce it.
pub fn fingerprint(certificate: &RtcCertificate) -> Option<String> {
    let all = certificate.unchecked_ref::<CertificateExtras>().get_fingerprints();
    all.iter().find_map(|entry| {
        let field = |key: &str| Reflect::get(&entry, &key.into()).ok()?.as_string();
        (field("algorithm")? == "sha-256")
            .then(|| field("value").map(|v| v.to_ascii_uppercase()))?
    })
}

/// SHA-256 of `bytes`, by WebCrypto.
pub async fn sha256(bytes: &[u8]) -> Option<Vec<u8>> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let digest = subtle.digest_with_str_and_u8_array("SHA-256", bytes).ok()?;
    Some(js_sys::Uint8Array::new(&JsFuture::from(digest).await.ok()?).to_vec())
}
