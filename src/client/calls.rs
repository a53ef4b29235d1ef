//! Calls: ringing, answering and hanging up over the chat channel; media on the same
//! peer connection (renegotiated by the link's perfect negotiation).

use super::ChatClient;
use crate::browser::now_ms;
use crate::call::{Call, CallKind, Next, Phase, RING_TIMEOUT_MS};
use crate::net::media;
use leptos::prelude::*;
use natter_protocol::PeerMessage;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{MediaStream, MediaStreamTrack};

/// The media of the call under way.
#[derive(Default)]
pub(super) struct CallMedia {
    /// Our microphone/camera (or screen) tracks.
    local: Option<MediaStream>,
    /// The camera track, kept while the screen replaces it.
    camera: Option<MediaStreamTrack>,
    /// The shared screen, while sharing.
    screen: Option<MediaStreamTrack>,
    /// What the peer sends.
    remote: Option<MediaStream>,
}

impl ChatClient {
    /// Rings `peer` for a call; it ends by itself if nobody answers.
    pub fn start_call(&self, peer: &str, kind: CallKind) {
        if self.state.call.with_untracked(Option::is_some) {
            return self.toast("Hang up the current call first");
        }
        if let Err(why) = self.peer_app(peer).calls() {
            return self.toast(why.explain(peer, "calls"));
        }
        if !self.send_peer(peer, &PeerMessage::Call { video: kind == CallKind::Video }) {
            return self.toast(format!("{peer} is not connected yet"));
        }
        self.state.call.set(Some(Call::ring(peer, kind, now_ms())));
        self.end_call_unanswered(0.0);
    }

    /// Accepts the incoming call.
    pub fn accept_call(&self) {
        let next = self.update_call(|call| call.accept(now_ms()));
        self.follow(next);
    }

    /// Declines the incoming call, or cancels or ends the current one.
    pub fn hang_up(&self) {
        let Some(call) = self.state.call.get_untracked() else { return };
        let message = match call.phase {
            Phase::Incoming => PeerMessage::CallAnswer { accept: false },
            Phase::Ringing | Phase::Active => PeerMessage::CallEnd,
        };
        self.send_peer(&call.peer, &message);
        self.end_call(None);
    }

    /// Mutes or unmutes the microphone.
    pub fn toggle_mute(&self) {
        let muted = self.update_call(|call| {
            call.local.muted = !call.local.muted;
            call.local.muted
        });
        self.set_enabled(|track| track.kind() == "audio", !muted);
        self.tell_switches();
    }

    /// Turns the camera off or on.
    pub fn toggle_camera(&self) {
        let off = self.update_call(|call| {
            call.local.camera_off = !call.local.camera_off;
            call.local.camera_off
        });
        if let Some(camera) = &self.media.borrow().camera {
            camera.set_enabled(!off);
        }
        self.tell_switches();
    }

    /// Shows the screen instead of the camera, or goes back to the camera.
    pub fn toggle_screen(&self) {
        let sharing =
            self.state.call.with_untracked(|call| call.as_ref().is_some_and(|c| c.local.sharing));
        if sharing {
            return self.stop_sharing();
        }
        let this = self.this.clone();
        spawn_local(async move {
            let screen = media::open_screen().await;
            let Some(client) = this.upgrade() else { return };
            match screen {
                Ok(screen) => client.share(screen),
                Err(problem) => client.toast(problem),
            }
        });
    }

