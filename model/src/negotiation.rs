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

/// Negotiation state of one peer connection; `C` is a queued ICE candidate.
#[derive(Debug)]
pub struct Negotiation<C> {
    polite: bool,
    making_offer: bool,
    setting_remote_answer: bool,
    remote_described: bool,
    queued: Vec<C>,
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
