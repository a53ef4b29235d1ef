//! The media of the call under way: our devices (or screen) and what the peer sends, in
//! the signals the call panel plays, and what the peer connection must send.

use crate::client::events::{Dispatch, Event};
use crate::state::ChatState;
use crate::web::devices::{self, Opened};
use leptos::prelude::*;
use natter_model::call::{CallKind, Switches};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{MediaStream, MediaStreamTrack};

/// What the connection must do with our media.
pub enum LinkMedia {
    /// Send every track of this stream (the call starts).
    Add(MediaStream),
    /// Send this track as our video, with the stream it belongs to.
    SendVideo(MediaStreamTrack, Option<MediaStream>),
    /// Send no video for now.
    StopVideo,
    /// Stop sending anything: the call ended, leaving this line in the conversation, and
    /// if it was a call we missed, its kind (the line then counts as unread).
    End(String, Option<CallKind>),
}

/// Our tracks and the peer's.
pub struct Media {
    state: ChatState,
    /// The camera track, kept while the screen replaces it.
    camera: RefCell<Option<MediaStreamTrack>>,
    /// The shared screen, while sharing.
    screen: RefCell<Option<MediaStreamTrack>>,
}

impl Media {
    pub fn new(state: ChatState) -> Self {
        Media { state, camera: RefCell::default(), screen: RefCell::default() }
    }

    /// Opens the devices a call of `kind` needs; `done` makes the event that brings them.
    pub fn open(kind: CallKind, dispatch: &Dispatch, done: impl FnOnce(Opened) -> Event + 'static) {
        let dispatch = dispatch.clone();
        spawn_local(async move { dispatch.send(done(devices::open_devices(kind).await)) });
    }

    /// Keeps the stream the devices gave; returns our switches as they now stand.
    pub fn opened(&self, stream: &MediaStream) -> Switches {
        let camera: Option<MediaStreamTrack> = stream.get_video_tracks().get(0).dyn_into().ok();
        let switches = Switches {
            muted: stream.get_audio_tracks().length() == 0,
            camera_off: camera.is_none(),
            sharing: false,
        };
        *self.camera.borrow_mut() = camera;
        // `Clone::clone`: `MediaStream::clone` would make a new stream with copied tracks.
        self.state.local_stream.set(Some(Clone::clone(stream)));
        switches
    }

    /// Devices that opened after the call ended: let them go.
    pub fn discard(opened: &Opened) {
        if let Some(stream) = &opened.stream {
            devices::stop(stream);
        }
    }

    /// A track from the peer; a renegotiated one replaces the old one of its kind.
    pub fn add_remote(&self, track: &MediaStreamTrack) {
        let remote = with_track(self.state.remote_stream.get_untracked(), track);
        self.state.remote_stream.set(remote);
    }

    /// Mutes or unmutes the microphone.
    pub fn set_muted(&self, muted: bool) {
        if let Some(local) = self.state.local_stream.get_untracked() {
            for track in devices::tracks(&local).iter().filter(|t| t.kind() == "audio") {
                track.set_enabled(!muted);
            }
        }
    }

    /// Turns the camera off or on.
    pub fn set_camera_off(&self, off: bool) {
        if let Some(camera) = &*self.camera.borrow() {
            camera.set_enabled(!off);
        }
    }

    /// Asks for a screen to share; the browser's own "stop sharing" button is heard too.
    pub fn open_screen(dispatch: &Dispatch) {
        let dispatch = dispatch.clone();
        spawn_local(async move {
            let screen = devices::open_screen().await;
            if let Ok(track) = &screen {
                let ended = dispatch.clone();
                let on_ended = wasm_bindgen::closure::Closure::once_into_js(move || {
                    ended.send(Event::ScreenEnded)
                });
                track.set_onended(Some(on_ended.unchecked_ref()));
            }
            dispatch.send(Event::ScreenOpened(screen));
        });
    }

    /// Shows `screen` instead of the camera.
    pub fn share(&self, screen: MediaStreamTrack) -> LinkMedia {
        let order =
            LinkMedia::SendVideo(Clone::clone(&screen), self.state.local_stream.get_untracked());
        *self.screen.borrow_mut() = Some(screen);
        order
    }

    /// The screen we share, if we do.
    pub fn screen(&self) -> Option<MediaStreamTrack> {
        self.screen.borrow().clone()
    }

    /// Goes back from the screen to the camera, if sharing.
    pub fn stop_sharing(&self) -> Option<LinkMedia> {
        let screen = self.screen.borrow_mut().take()?;
        screen.set_onended(None);
        screen.stop();
        Some(match self.camera.borrow().clone() {
            Some(camera) => LinkMedia::SendVideo(camera, self.state.local_stream.get_untracked()),
            None => LinkMedia::StopVideo,
        })
    }

    /// Stops every local track (the camera light goes off) and forgets both streams.
    pub fn stop(&self) {
        if let Some(local) = self.state.local_stream.get_untracked() {
            devices::stop(&local);
        }
        if let Some(screen) = self.screen.take() {
            screen.set_onended(None);
            screen.stop();
        }
        self.camera.take();
        self.state.local_stream.set(None);
        self.state.remote_stream.set(None);
    }
}

/// A new stream of `old`'s tracks with `track` in place of the one of its kind: a new
/// object, so that the video element showing it loads it again (and no other does).
pub fn with_track(old: Option<MediaStream>, track: &MediaStreamTrack) -> Option<MediaStream> {
    let stream = MediaStream::new().ok()?;
    for kept in old.iter().flat_map(devices::tracks).filter(|kept| kept.kind() != track.kind()) {
        stream.add_track(&kept);
    }
    stream.add_track(track);
    Some(stream)
}