    /// The peer's message about a call.
    pub(super) fn on_call_message(&self, peer: &str, message: PeerMessage) {
        let call = self.state.call.get_untracked();
        let ours = call.as_ref().is_some_and(|call| call.peer == peer);
        match message {
            PeerMessage::Call { video } => {
                let kind = if video { CallKind::Video } else { CallKind::Voice };
                match call {
                    None => {
                        self.state.call.set(Some(Call::incoming(peer, kind, now_ms())));
                        self.toast(format!("{peer} is calling"));
                        // The caller gives up first and says so; this is in case it cannot.
                        self.end_call_unanswered(5_000.0);
                    }
                    Some(_) if ours => {
                        let next = self.update_call(|call| call.rang_by_peer(now_ms()));
                        self.follow(next);
                    }
                    // Busy in another call.
                    Some(_) => {
                        self.send_peer(peer, &PeerMessage::CallAnswer { accept: false });
                    }
                }
            }
            PeerMessage::CallAnswer { accept: true } if ours => {
                let next = self.update_call(|call| call.accepted_by_peer(now_ms()));
                self.follow(next);
            }
            PeerMessage::CallAnswer { accept: false } if ours => {
                self.end_call(Some(format!("{peer} declined the call")));
            }
            PeerMessage::CallEnd if ours => {
                let missed = call.is_some_and(|call| call.phase == Phase::Incoming);
                let why = if missed {
                    format!("Missed call from {peer}")
                } else {
                    format!("{peer} hung up")
                };
                self.end_call(Some(why));
            }
            PeerMessage::CallState { muted, camera_off, sharing } if ours => {
                self.update_call(|call| {
                    call.remote = crate::call::Switches { muted, camera_off, sharing }
                });
            }
            _ => {}
        }
    }

    /// A track arrived from `peer`.
    pub(super) fn on_remote_track(&self, peer: &str, track: MediaStreamTrack) {
        if !self.state.call.with_untracked(|call| call.as_ref().is_some_and(|c| c.peer == peer)) {
            return;
        }
        let mut media = self.media.borrow_mut();
        let remote = media.remote.get_or_insert_with(|| MediaStream::new().expect("MediaStream"));
        // A renegotiated video track replaces the old one.
        for old in media::tracks(remote).into_iter().filter(|old| old.kind() == track.kind()) {
            remote.remove_track(&old);
        }
        remote.add_track(&track);
        drop(media);
        self.state.media_epoch.update(|epoch| *epoch += 1);
    }

    /// The link to `peer` went away: so did any call with them.
    pub(super) fn peer_gone_from_call(&self, peer: &str) {
        if self.state.call.with_untracked(|call| call.as_ref().is_some_and(|c| c.peer == peer)) {
            self.end_call(Some(format!("The connection to {peer} was lost")));
        }
    }

    /// Our stream, for the preview.
    pub fn local_stream(&self) -> Option<MediaStream> {
        self.media.borrow().local.clone()
    }

    /// The peer's stream.
    pub fn remote_stream(&self) -> Option<MediaStream> {
        self.media.borrow().remote.clone()
    }

    /// Stops every local track and forgets the call; `why` is told to the user.
    pub fn end_call(&self, why: Option<String>) {
        let media = self.media.take();
        if let Some(local) = &media.local {
            media::stop(local);
        }
        if let Some(screen) = &media.screen {
            screen.stop();
        }
        if let Some(call) = self.state.call.get_untracked() {
            self.with_existing_link(&call.peer, |link| link.remove_media());
        }
        self.state.call.set(None);
        self.state.media_epoch.update(|epoch| *epoch += 1);
        if let Some(why) = why {
            self.toast(why);
        }
    }

    /// Ends the call, after [`RING_TIMEOUT_MS`] and `grace_ms` more, if it is still
    /// unanswered then.
    fn end_call_unanswered(&self, grace_ms: f64) {
        let this = self.this.clone();
        let check = move || {
            let Some(client) = this.upgrade() else { return };
            let Some(call) = client.state.call.get_untracked() else { return };
            if !call.unanswered(now_ms() - grace_ms) {
                return;
            }
            let why = if call.phase == Phase::Ringing {
                client.send_peer(&call.peer, &PeerMessage::CallEnd);
                format!("No answer from {}", call.peer)
            } else {
                format!("Missed call from {}", call.peer)
            };
            client.end_call(Some(why));
        };
        set_timeout(check, Duration::from_millis((RING_TIMEOUT_MS + grace_ms) as u64));
    }

