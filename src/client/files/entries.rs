//! The transfer entries: finding one by peer and id, ending it, and letting go of its
//! browser objects.

use super::Files;
use crate::client::outlet::PeerOutlet;
use crate::state::TransferEntry;
use crate::web::drop_later;
use crate::web::file_data;
use crate::web::file_job::FileJob;
use leptos::prelude::*;
use natter_model::transfer::{Transfer, TransferPhase};
use natter_protocol::PeerMessage;

/// Most offers from one peer kept in the list, not counting files received: a peer
/// flooding us with offers cannot grow the page without bound.
const MAX_OFFERS_KEPT: usize = 256;

impl Files {
    /// Removes an ended transfer from the list, freeing the received file.
    pub fn dismiss(&self, peer: &str, id: &str) {
        let over =
            self.entry(peer, id).is_some_and(|e| e.view.with_untracked(|t| t.phase.is_over()));
        if over {
            self.remove(peer, id);
        }
    }

    /// The connection to `peer` is gone, `closed` by its page (a reload, most likely) or
    /// broken: every transfer with them waits for it to come back, or fails.
    pub fn peer_gone(&self, peer: &str, closed: bool) {
        let ids: Vec<String> = self.state.transfers.with_untracked(|all| {
            all.iter()
                .filter_map(|entry| {
                    entry.view.with_untracked(|t| {
                        (t.peer == peer && !t.phase.is_over()).then(|| t.id.clone())
                    })
                })
                .collect()
        });
        for id in ids {
            self.pause_or_fail(peer, &id, closed);
        }
    }

    /// The channel of file `id` closed a while ago and nothing explained why (unless a
    /// later channel took its place since).
    pub fn closed_due(&self, peer: &str, id: &str) {
        let closed = self.job(peer, id, |job| job.channel.as_ref().is_some_and(|c| c.is_closed()));
        if closed == Some(true) {
            self.lost(peer, id);
        }
    }

    /// The peer broke the protocol: the transfer fails and the peer is told.
    pub(super) fn fail_bad_input(&self, peer: &str, id: &str, why: String, out: &dyn PeerOutlet) {
        out.send(peer, &PeerMessage::FileCancel { id: id.to_owned() });
        self.end(peer, id, TransferPhase::Failed, why);
    }

    /// Ends a transfer that is still going and lets go of its browser objects and of what
    /// the device kept of it.
    pub(super) fn end(&self, peer: &str, id: &str, phase: TransferPhase, note: String) {
        if self.view(peer, id, |t| t.end(phase, note)) == Some(true) {
            self.forget_job(peer, id);
            self.forget_kept(peer, id);
        }
    }

    /// Lets go of the browser objects of a transfer that ended.
    pub(super) fn forget_job(&self, peer: &str, id: &str) {
        let Some(entry) = self.entry(peer, id) else { return };
        let job = std::mem::take(&mut *entry.job.borrow_mut());
        // Only the sender closes a file channel (the receiver's close could overtake the
        // cancel or digest on the chat channel), unless the sender broke the protocol.
        let (outgoing, failed) =
            entry.view.with_untracked(|t| (t.outgoing, t.phase == TransferPhase::Failed));
        if let (Some(channel), true) = (&job.channel, outgoing || failed) {
            channel.close();
        }
        // Its listeners may be running this very call.
        drop_later(job);
    }

    /// Whether one more offer from `peer` may be listed: below [`MAX_OFFERS_KEPT`], or
    /// once the oldest of them that ended without a file is dropped.
    pub(super) fn room_for_offer(&self, peer: &str) -> bool {
        let kept = |t: &Transfer| t.peer == peer && !t.outgoing && t.url.is_none();
        let (count, oldest_ended) = self.state.transfers.with_untracked(|all| {
            let mut kept_ones = all.iter().filter(|e| e.view.with_untracked(kept));
            let count = kept_ones.clone().count();
            let oldest_ended = kept_ones
                .find(|e| e.view.with_untracked(|t| t.phase.is_over()))
                .map(|e| e.view.with_untracked(|t| t.id.clone()));
            (count, oldest_ended)
        });
        if count < MAX_OFFERS_KEPT {
            return true;
        }
        let Some(id) = oldest_ended else { return false };
        self.remove(peer, &id);
        true
    }

    /// The transfer `id` with `peer`.
    pub(super) fn entry(&self, peer: &str, id: &str) -> Option<TransferEntry> {
        self.state.transfers.with_untracked(|all| all.iter().find(|e| e.is(peer, id)).cloned())
    }

    /// Reads or changes what is shown of a transfer (and redraws it if changed).
    pub(super) fn view<R>(
        &self,
        peer: &str,
        id: &str,
        act: impl FnOnce(&mut Transfer) -> R,
    ) -> Option<R> {
        let entry = self.entry(peer, id)?;
        let mut result = None;
        entry.view.update(|t| result = Some(act(t)));
        result
    }

    /// Works with the browser objects of a transfer.
    pub(super) fn job<R>(
        &self,
        peer: &str,
        id: &str,
        act: impl FnOnce(&mut FileJob) -> R,
    ) -> Option<R> {
        let entry = self.entry(peer, id)?;
        let mut job = entry.job.borrow_mut();
        Some(act(&mut job))
    }

    /// The phase of a transfer in the given direction.
    pub(super) fn phase(&self, peer: &str, id: &str, outgoing: bool) -> Option<TransferPhase> {
        let entry = self.entry(peer, id)?;
        entry.view.with_untracked(|t| (t.outgoing == outgoing).then_some(t.phase))
    }

    fn remove(&self, peer: &str, id: &str) {
        self.state.transfers.update(|all| {
            all.retain(|entry| {
                let gone = entry.is(peer, id);
                if let (true, Some(url)) = (gone, entry.view.with_untracked(|t| t.url.clone())) {
                    file_data::revoke(&url);
                }
                !gone
            })
        });
    }
}
