//! The life of a call with one peer, apart from the browser objects: who rang, who
//! answered, who hung up, and what each side has switched off.

use crate::i18n::{Lang, K};

/// Voice only, or voice and camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// Microphone only.
    Voice,
    /// Microphone and camera.
    Video,
}

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallPhase {
    /// We rang; waiting for an answer.
    Ringing,
    /// They rang; waiting for us.
    Incoming,
    /// Both sides are in.
    Active,
}

/// What one side has switched off or on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Switches {
    /// Microphone muted.
    pub muted: bool,
    /// Camera off (or no camera).
    pub camera_off: bool,
    /// Showing the screen instead of the camera.
    pub sharing: bool,
}

/// A call with `peer`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The other side.
    pub peer: String,
    /// What was asked for.
    pub kind: CallKind,
    /// Where it stands.
    pub phase: CallPhase,
    /// Our switches.
    pub local: Switches,
    /// Theirs, as they last told us.
    pub remote: Switches,
    /// When the ring started (`Date.now()` milliseconds).
    pub rang_ms: f64,
    /// When it became active.
    pub since_ms: Option<f64>,
}

/// How long a ring waits for an answer.
pub const RING_TIMEOUT_MS: f64 = 45_000.0;

/// What the owner must do after a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallStep {
    /// Nothing.
    #[default]
    Nothing,
    /// Open the devices and add their tracks: the call is active.
    StartMedia,
    /// Tell the peer we accept (and start media).
    AcceptAndStartMedia,
}

impl Call {
    /// We ring `peer` at `now_ms`.
    pub fn ring(peer: &str, kind: CallKind, now_ms: f64) -> Self {
        Call::new(peer, kind, CallPhase::Ringing, now_ms)
    }

    /// `peer` rings us at `now_ms`.
    pub fn incoming(peer: &str, kind: CallKind, now_ms: f64) -> Self {
        Call::new(peer, kind, CallPhase::Incoming, now_ms)
    }

    fn new(peer: &str, kind: CallKind, phase: CallPhase, now_ms: f64) -> Self {
        Call {
            peer: peer.to_owned(),
            kind,
            phase,
            local: Switches::default(),
            remote: Switches::default(),
            rang_ms: now_ms,
            since_ms: None,
        }
    }

    /// Whether the ring has gone unanswered for [`RING_TIMEOUT_MS`] by `now_ms`.
    pub fn unanswered(&self, now_ms: f64) -> bool {
        self.phase != CallPhase::Active && now_ms - self.rang_ms >= RING_TIMEOUT_MS
    }

    /// The peer rang while this call exists. Both ringing each other at once is one call
    /// both want: each side takes the other's ring as the answer.
    pub fn rang_by_peer(&mut self, now_ms: f64) -> CallStep {
        match self.phase {
            CallPhase::Ringing => {
                self.activate(now_ms);
                CallStep::AcceptAndStartMedia
            }
            CallPhase::Incoming | CallPhase::Active => CallStep::Nothing,
        }
    }

    /// We accept an incoming call.
    pub fn accept(&mut self, now_ms: f64) -> CallStep {
        match self.phase {
            CallPhase::Incoming => {
                self.activate(now_ms);
                CallStep::AcceptAndStartMedia
            }
            _ => CallStep::Nothing,
        }
    }

    /// The peer accepted our ring (or both rang at once and theirs came second).
    pub fn accepted_by_peer(&mut self, now_ms: f64) -> CallStep {
        match self.phase {
            CallPhase::Ringing => {
                self.activate(now_ms);
                CallStep::StartMedia
            }
            _ => CallStep::Nothing,
        }
    }

    fn activate(&mut self, now_ms: f64) {
        self.phase = CallPhase::Active;
        self.since_ms = Some(now_ms);
    }

    /// Whether the peer's tile (`theirs`) or ours has no video to show: a voice call, or
    /// the camera off, unless the screen is shared.
    pub fn video_off(&self, theirs: bool) -> bool {
        let switches = if theirs { self.remote } else { self.local };
        !switches.sharing && (self.kind == CallKind::Voice || switches.camera_off)
    }

