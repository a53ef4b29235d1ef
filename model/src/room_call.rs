//! A call with everyone in the room, apart from the browser objects: who is in it, whether
//! we are, whom our media goes to, when it is full, and the line it leaves.
//!
//! Each member speaks only for itself (`roomCallJoin`, `roomCallLeave`): the call is the
//! set of those who said they are in it, and it is over once that set is empty.

use crate::call::{clock, CallKind, Switches};
use crate::i18n::{Lang, K};
use crate::peer_app::PeerApp;

/// Most people in a room call, us included. Each sends its media to every other over
/// their own connection: at six, a page sends five streams and decodes five.
pub const ROOM_CALL_LIMIT: usize = 6;

/// Someone else in the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Their name in the room.
    pub name: String,
    /// What they have switched off, as they last told us.
    pub switches: Switches,
}

/// The room's call, as this member sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomCall {
    /// With cameras, or voice only.
    pub kind: CallKind,
    /// Who started it.
    pub started_by: String,
    /// When this member first knew of it (`Date.now()` ms).
    pub since_ms: f64,
    /// The others in it now, in the order they came.
    pub members: Vec<Member>,
    /// Our switches while we are in it; `None` while we are not.
    pub joined: Option<Switches>,
    /// Everyone who took part while we knew of it, us included, in the order they came.
    pub took_part: Vec<String>,
    /// Those our media goes to now.
    sending: Vec<String>,
    /// Members whose media reached us (or who said they have none to send).
    heard: Vec<String>,
}

/// Whom our media must start and stop going to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaPlan {
    /// Add our tracks to these connections.
    pub start: Vec<String>,
    /// Take our tracks off these.
    pub stop: Vec<String>,
}

impl RoomCall {
    /// We start a call of `kind` at `now_ms`, and are in it.
    pub fn start(me: &str, kind: CallKind, now_ms: f64) -> Self {
        let mut call = RoomCall::heard_of(me, kind, now_ms);
        call.join(me);
        call
    }

    /// We hear of a call `by` started, which we are not in.
    pub fn heard_of(by: &str, kind: CallKind, now_ms: f64) -> Self {
        RoomCall {
            kind,
            started_by: by.to_owned(),
            since_ms: now_ms,
            members: Vec::new(),
            joined: None,
            took_part: Vec::new(),
            sending: Vec::new(),
            heard: Vec::new(),
        }
    }

    /// How many are in it now, us included.
    pub fn size(&self) -> usize {
        self.members.len() + usize::from(self.joined.is_some())
    }

    /// Whether we may not join: it has [`ROOM_CALL_LIMIT`] people already.
    pub fn is_full(&self) -> bool {
        self.joined.is_none() && self.size() >= ROOM_CALL_LIMIT
    }

    /// We join, unless the call is full; `false` if we cannot (or are in it already).
    pub fn join(&mut self, me: &str) -> bool {
        if self.joined.is_some() || self.is_full() {
            return false;
        }
        self.joined = Some(Switches::default());
        self.took_part(me);
        true
    }

    /// We leave (the call may go on without us; their media to us stops).
    pub fn leave(&mut self) {
        self.joined = None;
        self.heard.clear();
    }

    /// `peer` says it is in the call; `true` if that is news.
    pub fn member_joined(&mut self, peer: &str) -> bool {
        if self.is(peer) {
            return false;
        }
        self.members.push(Member { name: peer.to_owned(), switches: Switches::default() });
        self.took_part(peer);
        true
    }

    /// `peer` left the call, or its connection went; `true` if it was in it.
    pub fn member_left(&mut self, peer: &str) -> bool {
        let before = self.members.len();
        self.members.retain(|member| member.name != peer);
        self.heard.retain(|name| name != peer);
        before != self.members.len()
    }

    /// `peer`'s switches, if it is in the call.
    pub fn set_switches(&mut self, peer: &str, switches: Switches) {
        if let Some(member) = self.members.iter_mut().find(|member| member.name == peer) {
            member.switches = switches;
        }
    }

    /// Whether `peer` is in the call.
    pub fn is(&self, peer: &str) -> bool {
        self.members.iter().any(|member| member.name == peer)
    }

