//! The files part: offers, answers, cancels and digests over the chat channel; each
//! file's bytes on a data channel of its own, read slice by slice and paced by the
//! channel's send buffer. Every transfer is one entry, keyed by peer and id.

mod entries;
mod receive;
mod resume;
mod room;
mod send;

use super::events::{Dispatch, Event};
use super::outlet::PeerOutlet;
use crate::i18n::{lang, t, tf, K};
use crate::state::{ChatState, TransferEntry};
use crate::web::clock::now_ms;
use crate::web::file_channel::{FileChannel, FileEvent};
use crate::web::file_data;
use crate::web::file_job::FileJob;
use crate::web::kept_transfers::TransferStore;
use crate::web::page::random_id;
use leptos::prelude::*;
use natter_model::conversation::FileRef;
use natter_model::talk::Talk;
use natter_model::transfer::{Transfer, TransferPhase};
use natter_protocol::{file_id_of_label, PeerMessage};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use web_sys::{Blob, FileList, RtcDataChannel};

/// How long an unexpectedly closed channel waits for the peer's cancel or digest, which
/// travel on the chat channel and may come a little later.
const CLOSE_GRACE: Duration = Duration::from_millis(500);

/// What the files part heard from a peer, for the other parts.
pub enum FileNews {
    /// The peer offers a file named `.0`: it goes in the conversation's timeline.
    Offered(String, FileRef),
    /// The peer offers everyone in the room a file named `.0`: it goes in the room's
    /// timeline.
    OfferedToRoom(String, FileRef),
    /// The peer accepted our file `.0`: a channel for it must open.
    Accepted(String),
}

/// The file transfers with every peer.
pub struct Files {
    state: ChatState,
    dispatch: Dispatch,
    /// Where transfers under way are kept for a reload of this tab, once logged in.
    store: RefCell<Option<TransferStore>>,
}