    fn follow(&self, next: Next) {
        let Some(call) = self.state.call.get_untracked() else { return };
        if next == Next::AcceptAndStartMedia {
            self.send_peer(&call.peer, &PeerMessage::CallAnswer { accept: true });
        }
        if next != Next::Nothing {
            self.start_media(call.peer, call.kind);
        }
    }

    fn start_media(&self, peer: String, kind: CallKind) {
        let this = self.this.clone();
        spawn_local(async move {
            let opened = media::open_devices(kind).await;
            let Some(client) = this.upgrade() else { return };
            let still_on =
                client.state.call.with_untracked(|c| c.as_ref().is_some_and(|c| c.peer == peer));
            if !still_on {
                // Hung up while the devices were opening.
                if let Some(stream) = &opened.stream {
                    media::stop(stream);
                }
                return;
            }
            for problem in opened.problems {
                client.toast(problem);
            }
            let Some(stream) = opened.stream else {
                client.update_call(|call| {
                    call.local.muted = true;
                    call.local.camera_off = true;
                });
                return client.tell_switches();
            };
            let camera: Option<MediaStreamTrack> = stream.get_video_tracks().get(0).dyn_into().ok();
            let has_audio = stream.get_audio_tracks().length() > 0;
            client.update_call(|call| {
                call.local.camera_off = camera.is_none();
                call.local.muted = !has_audio;
            });
            client.with_existing_link(&peer, |link| link.add_media(&stream));
            {
                let mut media = client.media.borrow_mut();
                media.camera = camera;
                media.local = Some(stream);
            }
            client.state.media_epoch.update(|epoch| *epoch += 1);
            client.tell_switches();
        });
    }

    fn share(&self, screen: MediaStreamTrack) {
        let Some(call) = self.state.call.get_untracked().filter(|c| c.phase == Phase::Active)
        else {
            return screen.stop();
        };
        // The browser's own "stop sharing" button ends the track.
        let this = self.this.clone();
        let on_ended = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(client) = this.upgrade() {
                client.stop_sharing();
            }
        });
        screen.set_onended(Some(on_ended.unchecked_ref()));
        self.with_existing_link(&call.peer, |link| {
            link.send_video(&screen, self.local_stream().as_ref())
        });
        self.media.borrow_mut().screen = Some(screen);
        self.update_call(|call| call.local.sharing = true);
        self.state.media_epoch.update(|epoch| *epoch += 1);
        self.tell_switches();
    }

    fn stop_sharing(&self) {
        let Some(screen) = self.media.borrow_mut().screen.take() else { return };
        screen.set_onended(None);
        screen.stop();
        let camera = self.media.borrow().camera.clone();
        if let Some(call) = self.state.call.get_untracked() {
            self.with_existing_link(&call.peer, |link| match &camera {
                Some(camera) => link.send_video(camera, self.local_stream().as_ref()),
                None => link.stop_video(),
            });
        }
        self.update_call(|call| call.local.sharing = false);
        self.state.media_epoch.update(|epoch| *epoch += 1);
        self.tell_switches();
    }

    fn set_enabled(&self, which: impl Fn(&MediaStreamTrack) -> bool, enabled: bool) {
        if let Some(local) = &self.media.borrow().local {
            for track in media::tracks(local).iter().filter(|track| which(track)) {
                track.set_enabled(enabled);
            }
        }
    }

    fn tell_switches(&self) {
        let Some(call) = self.state.call.get_untracked() else { return };
        let switches = call.local;
        self.send_peer(
            &call.peer,
            &PeerMessage::CallState {
                muted: switches.muted,
                camera_off: switches.camera_off,
                sharing: switches.sharing,
            },
        );
    }

    fn update_call<R: Default>(&self, change: impl FnOnce(&mut Call) -> R) -> R {
        self.state.call.try_update(|call| call.as_mut().map(change)).flatten().unwrap_or_default()
    }
}