    /// Whole seconds the call has lasted, for the timer.
    pub fn seconds(&self, now_ms: f64) -> u64 {
        self.since_ms.map_or(0, |since| ((now_ms - since).max(0.0) / 1000.0) as u64)
    }
}

/// How a call came to an end, as this side saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Someone hung up or cancelled the ring, or the connection went.
    HungUp,
    /// The callee declined (or was busy in another call).
    Declined,
    /// Nobody answered within [`RING_TIMEOUT_MS`].
    NoAnswer,
}

impl Call {
    /// Whether ending so, the call was one we missed: it rang here and nobody answered
    /// (declining it is not missing it).
    pub fn missed(&self, ending: Ending) -> bool {
        self.phase == CallPhase::Incoming && ending != Ending::Declined
    }

    /// The line the call leaves in the conversation when it ends at `now_ms`:
    /// "Video call · 3:12", "Missed voice call", "Voice call · No answer", ...
    /// In `lang`.
    pub fn line(&self, ending: Ending, now_ms: f64, lang: Lang) -> String {
        let video = self.kind == CallKind::Video;
        let pick = |voice, video_key| if video { video_key } else { voice };
        let outcome = match (self.phase, ending) {
            (CallPhase::Active, _) => &clock(self.seconds(now_ms)),
            (CallPhase::Incoming, Ending::Declined) => {
                return lang.get(pick(K::DeclinedVoiceCall, K::DeclinedVideoCall)).to_owned()
            }
            (CallPhase::Incoming, _) => {
                return lang.get(pick(K::MissedVoiceCall, K::MissedVideoCall)).to_owned()
            }
            (CallPhase::Ringing, Ending::Declined) => lang.get(K::CallDeclined),
            (CallPhase::Ringing, Ending::NoAnswer) => lang.get(K::NoAnswer),
            (CallPhase::Ringing, Ending::HungUp) => lang.get(K::CallCancelled),
        };
        lang.fill(pick(K::VoiceCallLine, K::VideoCallLine), &[("outcome", outcome)])
    }
}

/// One beep of a ring: `hz` for `seconds`, starting `at` seconds into the pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beep {
    /// Its pitch.
    pub hz: f32,
    /// When it starts within the pattern.
    pub at: f64,
    /// How long it sounds.
    pub seconds: f64,
}

/// The sound of a ring: its beeps, repeated every `period` seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tone {
    /// The length of one pattern, pause included.
    pub period: f64,
    /// The beeps of one pattern, in order.
    pub beeps: &'static [Beep],
}

const fn beep(hz: f32, at: f64, seconds: f64) -> Beep {
    Beep { hz, at, seconds }
}

/// The callee's ring: two soft tones, twice, then a pause.
pub const RING: Tone = Tone {
    period: 3.0,
    beeps: &[
        beep(660.0, 0.0, 0.18),
        beep(880.0, 0.2, 0.18),
        beep(660.0, 0.5, 0.18),
        beep(880.0, 0.7, 0.18),
    ],
};

/// The caller's ring-back: one long tone, then a pause (the European 425 Hz).
pub const RINGBACK: Tone = Tone { period: 5.0, beeps: &[beep(425.0, 0.0, 1.0)] };

impl CallPhase {
    /// What this side hears in this phase, if anything.
    pub fn tone(self) -> Option<Tone> {
        match self {
            CallPhase::Ringing => Some(RINGBACK),
            CallPhase::Incoming => Some(RING),
            CallPhase::Active => None,
        }
    }
}

impl Tone {
    /// How many whole patterns sound for at least `seconds`.
    pub fn patterns(&self, seconds: f64) -> u32 {
        (seconds / self.period).ceil() as u32
    }
}

/// `m:ss` (or `h:mm:ss`) for a duration in seconds.
pub fn clock(seconds: u64) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}