impl Files {
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        Files { state, dispatch, store: RefCell::default() }
    }

    /// Offers every file in `files` to `peer`, telling `offered` each file's name and
    /// reference (for the conversation's timeline). An offer stands until it is answered or
    /// cancelled, or the link with the peer is gone.
    pub fn offer(
        &self,
        peer: &str,
        files: FileList,
        out: &dyn PeerOutlet,
        mut offered: impl FnMut(String, FileRef),
    ) {
        if let Err(why) = out.app(peer).files() {
            return self.state.notify(why.explain(lang(), peer, true));
        }
        for file in (0..files.length()).filter_map(|index| files.get(index)) {
            let id = random_id();
            let (name, size, mime) = (file.name(), file.size() as u64, file.type_());
            let offer = PeerMessage::FileOffer {
                id: id.clone(),
                name: name.clone(),
                size,
                mime: mime.clone(),
            };
            if !out.send(peer, &offer) {
                return self.state.notify(tf(K::NotConnectedYet, &[("peer", peer)]));
            }
            let job = FileJob { file: Some(file.into()), ..FileJob::default() };
            let file = FileRef { id: id.clone(), size, mime: mime.clone() };
            self.add(Transfer::offer(id.clone(), peer, name.clone(), size, mime), job);
            self.keep(peer, &id);
            offered(name, file);
        }
    }

    /// Takes the file `peer` offers.
    pub fn accept(&self, peer: &str, id: &str, out: &dyn PeerOutlet) {
        let started = self.view(peer, id, |t| !t.outgoing && t.start(now_ms()));
        if started != Some(true) {
            return;
        }
        if !out.send(peer, &PeerMessage::FileAnswer { id: id.to_owned(), accept: true, at: 0 }) {
            return self.lost(peer, id);
        }
        self.keep_coming(peer, id);
        // An empty file is complete as soon as its digest is known.
        self.verify_when_complete(peer, id);
    }

    /// Refuses the file `peer` offers.
    pub fn decline(&self, peer: &str, id: &str, out: &dyn PeerOutlet) {
        out.send(peer, &PeerMessage::FileAnswer { id: id.to_owned(), accept: false, at: 0 });
        self.end(peer, id, TransferPhase::Declined, t(K::FileDeclined).into());
    }

    /// Stops a transfer, ours or the peer's, offered or under way.
    pub fn cancel(&self, peer: &str, id: &str, out: &dyn PeerOutlet) {
        out.send(peer, &PeerMessage::FileCancel { id: id.to_owned() });
        self.end(peer, id, TransferPhase::Cancelled, t(K::FileCancelled).into());
    }

    /// The peer's message about a file, and what the other parts must hear of it.
    pub fn on_message(
        &self,
        peer: &str,
        message: PeerMessage,
        out: &dyn PeerOutlet,
    ) -> Option<FileNews> {
        let to_room = matches!(message, PeerMessage::RoomFileOffer { .. });
        match message {
            PeerMessage::FileOffer { id, name, size, mime }
            | PeerMessage::RoomFileOffer { id, name, size, mime } => {
                // An id seen before is the peer's offer made again once the link is back,
                // or a replay (ours, or ended): ignored.
                if id.is_empty() || self.entry(peer, &id).is_some() {
                    self.offered_again(peer, &id, out);
                    return None;
                }
                if !self.room_for_offer(peer) {
                    out.send(peer, &PeerMessage::FileAnswer { id, accept: false, at: 0 });
                    self.state.notify(tf(K::TooManyFiles, &[("peer", peer)]));
                    return None;
                }
                let offered = Transfer::offered(id, peer, &name, size, &mime);
                let talk = if to_room { Talk::Room } else { Talk::With(peer) };
                if !self.state.shows(talk) {
                    self.state
                        .notify(tf(K::WantsToSendName, &[("peer", peer), ("name", &offered.name)]));
                }
                let file = FileRef {
                    id: offered.id.clone(),
                    size: offered.size,
                    mime: offered.mime.clone(),
                };
                let name = offered.name.clone();
                self.add(offered, FileJob::default());
                return Some(if to_room {
                    FileNews::OfferedToRoom(name, file)
                } else {
                    FileNews::Offered(name, file)
                });
            }
            PeerMessage::FileAnswer { id, accept, at } => {
                if !self.unanswered(peer, &id) {
                    return None;
                }
                if accept {
                    self.resume_at(peer, &id, at);
                    return Some(FileNews::Accepted(id));
                }
                self.end(peer, &id, TransferPhase::Declined, tf(K::DeclinedBy, &[("peer", peer)]));
            }
            PeerMessage::FileCancel { id } => {
                self.end(
                    peer,
                    &id,
                    TransferPhase::Cancelled,
                    tf(K::CancelledBy, &[("peer", peer)]),
                );
            }
            PeerMessage::FileDone { id, sha256 } => match self.phase(peer, &id, true) {
                Some(TransferPhase::Sending) => self.confirmed(peer, &id, &sha256),
                Some(_) => {}
                None => {
                    self.job(peer, &id, |job| job.sha256 = Some(sha256));
                    self.verify_when_complete(peer, &id);
                }
            },
            _ => {}
        }
        None
    }

    /// The channel we opened for our file `id` after `peer` accepted it (`None`: the
    /// connection is gone).
    pub fn opened_channel(&self, peer: &str, id: &str, channel: Option<RtcDataChannel>) {
        match channel {
            Some(channel) => self.watch(peer, id, channel),
            None => self.lost(peer, id),
        }
    }

    /// The peer opened a data channel: the bytes of a file we accepted, or nothing we want.
    pub fn peer_channel(&self, peer: &str, channel: RtcDataChannel) {
        let label = channel.label();
        let id = file_id_of_label(&label).unwrap_or_default();
        let wanted = self.phase(peer, id, false) == Some(TransferPhase::Receiving)
            && self.job(peer, id, |job| job.channel.is_none()) == Some(true);
        if wanted {
            self.watch(peer, id, channel);
        } else {
            channel.close();
        }
    }

    /// What the channel of file `id` reported; `sent_on_link` counts the file bytes sent
    /// on the same connection.
    pub fn on_channel(
        &self,
        peer: &str,
        id: &str,
        event: FileEvent,
        sent_on_link: Rc<Cell<u64>>,
        out: &dyn PeerOutlet,
    ) {
        match event {
            FileEvent::Open => self.start_sending(peer, id, sent_on_link),
            FileEvent::Chunk(chunk) => self.on_chunk(peer, id, &chunk, out),
            FileEvent::Text => {
                let why = tf(K::NotFileData, &[("peer", peer)]);
                self.fail_bad_input(peer, id, why, out)
            }
            // The peer's cancel or digest may still be on its way on the chat channel.
            FileEvent::Closed => {
                let (peer, id) = (peer.to_owned(), id.to_owned());
                self.dispatch.later(Event::FileClosed { peer, id }, CLOSE_GRACE);
            }
        }
    }

    /// Whether our offer `id` has had no answer: accepting opens a channel at once, though
    /// the phase waits for it to open.
    fn unanswered(&self, peer: &str, id: &str) -> bool {
        self.phase(peer, id, true) == Some(TransferPhase::Waiting)
            && self.job(peer, id, |job| job.channel.is_none()) == Some(true)
    }

    /// Reports what happens on a file channel as [`Event::File`].
    fn watch(&self, peer: &str, id: &str, channel: RtcDataChannel) {
        let dispatch = self.dispatch.clone();
        let (owner, file) = (peer.to_owned(), id.to_owned());
        let watched = FileChannel::new(channel, move |event| {
            dispatch.send(Event::File { peer: owner.clone(), id: file.clone(), event })
        });
        self.job(peer, id, |job| job.channel = Some(watched));
    }

    /// File `id` from `peer`, received before this page and kept on the device: shown
    /// again, to be saved (unless this page has a transfer of it already).
    pub fn restore(&self, peer: &str, id: &str, name: String, file: FileRef, kept: &Blob) {
        if self.entry(peer, id).is_some() {
            return;
        }
        if let Some(url) = file_data::url_of(kept) {
            let mut transfer = Transfer::kept(file.id, peer, name, file.size, file.mime, url);
            transfer.note = t(K::FileReceived).into();
            self.add(transfer, FileJob::default());
        }
    }

    fn add(&self, transfer: Transfer, job: FileJob) {
        let entry =
            TransferEntry { view: ArcRwSignal::new(transfer), job: Rc::new(RefCell::new(job)) };
        self.state.transfers.update(|all| all.push(entry));
    }
}

#[cfg(test)]
mod tests;
