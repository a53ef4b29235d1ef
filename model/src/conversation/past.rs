//! The room's recent lines passed on to a newcomer: kept with their authors' signatures,
//! de-duplicated by id, shown as relayed and unverified until a signature checks out
//! against the key the author gave over its own link (docs/protocol.md, 7.10).

use super::edit::may_change;
use super::{Conversation, Message};
use crate::proof::MAX_PAST_LINES;
use natter_protocol::{ChatLine, MAX_TEXT_CHARS};

/// Whose words a line is shown as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Proof {
    /// Its author's: ours, from the author's own link, or relayed with a signature that
    /// checked out against the author's key.
    #[default]
    Authentic,
    /// Relayed by this member; its signature is being checked.
    Checking(String),
    /// Relayed by this member, and not verified: no key from its author, or a signature
    /// that does not match.
    Unverified(String),
}

impl Proof {
    /// The member who relayed a line not shown as its author's.
    pub fn relayer(&self) -> Option<&str> {
        match self {
            Proof::Authentic => None,
            Proof::Checking(by) | Proof::Unverified(by) => Some(by),
        }
    }

    /// How a line not shown as its author's is marked (`data-proof`): `checking` or
    /// `unverified`.
    pub fn mark(&self) -> Option<&'static str> {
        match self {
            Proof::Authentic => None,
            Proof::Checking(_) => Some("checking"),
            Proof::Unverified(_) => Some("unverified"),
        }
    }
}

impl Conversation {
    /// Keeps `sig`, the author's signature, on our line or a received line `id`.
    pub fn signed(&mut self, id: &str, sig: String) {
        if let Some(message) = self.messages.iter_mut().rev().find(|m| m.id == id) {
            message.sig = Some(sig);
            self.changes.save(message.seq);
        }
    }

    /// The signature kept with line `id`.
    pub fn sig(&self, id: &str) -> Option<String> {
        self.messages.iter().rev().find(|m| m.id == id).and_then(|m| m.sig.clone())
    }

    /// The lines to pass on to a newcomer, oldest first: the newest [`MAX_PAST_LINES`] that
    /// carry a signature (a line without one could never be checked), with it; edited and
    /// deleted ones only to an app that takes `edits` (any other would show them as said).
    pub fn past(&self, edits: bool) -> Vec<(ChatLine, String)> {
        let told = |m: &&Message| edits || m.edited.is_none();
        let signed = self
            .messages
            .iter()
            .rev()
            .filter(told)
            .filter_map(|m| Some((m.line(), m.sig.clone()?)));
        let mut past: Vec<_> = signed.take(MAX_PAST_LINES).collect();
        past.reverse();
        past
    }

    /// Whether any line could be passed on to a newcomer.
    pub fn has_past(&self) -> bool {
        self.messages.iter().any(|m| m.sig.is_some())
    }

    /// A line `relayer` passed on, signed `sig`; `with_key`: the author's key is known, so
    /// its signature can be checked. Kept as relayed (checking, or unverified without a
    /// key), not counted as unread: it is history, not news. Returns whether to check this
    /// copy: a copy of a line not shown as its author's may be the genuine one.
    pub fn receive_past(
        &mut self,
        relayer: &str,
        line: ChatLine,
        sig: String,
        with_key: bool,
    ) -> bool {
        let Some(id) = line.id else { return false };
        if line.message.chars().count() > MAX_TEXT_CHARS {
            return false;
        }
        if let Some(kept) = self.messages.iter().rev().find(|m| m.id == id) {
            // A newer edit of a line shown as its author's is checked too.
            return with_key && (kept.proof != Proof::Authentic || line.edited > kept.edited);
        }
        self.keep(id, line.name, line.message, line.time, false, false);
        self.edited(line.edited);
        let message = self.messages.last_mut().expect("just kept");
        message.sig = Some(sig);
        let relayer = relayer.to_owned();
        message.proof =
            if with_key { Proof::Checking(relayer) } else { Proof::Unverified(relayer) };
        with_key
    }

    /// A copy of `line` (signed `sig`, relayed by `relayer`) was checked: a `good` one is
    /// its author's, and shows in its words as theirs; a bad one leaves the line relayed
    /// and unverified. A line already shown as its author's changes only by its author's
    /// newer edit ([`may_change`]): a forged one changes nothing.
    pub fn past_checked(&mut self, relayer: &str, line: ChatLine, sig: String, good: bool) {
        let Some(id) = line.id.as_deref() else { return };
        let Some(at) = self.messages.iter().rposition(|m| m.id == id) else { return };
        let message = &mut self.messages[at];
        if message.proof == Proof::Authentic {
            if good && !message.outgoing && may_change(message, &line.name, &line) {
                self.apply(at, line, Some(sig));
            }
        } else if good {
            message.from = line.name.clone();
            self.apply(at, line, Some(sig));
        } else if message.proof == Proof::Checking(relayer.to_owned()) {
            message.proof = Proof::Unverified(relayer.to_owned());
            self.changes.save(message.seq);
        }
    }

    /// The relayed lines by `author` not shown as theirs, each with its signature and who
    /// relayed it: to check once the author's key arrives.
    pub fn unverified_of(&self, author: &str) -> Vec<(ChatLine, String, String)> {
        let relayed = |m: &Message| -> Option<_> {
            let by = m.proof.relayer().filter(|_| m.from == author)?.to_owned();
            Some((m.line(), m.sig.clone()?, by))
        };
        self.messages.iter().filter_map(relayed).collect()
    }
}
