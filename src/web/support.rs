//! What this browser has of the APIs some features need, so that a browser without one
//! says so, or offers no such feature, instead of failing silently.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

fn has(object: &JsValue, name: &str) -> bool {
    // A property that is there but `undefined` counts as missing too.
    Reflect::get(object, &name.into()).is_ok_and(|value| !value.is_undefined())
}

/// Whether the page can make peer connections (WebRTC): natter needs them for everything.
pub fn peer_connections() -> bool {
    web_sys::window().is_some_and(|window| has(&window, "RTCPeerConnection"))
}

/// Whether the page can share a screen (`getDisplayMedia`; phones' browsers cannot).
pub fn screen_sharing() -> bool {
    let devices = web_sys::window().and_then(|window| window.navigator().media_devices().ok());
    devices.is_some_and(|devices| has(&devices, "getDisplayMedia"))
}
