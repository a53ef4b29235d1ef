//! The calls part: ringing, answering and hanging up over the chat channel, with the
//! media on the same peer connection (renegotiated by the link's perfect negotiation).

mod media;

use super::events::{Dispatch, Event};
use super::outlet::PeerOutlet;
use crate::i18n::{lang, t, tf, K};
use crate::state::ChatState;
use crate::web::clock::now_ms;
use crate::web::devices::Opened;
use crate::web::ring_tone::RingTone;
use leptos::prelude::*;
pub use media::{with_track, LinkMedia, Media};
use natter_model::call::{Call, CallKind, CallPhase, CallStep, Ending, Switches, RING_TIMEOUT_MS};
use natter_protocol::PeerMessage;
use std::cell::{Cell, RefCell};
use std::time::Duration;
use web_sys::MediaStreamTrack;

/// What the connection to a peer must do with our media.
pub type MediaOrder = Option<(String, LinkMedia)>;

/// How long the callee waits past the caller's time before giving up on a ring itself.
const CALLEE_GRACE_MS: f64 = 5_000.0;

/// The call under way.
pub struct Calls {
    state: ChatState,
    dispatch: Dispatch,
    media: Media,
    /// The ring we hear, and the phase it is for.
    tone: RefCell<Option<(CallPhase, RingTone)>>,
    /// The notice of an incoming call, shown while it rings.
    ring_notice: Cell<Option<u32>>,
}

