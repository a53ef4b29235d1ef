//! The room calls part: the call everyone in the room may join and leave while it goes on
//! (docs/protocol.md, 7.8, "Calls with everyone in the room"). Each member says for
//! itself that it is in (`roomCallJoin`) or out (`roomCallLeave`); the media of each pair
//! goes on their own connection, as a 1:1 call's does once answered, through the calls
//! part's [`Media`].

use super::calls::{with_track, LinkMedia, Media};
use super::events::{Dispatch, Event};
use super::outlet::PeerOutlet;
use crate::i18n::{lang, t, tf, K};
use crate::state::ChatState;
use crate::web::clock::now_ms;
use crate::web::devices::Opened;
use leptos::prelude::*;
use natter_model::call::{CallKind, Switches};
use natter_model::room_call::{MediaPlan, RoomCall, ROOM_CALL_LIMIT};
use natter_protocol::PeerMessage;
use web_sys::{MediaStream, MediaStreamTrack};

/// What the connections must do with our media, and the line a call that ended leaves in
/// the room's conversation.
#[derive(Default)]
pub struct RoomOrder {
    /// Whom our tracks start and stop going to.
    pub plan: MediaPlan,
    /// Our tracks, for `plan.start`.
    pub stream: Option<MediaStream>,
    /// The call is over: its line.
    pub line: Option<String>,
    /// The screen we share, sent instead of the camera to those our media starts going to.
    pub screen: Option<MediaStreamTrack>,
    /// What to send as our video to everyone our media goes to (sharing starts or stops).
    pub video: Option<(Vec<String>, LinkMedia)>,
}

/// The room's call, as this member takes part in it.
pub struct RoomCalls {
    state: ChatState,
    dispatch: Dispatch,
    media: Media,
}

