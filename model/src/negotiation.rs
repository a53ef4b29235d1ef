//! The decisions of "perfect negotiation" (W3C WebRTC §10.7), apart from the browser objects,
//! so both sides may offer at the same moment without breaking the connection.

/// What to do with a description that came from the remote peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Apply it (a polite peer's colliding local offer is rolled back implicitly).
    Apply,
    /// Drop it: we are impolite and our own offer wins the collision.
    Ignore,
}

/// Which side of a pair `local` is when talking to `remote`: a rule both sides derive alike.
pub fn is_polite(local: &str, remote: &str) -> bool {
    local < remote
}

/// Which connection an SDP belongs to: its `o=` line's user name and session id, the same
/// in every offer and answer of one `RTCPeerConnection` and new with each (RFC 8829
/// §5.2.1; only the version after them changes).
pub fn session_of(sdp: &str) -> Option<String> {
    let origin = sdp.lines().find_map(|line| line.strip_prefix("o="))?;
    let mut fields = origin.split_ascii_whitespace();
    Some(format!("{} {}", fields.next()?, fields.next()?))
}

/// Negotiation state of one peer connection; `C` is a queued ICE candidate.
#[derive(Debug)]
pub struct Negotiation<C> {
    polite: bool,
    making_offer: bool,
    setting_remote_answer: bool,
    remote_described: bool,
    queued: Vec<C>,
    /// The remote connection the descriptions so far came from (see [`session_of`]).
    remote_session: Option<String>,
}

impl<C> Negotiation<C> {
    /// `polite` peers yield on collisions; exactly one side of a pair must be polite.
    pub fn new(polite: bool) -> Self {
        Negotiation {
            polite,
            making_offer: false,
            setting_remote_answer: false,
            remote_described: false,
            queued: Vec::new(),
            remote_session: None,
        }
    }

    /// Between starting and sending a local offer.
    pub fn set_making_offer(&mut self, making: bool) {
        self.making_offer = making;
    }

    /// Judges an incoming description; `stable` is whether the connection's signaling
    /// state is `stable`.
    pub fn receive_description(&mut self, is_offer: bool, stable: bool) -> Verdict {
        let ready_for_offer = !self.making_offer && (stable || self.setting_remote_answer);
        let collision = is_offer && !ready_for_offer;
        if !self.polite && collision {
            return Verdict::Ignore;
        }
        self.setting_remote_answer = !is_offer;
        Verdict::Apply
    }

    /// A remote description's SDP arrived: the first one tells which remote connection
    /// this one talks to.
    pub fn note_session(&mut self, sdp: &str) {
        if self.remote_session.is_none() {
            self.remote_session = session_of(sdp);
        }
    }

    /// Whether `sdp` comes from another remote connection than the descriptions before
    /// it: the peer's page was replaced (reloaded), and this connection is of no use.
    pub fn is_other_session(&self, sdp: &str) -> bool {
        let known = self.remote_session.as_deref();
        known.is_some() && session_of(sdp).as_deref() != known
    }

    /// The remote description is applied: candidates may now be added. Returns those
    /// that arrived before it, in order.
    pub fn remote_description_applied(&mut self) -> Vec<C> {
        self.setting_remote_answer = false;
        self.remote_described = true;
        std::mem::take(&mut self.queued)
    }

    /// An incoming candidate: returned if it can be added now, else queued until the
    /// remote description is applied.
    pub fn receive_candidate(&mut self, candidate: C) -> Option<C> {
        if self.remote_described {
            Some(candidate)
        } else {
            self.queued.push(candidate);
            None
        }
    }
}