impl Calls {
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        Calls {
            state,
            dispatch,
            media: Media::new(state),
            tone: RefCell::default(),
            ring_notice: Cell::default(),
        }
    }

    /// Rings `peer`; the ring ends by itself if nobody answers.
    pub fn start(&self, peer: &str, kind: CallKind, out: &dyn PeerOutlet) {
        if self.state.call.with_untracked(Option::is_some) || self.state.in_room_call() {
            return self.state.notify(t(K::HangUpFirst));
        }
        if let Err(why) = out.app(peer).calls() {
            return self.state.notify(why.explain(lang(), peer, false));
        }
        if !out.send(peer, &PeerMessage::Call { video: kind == CallKind::Video }) {
            return self.state.notify(tf(K::NotConnectedYet, &[("peer", peer)]));
        }
        self.set(Some(Call::ring(peer, kind, now_ms())));
        self.check_unanswered(0.0);
    }

    /// Accepts the incoming call.
    pub fn accept(&self, out: &dyn PeerOutlet) {
        let step = self.update(|call| call.accept(now_ms()));
        self.follow(step, out);
    }

    /// Declines the incoming call, or cancels or ends the current one.
    pub fn hang_up(&self, out: &dyn PeerOutlet) -> MediaOrder {
        let call = self.state.call.get_untracked()?;
        let message = match call.phase {
            CallPhase::Incoming => PeerMessage::CallAnswer { accept: false },
            CallPhase::Ringing | CallPhase::Active => PeerMessage::CallEnd,
        };
        out.send(&call.peer, &message);
        let ending =
            if call.phase == CallPhase::Incoming { Ending::Declined } else { Ending::HungUp };
        self.end(None, ending)
    }

    /// Mutes or unmutes the microphone.
    pub fn toggle_mute(&self, out: &dyn PeerOutlet) {
        let muted = self.switch(|switches| &mut switches.muted, out);
        self.media.set_muted(muted);
    }

    /// Turns the camera off or on.
    pub fn toggle_camera(&self, out: &dyn PeerOutlet) {
        let off = self.switch(|switches| &mut switches.camera_off, out);
        self.media.set_camera_off(off);
    }

    /// Shows the screen instead of the camera, or goes back to the camera.
    pub fn toggle_screen(&self, out: &dyn PeerOutlet) -> MediaOrder {
        if self.state.call.with_untracked(|call| call.as_ref().is_some_and(|c| c.local.sharing)) {
            return self.stop_sharing(out);
        }
        Media::open_screen(&self.dispatch);
        None
    }

    /// The screen to share is open (or not).
    pub fn screen_opened(
        &self,
        screen: Result<MediaStreamTrack, String>,
        out: &dyn PeerOutlet,
    ) -> MediaOrder {
        let screen = match screen {
            Ok(screen) => screen,
            Err(problem) => {
                self.state.notify(problem);
                return None;
            }
        };
        let Some(call) = self.state.call.get_untracked().filter(|c| c.phase == CallPhase::Active)
        else {
            screen.stop();
            return None;
        };
        let order = self.media.share(screen);
        self.update(|call| call.local.sharing = true);
        self.tell_switches(out);
        Some((call.peer, order))
    }

    /// Sharing stopped, from our button or the browser's.
    pub fn stop_sharing(&self, out: &dyn PeerOutlet) -> MediaOrder {
        let order = self.media.stop_sharing()?;
        let peer = self.state.call.with_untracked(|call| call.as_ref().map(|c| c.peer.clone()));
        self.update(|call| call.local.sharing = false);
        self.tell_switches(out);
        Some((peer?, order))
    }

    /// The peer's message about a call.
    pub fn on_message(&self, peer: &str, message: PeerMessage, out: &dyn PeerOutlet) -> MediaOrder {
        let call = self.state.call.get_untracked();
        let ours = call.as_ref().is_some_and(|call| call.peer == peer);
        match message {
            PeerMessage::Call { video } => {
                let kind = if video { CallKind::Video } else { CallKind::Voice };
                match call {
                    None if !self.state.in_room_call() => {
                        let notice = tf(K::IsCalling, &[("peer", peer)]);
                        let about = Some(peer.to_owned());
                        let notice = self.state.notices.try_update(|all| all.push(notice, about));
                        self.ring_notice.set(notice.flatten());
                        self.set(Some(Call::incoming(peer, kind, now_ms())));
                        // The caller gives up first and says so; this is in case it cannot.
                        self.check_unanswered(CALLEE_GRACE_MS);
                    }
                    Some(_) if ours => {
                        let step = self.update(|call| call.rang_by_peer(now_ms()));
                        self.follow(step, out);
                    }
                    // Busy in another call, or in the room's.
                    _ => {
                        out.send(peer, &PeerMessage::CallAnswer { accept: false });
                    }
                }
            }
            PeerMessage::CallAnswer { accept: true } if ours => {
                let step = self.update(|call| call.accepted_by_peer(now_ms()));
                self.follow(step, out);
            }
            PeerMessage::CallAnswer { accept: false } if ours => {
                return self.end(Some(tf(K::DeclinedTheCall, &[("peer", peer)])), Ending::Declined);
            }
            PeerMessage::CallEnd if ours => {
                let missed = call.is_some_and(|call| call.phase == CallPhase::Incoming);
                let why = tf(if missed { K::MissedCallFrom } else { K::HungUp }, &[("peer", peer)]);
                return self.end(Some(why), Ending::HungUp);
            }
            PeerMessage::CallState { muted, camera_off, sharing } if ours => {
                self.update(|call| call.remote = Switches { muted, camera_off, sharing });
            }
            _ => {}
        }
        None
    }

    /// A track arrived from `peer`.
    pub fn on_track(&self, peer: &str, track: &MediaStreamTrack) {
        if self.is_with(peer) {
            self.media.add_remote(track);
        }
    }

    /// The devices for the call with `peer` opened (or not).
    pub fn devices_opened(&self, peer: String, opened: Opened, out: &dyn PeerOutlet) -> MediaOrder {
        if !self.is_with(&peer) {
            // Hung up while the devices were opening.
            Media::discard(&opened);
            return None;
        }
        for problem in opened.problems {
            self.state.notify(problem);
        }
        let stream = opened.stream;
        let switches = match &stream {
            Some(stream) => self.media.opened(stream),
            None => Switches { muted: true, camera_off: true, sharing: false },
        };
        self.update(|call| call.local = switches);
        self.tell_switches(out);
        Some((peer, LinkMedia::Add(stream?)))
    }

    /// Ends the call if it is still unanswered after its time (and `grace_ms` more).
    pub fn ring_due(&self, grace_ms: f64, out: &dyn PeerOutlet) -> MediaOrder {
        let call = self.state.call.get_untracked()?;
        if !call.unanswered(now_ms() - grace_ms) {
            return None;
        }
        let why = if call.phase == CallPhase::Ringing {
            out.send(&call.peer, &PeerMessage::CallEnd);
            K::NoAnswerFrom
        } else {
            K::MissedCallFrom
        };
        let why = tf(why, &[("peer", &call.peer)]);
        self.end(Some(why), Ending::NoAnswer)
    }

    /// The connection to `peer` went away: so did any call with them.
    pub fn peer_gone(&self, peer: &str) -> MediaOrder {
        if !self.is_with(peer) {
            return None;
        }
        self.end(Some(tf(K::ConnectionLost, &[("peer", peer)])), Ending::HungUp)
    }

    /// Stops every local track and forgets the call, which leaves a line in the
    /// conversation; `why` is told to the user, beside the peer's avatar.
    fn end(&self, why: Option<String>, ending: Ending) -> MediaOrder {
        self.media.stop();
        let call = self.state.call.get_untracked()?;
        self.set(None);
        if let Some(why) = why {
            self.state.notify_about(Some(call.peer.as_str()), why);
        }
        let line = call.line(ending, now_ms(), lang());
        let missed = call.missed(ending).then_some(call.kind);
        Some((call.peer, LinkMedia::End(line, missed)))
    }

    fn set(&self, call: Option<Call>) {
        self.state.call.set(call);
        self.ring();
    }

    /// Rings while the call rings, as caller or callee, and takes the incoming call's
    /// notice away once it no longer rings.
    fn ring(&self) {
        let phase = self.state.call.with_untracked(|call| call.as_ref().map(|c| c.phase));
        if phase != Some(CallPhase::Incoming) {
            if let Some(id) = self.ring_notice.take() {
                self.state.notices.update(|all| all.remove(id));
            }
        }
        let mut tone = self.tone.borrow_mut();
        if tone.as_ref().map(|(playing, _)| *playing) == phase {
            return;
        }
        // Dropping the old tone stops it.
        *tone = phase.and_then(|phase| {
            let seconds = (RING_TIMEOUT_MS + CALLEE_GRACE_MS) / 1000.0;
            Some((phase, RingTone::play(phase.tone()?, seconds)?))
        });
    }

    fn check_unanswered(&self, grace_ms: f64) {
        let delay = Duration::from_millis((RING_TIMEOUT_MS + grace_ms) as u64);
        self.dispatch.later(Event::RingDue { grace_ms }, delay);
    }

    fn follow(&self, step: CallStep, out: &dyn PeerOutlet) {
        let Some(call) = self.state.call.get_untracked() else { return };
        if step == CallStep::AcceptAndStartMedia {
            out.send(&call.peer, &PeerMessage::CallAnswer { accept: true });
        }
        if step != CallStep::Nothing {
            let peer = call.peer;
            Media::open(call.kind, &self.dispatch, |opened| Event::DevicesOpened { peer, opened });
        }
    }

    /// Flips one of our switches, tells the peer, and returns its new value.
    fn switch(&self, which: fn(&mut Switches) -> &mut bool, out: &dyn PeerOutlet) -> bool {
        let value = self.update(|call| {
            let switch = which(&mut call.local);
            *switch = !*switch;
            *switch
        });
        self.tell_switches(out);
        value
    }

    fn tell_switches(&self, out: &dyn PeerOutlet) {
        let Some(call) = self.state.call.get_untracked() else { return };
        let Switches { muted, camera_off, sharing } = call.local;
        out.send(&call.peer, &PeerMessage::CallState { muted, camera_off, sharing });
    }

    fn is_with(&self, peer: &str) -> bool {
        self.state.call.with_untracked(|call| call.as_ref().is_some_and(|c| c.peer == peer))
    }

    fn update<R: Default>(&self, change: impl FnOnce(&mut Call) -> R) -> R {
        let result = self.state.call.try_update(|call| call.as_mut().map(change)).flatten();
        self.ring();
        result.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