    /// Whether nobody is in it any more: the call is over.
    pub fn is_over(&self) -> bool {
        self.size() == 0
    }

    /// Those our media goes to now.
    pub fn sending(&self) -> &[String] {
        &self.sending
    }

    /// `peer`'s media reached us, or it said it has none to send.
    pub fn heard_from(&mut self, peer: &str) {
        if !self.heard.iter().any(|name| name == peer) {
            self.heard.push(peer.to_owned());
        }
    }

    /// Whom our media goes to from now on, we being `me`: while we are in the call and
    /// our devices are `open`, each other member, as a 1:1 call's media once answered.
    /// Of each pair, the impolite side (the greater name, docs/protocol.md 7.1) adds its
    /// tracks first, the polite one once those reached it: both at once would collide,
    /// and Chromium cannot roll back its offer of new tracks for Firefox's.
    pub fn plan_media(&mut self, me: &str, open: bool) -> MediaPlan {
        let first = |name: &str| me > name || self.heard.iter().any(|heard| heard == name);
        let wanted: Vec<String> = match (self.joined, open) {
            (Some(_), true) => {
                self.members.iter().map(|m| &m.name).filter(|n| first(n)).cloned().collect()
            }
            _ => Vec::new(),
        };
        let plan = MediaPlan {
            start: wanted.iter().filter(|name| !self.sending.contains(name)).cloned().collect(),
            stop: self.sending.iter().filter(|name| !wanted.contains(name)).cloned().collect(),
        };
        self.sending = wanted;
        plan
    }

    /// Whether the tile of `switches` has no video to show.
    pub fn video_off(&self, switches: Switches) -> bool {
        !switches.sharing && (self.kind == CallKind::Voice || switches.camera_off)
    }

    /// The line the call leaves in the room's conversation when it ends at `now_ms`:
    /// "Video call · 4:03 · alice, bob, carol". In `lang`.
    pub fn line(&self, now_ms: f64, lang: Lang) -> String {
        let seconds = ((now_ms - self.since_ms).max(0.0) / 1000.0) as u64;
        let people = self.took_part.join(lang.get(K::ListSeparator));
        let key =
            if self.kind == CallKind::Video { K::RoomVideoCallLine } else { K::RoomVoiceCallLine };
        lang.fill(key, &[("time", &clock(seconds)), ("people", &people)])
    }

    fn took_part(&mut self, name: &str) {
        if !self.took_part.iter().any(|took| took == name) {
            self.took_part.push(name.to_owned());
        }
    }
}

