//! The media devices for calls: microphone and camera, with a fallback to what is
//! available, and the screen for sharing.

use crate::i18n::{t, tf, K};
use natter_model::call::CallKind;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamConstraints, MediaStreamTrack};

/// What the devices gave for a call.
pub struct Opened {
    /// The tracks we got, if any.
    pub stream: Option<MediaStream>,
    /// What is missing and why, for the user.
    pub problems: Vec<String>,
}

/// Opens the microphone (and the camera for a video call). When the camera is refused,
/// missing or busy, falls back to voice only; when nothing works, the call goes on
/// listen-only. Each shortfall comes back as a sentence.
pub async fn open_devices(kind: CallKind) -> Opened {
    let mut problems = Vec::new();
    if kind == CallKind::Video {
        match user_media(true, true).await {
            Ok(stream) => return Opened { stream: Some(stream), problems },
            Err(reason) => {
                // Which device failed is not said: try each alone.
                if let Ok(stream) = user_media(true, false).await {
                    problems.push(tf(K::CameraUnavailable, &[("reason", reason)]));
                    return Opened { stream: Some(stream), problems };
                }
                if let Ok(stream) = user_media(false, true).await {
                    problems.push(tf(K::MicUnavailable, &[("reason", reason)]));
                    return Opened { stream: Some(stream), problems };
                }
                problems.push(tf(K::BothUnavailable, &[("reason", reason)]));
                return Opened { stream: None, problems };
            }
        }
    }
    match user_media(true, false).await {
        Ok(stream) => Opened { stream: Some(stream), problems },
        Err(reason) => {
            problems.push(tf(K::MicListenOnly, &[("reason", reason)]));
            Opened { stream: None, problems }
        }
    }
}

async fn user_media(audio: bool, video: bool) -> Result<MediaStream, &'static str> {
    let devices = web_sys::window()
        .and_then(|window| window.navigator().media_devices().ok())
        .ok_or(t(K::NoMediaDevices))?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio_bool(audio);
    constraints.set_video_bool(video);
    let promise = devices.get_user_media_with_constraints(&constraints).map_err(|e| reason(&e))?;
    let stream = JsFuture::from(promise).await.map_err(|e| reason(&e))?;
    Ok(stream.unchecked_into())
}

/// Asks for a screen (or window) to share: its video track.
pub async fn open_screen() -> Result<MediaStreamTrack, String> {
    let devices = web_sys::window()
        .and_then(|window| window.navigator().media_devices().ok())
        .ok_or(t(K::CannotShare))?;
    let promise = devices.get_display_media().map_err(|e| describe_screen_error(&e))?;
    let stream: MediaStream =
        JsFuture::from(promise).await.map_err(|e| describe_screen_error(&e))?.unchecked_into();
    stream.get_video_tracks().get(0).dyn_into().map_err(|_| t(K::NoPicture).to_owned())
}

fn describe_screen_error(error: &wasm_bindgen::JsValue) -> String {
    tf(K::SharingUnavailable, &[("reason", reason(error))])
}

/// Why a device could not be opened, in words (from the DOMException name).
fn reason(error: &wasm_bindgen::JsValue) -> &'static str {
    let name = js_sys::Reflect::get(error, &"name".into()).ok().and_then(|n| n.as_string());
    t(match name.as_deref() {
        Some("NotAllowedError" | "SecurityError") => K::AccessRefused,
        Some("NotFoundError" | "OverconstrainedError") => K::NoDevice,
        Some("NotReadableError" | "AbortError") => K::DeviceBusy,
        _ => K::CouldNotOpen,
    })
}

/// Every track of `stream`.
pub fn tracks(stream: &MediaStream) -> Vec<MediaStreamTrack> {
    stream.get_tracks().iter().filter_map(|track| track.dyn_into().ok()).collect()
}

/// Stops every track of `stream`: the camera light goes off.
pub fn stop(stream: &MediaStream) {
    for track in tracks(stream) {
        track.stop();
    }
}
