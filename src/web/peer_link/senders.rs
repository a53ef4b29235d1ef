//! What a connection sends of a call: every track's sender, and the one carrying video.

use super::settle;
use std::cell::RefCell;
use web_sys::{MediaStream, MediaStreamTrack, RtcPeerConnection, RtcRtpSender};

/// The call's senders on one connection.
pub(super) struct Senders {
    connection: RtcPeerConnection,
    all: RefCell<Vec<RtcRtpSender>>,
    video: RefCell<Option<RtcRtpSender>>,
}

impl Senders {
    pub fn new(connection: RtcPeerConnection) -> Self {
        Senders { connection, all: RefCell::default(), video: RefCell::default() }
    }

    /// Sends every track of `stream`; negotiation follows.
    pub fn add_media(&self, stream: &MediaStream) {
        for track in crate::web::devices::tracks(stream) {
            self.add(&track, stream);
        }
    }

    /// Sends `track` as our video: it replaces the current video in place (no
    /// renegotiation), or is added, with `stream`, if the call had none.
    pub fn send_video(&self, track: &MediaStreamTrack, stream: Option<&MediaStream>) {
        let current = self.video.borrow().clone();
        match (current, stream) {
            (Some(sender), _) => settle(sender.replace_track(Some(track))),
            (None, Some(stream)) => self.add(track, stream),
            (None, None) => {
                if let Ok(stream) = MediaStream::new() {
                    self.add(track, &stream);
                }
            }
        }
    }

    /// Sends no video any more, keeping the sender for a later track.
    pub fn stop_video(&self) {
        if let Some(sender) = self.video.borrow().as_ref() {
            settle(sender.replace_track(None));
        }
    }

    /// Stops sending every track; negotiation follows.
    pub fn remove_media(&self) {
        self.video.borrow_mut().take();
        for sender in self.all.take() {
            self.connection.remove_track(&sender);
        }
    }

    fn add(&self, track: &MediaStreamTrack, stream: &MediaStream) {
        let sender = self.connection.add_track_0(track, stream);
        if track.kind() == "video" {
            *self.video.borrow_mut() = Some(sender.clone());
        }
        self.all.borrow_mut().push(sender);
    }
}