/// Whether a member with this app is left out of the room's calls: a classic client, or a
/// natter whose `hello` does not list them (one still checking may yet join).
pub fn left_out(app: PeerApp) -> bool {
    match app {
        PeerApp::Classic => true,
        PeerApp::Natter(Some(features)) => !features.room_calls,
        PeerApp::Unknown | PeerApp::Natter(None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_call(names: &[&str]) -> RoomCall {
        let mut call = RoomCall::start("me", CallKind::Video, 0.0);
        for name in names {
            call.member_joined(name);
        }
        call
    }

    #[test]
    fn a_call_runs_while_anyone_is_in_it() {
        let mut call = RoomCall::heard_of("alice", CallKind::Voice, 0.0);
        assert!(call.member_joined("alice"));
        assert!(!call.member_joined("alice"), "a second join is no news");
        assert!(call.join("me"));
        assert_eq!(call.size(), 2);
        call.leave();
        assert!(!call.is_over(), "alice is still in it");
        assert!(call.join("me"), "we may come back");
        assert!(call.member_left("alice"));
        assert!(!call.member_left("alice"));
        assert!(!call.is_over());
        call.leave();
        assert!(call.is_over());
        assert_eq!(call.took_part, ["alice", "me"]);
    }

    #[test]
    fn past_the_limit_nobody_else_joins() {
        let mut call = RoomCall::heard_of("a", CallKind::Video, 0.0);
        for name in ["a", "b", "c", "d", "e"] {
            call.member_joined(name);
        }
        assert!(!call.is_full());
        call.member_joined("f");
        assert!(call.is_full());
        assert!(!call.join("me"));
        assert_eq!(call.joined, None);
        call.member_left("c");
        assert!(call.join("me"));
        assert!(!call.is_full(), "we are in it: it is not full to us");
        assert_eq!(call.size(), ROOM_CALL_LIMIT);
    }

    #[test]
    fn media_goes_to_each_other_member_once_our_devices_are_open() {
        let mut call = in_call(&["alice", "bob"]);
        let me = "me";
        assert_eq!(call.plan_media(me, false), MediaPlan::default(), "nothing before the devices");
        let plan = call.plan_media(me, true);
        assert_eq!(plan.start, ["alice", "bob"]);
        assert_eq!(call.plan_media(me, true), MediaPlan::default(), "each once");
        call.member_joined("carol");
        call.member_left("alice");
        let plan = call.plan_media(me, true);
        assert_eq!((plan.start, plan.stop), (vec!["carol".into()], vec!["alice".into()]));
        // Bob left and came back (or his connection did): our media goes to him again.
        call.member_left("bob");
        assert_eq!(call.plan_media(me, true).stop, ["bob"]);
        call.member_joined("bob");
        assert_eq!(call.plan_media(me, true).start, ["bob"]);
        call.leave();
        let mut stopped = call.plan_media(me, true).stop;
        stopped.sort();
        assert_eq!(stopped, ["bob", "carol"]);
    }

    #[test]
    fn of_each_pair_the_greater_name_sends_first_the_other_once_it_is_heard() {
        let mut call = in_call(&["alice", "zoe"]);
        // "me" > "alice": ours goes first; "zoe" > "me": hers comes first.
        assert_eq!(call.plan_media("me", true).start, ["alice"]);
        call.heard_from("zoe");
        assert_eq!(call.plan_media("me", true).start, ["zoe"]);
        // Zoe leaves and comes back: we wait for her media again.
        call.member_left("zoe");
        call.member_joined("zoe");
        let plan = call.plan_media("me", true);
        assert_eq!((plan.start, plan.stop), (vec![], vec!["zoe".to_owned()]));
        call.heard_from("zoe");
        assert_eq!(call.plan_media("me", true).start, ["zoe"]);
        // We leave and come back: the same.
        call.leave();
        assert_eq!(call.plan_media("me", true).stop, ["alice", "zoe"]);
        call.join("me");
        assert_eq!(call.plan_media("me", true).start, ["alice"]);
    }

    #[test]
    fn a_member_not_in_the_call_sends_nothing() {
        let mut call = RoomCall::heard_of("alice", CallKind::Video, 0.0);
        call.member_joined("alice");
        assert_eq!(call.plan_media("me", true), MediaPlan::default());
    }

    #[test]
    fn classic_and_older_apps_are_left_out() {
        let mut older = PeerApp::Unknown;
        assert!(!left_out(older), "not known yet");
        older.hello(&["calls".into()]);
        assert!(left_out(older));
        assert!(left_out(PeerApp::Classic));
        let mut ours = PeerApp::Unknown;
        ours.hello(&crate::peer_app::OUR_FEATURES.map(String::from));
        assert!(!left_out(ours));
    }

    #[test]
    fn switches_and_video_per_tile() {
        let mut call = in_call(&["alice"]);
        let off = Switches { camera_off: true, ..Switches::default() };
        call.set_switches("alice", off);
        call.set_switches("nobody", off);
        assert_eq!(call.members[0].switches, off);
        assert!(call.video_off(off));
        assert!(!call.video_off(Switches { sharing: true, ..off }));
        call.kind = CallKind::Voice;
        assert!(call.video_off(Switches::default()));
    }

    #[test]
    fn the_line_says_how_long_and_who_took_part() {
        let mut call = RoomCall::heard_of("alice", CallKind::Video, 1_000.0);
        for name in ["alice", "bob"] {
            call.member_joined(name);
        }
        call.join("carol");
        call.member_left("bob");
        assert_eq!(call.line(244_000.0, Lang::En), "Video call · 4:03 · alice, bob, carol");
        call.kind = CallKind::Voice;
        assert_eq!(call.line(1_000.0, Lang::Zh), "语音通话 · 0:00 · alice、bob、carol");
    }
}