impl RoomCalls {
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        RoomCalls { state, dispatch, media: Media::new(state) }
    }

    /// Starts a call of `kind` with everyone `present` (those whose apps take room calls
    /// hear of it; the others are left out), or joins the one that runs.
    pub fn start(&self, kind: CallKind, present: &[String], out: &dyn PeerOutlet) {
        let Some(me) = self.state.me() else { return };
        if self.call().is_none() && self.free() {
            self.state.room_call.set(Some(RoomCall::start(&me, kind, now_ms())));
            self.opened_to(present, out);
        } else {
            self.join(present, out);
        }
    }

    /// Joins the call that runs, unless it is full or another call is under way.
    pub fn join(&self, present: &[String], out: &dyn PeerOutlet) {
        let Some(me) = self.state.me() else { return };
        if !self.free() {
            return;
        }
        let mut call = self.call();
        if call.as_mut().is_some_and(|call| call.join(&me)) {
            self.state.room_call.set(call);
            self.opened_to(present, out);
        } else {
            self.state.notify(tf(K::CallFull, &[("limit", &ROOM_CALL_LIMIT.to_string())]));
        }
    }

    /// Leaves the call (it goes on for the others), telling everyone who knows of it.
    pub fn leave(&self, present: &[String], out: &dyn PeerOutlet) -> RoomOrder {
        if !self.state.in_room_call() {
            return RoomOrder::default();
        }
        for peer in present {
            self.tell(peer, &PeerMessage::RoomCallLeave, out);
        }
        self.media.stop();
        self.state.room_streams.set(Default::default());
        self.update(&mut |call| call.leave())
    }

    /// A room call message from `peer`.
    pub fn on_message(&self, peer: &str, message: PeerMessage, out: &dyn PeerOutlet) -> RoomOrder {
        match message {
            PeerMessage::RoomCallJoin { video, by } => {
                let kind = if video { CallKind::Video } else { CallKind::Voice };
                if self.call().is_none() {
                    self.state.room_call.set(Some(RoomCall::heard_of(&by, kind, now_ms())));
                }
                // A newcomer to the call hears what we have switched off.
                if !self.is_member(peer) {
                    self.tell_switches(&[peer.to_owned()], out);
                }
                self.update(&mut |call| {
                    call.member_joined(peer);
                })
            }
            PeerMessage::RoomCallLeave => self.gone(peer),
            PeerMessage::CallState { muted, camera_off, sharing } => {
                let switches = Switches { muted, camera_off, sharing };
                self.update(&mut |call| {
                    call.set_switches(peer, switches);
                    // Without devices it sends nothing: no tracks of theirs to wait for.
                    if muted && camera_off {
                        call.heard_from(peer);
                    }
                })
            }
            _ => RoomOrder::default(),
        }
    }

    /// Whether `message` from `peer` is this part's (a `callState` is, from a member).
    pub fn owns(&self, peer: &str, message: &PeerMessage) -> bool {
        match message {
            PeerMessage::RoomCallJoin { .. } | PeerMessage::RoomCallLeave => true,
            PeerMessage::CallState { .. } => self.is_member(peer),
            _ => false,
        }
    }

    /// `peer`'s `hello` came: if we are in the call, it learns so (a member who arrives
    /// while a call runs hears of it from each one in it).
    pub fn hello(&self, peer: &str, out: &dyn PeerOutlet) {
        if self.state.in_room_call() {
            self.tell(peer, &self.joined_message(), out);
        }
    }

    /// The connection to `peer` went away, and with it its part in the call.
    pub fn peer_gone(&self, peer: &str) -> RoomOrder {
        self.gone(peer)
    }

    /// A track arrived from `peer`, for its tile (a 1:1 call's tracks are not ours); ours
    /// may go to it now.
    pub fn on_track(&self, peer: &str, track: &MediaStreamTrack) -> RoomOrder {
        let theirs = self.state.call.with_untracked(|c| c.as_ref().is_some_and(|c| c.peer == peer));
        if !self.state.in_room_call() || theirs {
            return RoomOrder::default();
        }
        let mut all = self.state.room_streams.get_untracked();
        if let Some(stream) = with_track(all.remove(peer), track) {
            all.insert(peer, stream);
        }
        self.state.room_streams.set(all);
        self.update(&mut |call| call.heard_from(peer))
    }

    /// Our devices opened (or not): what they give goes to every other member.
    pub fn devices_opened(&self, opened: Opened, out: &dyn PeerOutlet) -> RoomOrder {
        if !self.state.in_room_call() {
            // Left while the devices were opening.
            Media::discard(&opened);
            return RoomOrder::default();
        }
        for problem in opened.problems {
            self.state.notify(problem);
        }
        let switches = match &opened.stream {
            Some(stream) => self.media.opened(stream),
            None => Switches { muted: true, camera_off: true, sharing: false },
        };
        let order = self.update(&mut |call| call.joined = Some(switches));
        self.tell_switches(&self.members(), out);
        order
    }

    /// Shows the screen instead of the camera to everyone in the call, or goes back.
    pub fn toggle_screen(&self, out: &dyn PeerOutlet) -> RoomOrder {
        match self.call().and_then(|call| call.joined).is_some_and(|s| s.sharing) {
            true => self.stop_sharing(out),
            false => {
                Media::open_screen(&self.dispatch);
                RoomOrder::default()
            }
        }
    }

    /// The screen to share is open (or not): it goes to everyone our media goes to.
    pub fn screen_opened(&self, screen: MediaStreamTrack, out: &dyn PeerOutlet) -> RoomOrder {
        let video = self.media.share(screen);
        self.sharing(true, video, out)
    }

    /// Sharing stopped, from our button or the browser's: the camera goes back.
    pub fn stop_sharing(&self, out: &dyn PeerOutlet) -> RoomOrder {
        match self.media.stop_sharing() {
            Some(video) => self.sharing(false, video, out),
            None => RoomOrder::default(),
        }
    }

    fn sharing(&self, on: bool, video: LinkMedia, out: &dyn PeerOutlet) -> RoomOrder {
        let mut order = self.update(&mut |call| {
            if let Some(switches) = call.joined.as_mut() {
                switches.sharing = on;
            }
        });
        self.tell_switches(&self.members(), out);
        order.video = self.call().map(|call| (call.sending().to_vec(), video));
        order
    }

    /// Mutes or unmutes the microphone, and tells the others.
    pub fn toggle_mute(&self, out: &dyn PeerOutlet) {
        let muted = self.switch(|switches| &mut switches.muted, out);
        self.media.set_muted(muted);
    }

    /// Turns the camera off or on, and tells the others.
    pub fn toggle_camera(&self, out: &dyn PeerOutlet) {
        let off = self.switch(|switches| &mut switches.camera_off, out);
        self.media.set_camera_off(off);
    }

    /// Whether neither a 1:1 call nor ours is under way; says so if one is.
    fn free(&self) -> bool {
        let busy = self.state.call.with_untracked(Option::is_some) || self.state.in_room_call();
        if busy {
            self.state.notify(t(K::HangUpFirst));
        }
        !busy
    }

    /// We are in: everyone `present` whose app takes room calls hears so (the others when
    /// their `hello` comes), and our devices open.
    fn opened_to(&self, present: &[String], out: &dyn PeerOutlet) {
        let message = self.joined_message();
        for peer in present {
            self.tell(peer, &message, out);
        }
        let Some(kind) = self.call().map(|call| call.kind) else { return };
        Media::open(kind, &self.dispatch, Event::RoomDevicesOpened);
    }

    fn joined_message(&self) -> PeerMessage {
        let call = self.call();
        PeerMessage::RoomCallJoin {
            video: call.as_ref().is_some_and(|c| c.kind == CallKind::Video),
            by: call.map(|c| c.started_by).unwrap_or_default(),
        }
    }

    /// Sends `message` to `peer` if its app takes room calls.
    fn tell(&self, peer: &str, message: &PeerMessage, out: &dyn PeerOutlet) {
        if out.app(peer).hears(|features| features.room_calls) {
            out.send(peer, message);
        }
    }

    /// `peer` is out of the call: its tile goes.
    fn gone(&self, peer: &str) -> RoomOrder {
        let mut all = self.state.room_streams.get_untracked();
        if all.remove(peer).is_some() {
            self.state.room_streams.set(all);
        }
        self.update(&mut |call| {
            call.member_left(peer);
        })
    }

    /// Flips one of our switches, tells the others, and returns its new value.
    fn switch(&self, which: fn(&mut Switches) -> &mut bool, out: &dyn PeerOutlet) -> bool {
        let mut value = false;
        self.update(&mut |call| {
            if let Some(switches) = call.joined.as_mut() {
                let switch = which(switches);
                *switch = !*switch;
                value = *switch;
            }
        });
        self.tell_switches(&self.members(), out);
        value
    }

    fn tell_switches(&self, peers: &[String], out: &dyn PeerOutlet) {
        let joined = self.call().and_then(|call| call.joined);
        let Some(Switches { muted, camera_off, sharing }) = joined else { return };
        for peer in peers {
            out.send(peer, &PeerMessage::CallState { muted, camera_off, sharing });
        }
    }

    fn members(&self) -> Vec<String> {
        let members = self.call().map(|call| call.members).unwrap_or_default();
        members.into_iter().map(|member| member.name).collect()
    }

    fn is_member(&self, peer: &str) -> bool {
        self.call().is_some_and(|call| call.is(peer))
    }

    /// The call as it stands. (Read whole, and written whole by [`Self::update`]: each
    /// closure given to a signal's `with` or `update` would be code of its own.)
    fn call(&self) -> Option<RoomCall> {
        self.state.room_call.get_untracked()
    }

    /// Changes the call, then says whom our media must now go to, and ends the call if
    /// nobody is left in it.
    fn update(&self, change: &mut dyn FnMut(&mut RoomCall)) -> RoomOrder {
        let stream = self.state.local_stream.get_untracked();
        let mut order = RoomOrder::default();
        let Some(mut call) = self.call() else { return order };
        change(&mut call);
        order.plan = call.plan_media(&self.state.me().unwrap_or_default(), stream.is_some());
        order.stream = stream;
        order.screen = self.media.screen();
        if call.is_over() {
            order.line = Some(call.line(now_ms(), lang()));
            self.state.room_call.set(None);
        } else {
            self.state.room_call.set(Some(call));
        }
        order
    }
}
