//! Files: offers, answers, cancels and digests over the chat channel; each file's bytes on
//! a data channel of its own, read slice by slice and paced by the channel's send buffer.

mod receive;
mod send;

use super::ChatClient;
use crate::browser::{drop_later, now_ms, random_id};
use crate::net::file_channel::{FileChannel, FileEvent};
use crate::net::file_data::{self, ChunkDigest, Parts};
use crate::net::peer::PeerLink;
use crate::transfer::{Phase, Transfer};
use leptos::prelude::*;
use natter_protocol::{file_channel_label, file_id_of_label, PeerMessage};
use std::time::Duration;
use web_sys::{File, FileList, RtcDataChannel};

/// Shortest time between two progress updates on screen.
const REPORT_MS: f64 = 250.0;
/// Most offers from one peer kept in the list, not counting files received: a peer
/// flooding us with offers cannot grow the page without bound.
const MAX_OFFERS_KEPT: usize = 256;
/// How long an unexpectedly closed channel waits for the peer's cancel or digest, which
/// travel on the chat channel and may come a little later.
const CLOSE_GRACE: Duration = Duration::from_millis(500);
/// How long an offer waits for the peer to accept or decline before it is withdrawn.
const OFFER_TIMEOUT: Duration = Duration::from_secs(120);

/// The browser objects of one transfer.
pub(super) struct FileJob {
    peer: String,
    id: String,
    outgoing: bool,
    size: u64,
    /// What we send.
    file: Option<File>,
    /// The channel carrying the bytes, once there is one.
    channel: Option<FileChannel>,
    /// Incoming: the chunks so far and their digest.
    parts: Parts,
    digest: ChunkDigest,
    received: u64,
    /// The sender's digest: ours once all is sent, or the one the sender announced.
    sha256: Option<String>,
    /// Incoming: the digests are being compared.
    verifying: bool,
    reported_ms: f64,
}

impl FileJob {
    fn new(peer: &str, id: &str, outgoing: bool, size: u64, file: Option<File>) -> Self {
        FileJob {
            peer: peer.to_owned(),
            id: id.to_owned(),
            outgoing,
            size,
            file,
            channel: None,
            parts: Parts::default(),
            digest: ChunkDigest::default(),
            received: 0,
            sha256: None,
            verifying: false,
            reported_ms: 0.0,
        }
    }
}

impl ChatClient {
    /// Offers every file in `files` to `peer`; an offer left unanswered is withdrawn.
    pub fn send_files(&self, peer: &str, files: FileList) {
        if let Err(why) = self.peer_app(peer).files() {
            return self.toast(why.explain(peer, "files"));
        }
        for index in 0..files.length() {
            let Some(file) = files.get(index) else { continue };
            let id = random_id();
            let (name, size, mime) = (file.name(), file.size() as u64, file.type_());
            let offer = PeerMessage::FileOffer {
                id: id.clone(),
                name: name.clone(),
                size,
                mime: mime.clone(),
            };
            if !self.send_peer(peer, &offer) {
                return self.toast(format!("{peer} is not connected yet"));
            }
            self.files.borrow_mut().push(FileJob::new(peer, &id, true, size, Some(file)));
            self.state
                .transfers
                .update(|all| all.push(Transfer::offer(id.clone(), peer, name, size, mime)));
            self.withdraw_unanswered(peer, id);
        }
    }

    /// Takes the file `peer` offers.
    pub fn accept_file(&self, peer: &str, id: &str) {
        if self.state.update_transfer(peer, id, |t| !t.outgoing && t.start(now_ms())) == Some(true)
        {
            if !self.send_peer(peer, &PeerMessage::FileAnswer { id: id.to_owned(), accept: true }) {
                return self.lost(peer, id);
            }
            // An empty file is complete as soon as its digest is known.
            self.verify_when_complete(peer, id);
        }
    }

    /// Refuses the file `peer` offers.
    pub fn decline_file(&self, peer: &str, id: &str) {
        self.send_peer(peer, &PeerMessage::FileAnswer { id: id.to_owned(), accept: false });
        self.end_transfer(peer, id, Phase::Declined, "Declined".into());
    }

    /// Stops a transfer, ours or the peer's, offered or under way.
    pub fn cancel_file(&self, peer: &str, id: &str) {
        self.send_peer(peer, &PeerMessage::FileCancel { id: id.to_owned() });
        self.end_transfer(peer, id, Phase::Cancelled, "Cancelled".into());
    }

    /// Removes an ended transfer from the list, freeing the received file.
    pub fn dismiss_file(&self, peer: &str, id: &str) {
        self.state.transfers.update(|all| {
            all.retain(|t| {
                let gone = t.peer == peer && t.id == id && t.phase.is_over();
                if let (true, Some(url)) = (gone, &t.url) {
                    file_data::revoke(url);
                }
                !gone
            })
        });
    }

    /// The peer's message about a file.
    pub(super) fn on_file_message(&self, peer: &str, message: PeerMessage) {
        match message {
            PeerMessage::FileOffer { id, name, size, mime } => {
                // An id seen before (ours or theirs, even ended) is a replay: ignored.
                let known = self
                    .state
                    .transfers
                    .with_untracked(|all| all.iter().any(|t| t.peer == peer && t.id == id));
                if known || id.is_empty() {
                    return;
                }
                if !self.room_for_offer(peer) {
                    self.send_peer(peer, &PeerMessage::FileAnswer { id, accept: false });
                    return self.toast(format!("{peer} offers too many files at once"));
                }
                self.files.borrow_mut().push(FileJob::new(peer, &id, false, size, None));
                let offered = Transfer::offered(id, peer, &name, size, &mime);
                if self.state.selected.get_untracked().as_deref() != Some(peer) {
                    self.toast(format!("{peer} wants to send you {}", offered.name));
                }
                self.state.transfers.update(|all| all.push(offered));
            }
            PeerMessage::FileAnswer { id, accept } => {
                let unanswered = self.phase(peer, &id, true) == Some(Phase::Waiting)
                    && self.job(peer, &id, |job| job.channel.is_none()) == Some(true);
                if !unanswered {
                    return;
                }
                if accept {
                    self.open_file_channel(peer, &id);
                } else {
                    self.end_transfer(peer, &id, Phase::Declined, format!("Declined by {peer}"));
                }
            }
            PeerMessage::FileCancel { id } => {
                self.end_transfer(peer, &id, Phase::Cancelled, format!("Cancelled by {peer}"));
            }
            PeerMessage::FileDone { id, sha256 } => match self.phase(peer, &id, true) {
                Some(Phase::Sending) => self.confirmed(peer, &id, &sha256),
                Some(_) => {}
                None => {
                    self.job(peer, &id, |job| job.sha256 = Some(sha256));
                    self.verify_when_complete(peer, &id);
                }
            },
            _ => {}
        }
    }

    /// Withdraws our offer `id` to `peer` if it is still unanswered after [`OFFER_TIMEOUT`].
    fn withdraw_unanswered(&self, peer: &str, id: String) {
        let this = self.this.clone();
        let peer = peer.to_owned();
        let check = move || {
            let Some(client) = this.upgrade() else { return };
            // Accepted means a channel is opening, though the phase waits for it.
            let unanswered = client.phase(&peer, &id, true) == Some(Phase::Waiting)
                && client.job(&peer, &id, |job| job.channel.is_none()) == Some(true);
            if unanswered {
                client.send_peer(&peer, &PeerMessage::FileCancel { id: id.clone() });
                let note = format!("No answer from {peer}: offer withdrawn");
                client.end_transfer(&peer, &id, Phase::Cancelled, note);
            }
        };
        set_timeout(check, OFFER_TIMEOUT);
    }

    /// Whether one more offer from `peer` may be listed: below [`MAX_OFFERS_KEPT`], or
    /// once the oldest of them that ended without a file is dropped.
    fn room_for_offer(&self, peer: &str) -> bool {
        let kept = |t: &Transfer| t.peer == peer && !t.outgoing && t.url.is_none();
        let (count, oldest_ended) = self.state.transfers.with_untracked(|all| {
            let count = all.iter().filter(|t| kept(t)).count();
            (count, all.iter().position(|t| kept(t) && t.phase.is_over()))
        });
        if count < MAX_OFFERS_KEPT {
            return true;
        }
        let Some(index) = oldest_ended else { return false };
        self.state.transfers.update(|all| drop(all.remove(index)));
        true
    }

    /// The peer opened a data channel: the bytes of a file we accepted, or nothing we want.
    pub(super) fn on_file_channel(&self, peer: &str, channel: RtcDataChannel) {
        let label = channel.label();
        let id = file_id_of_label(&label).unwrap_or_default();
        let wanted = self.phase(peer, id, false) == Some(Phase::Receiving)
            && self.job(peer, id, |job| job.channel.is_none()) == Some(true);
        if !wanted {
            return channel.close();
        }
        let watched = self.watch(peer, id, channel);
        self.job(peer, id, |job| job.channel = Some(watched));
    }

    /// The link to `peer` is gone: so is every transfer with them.
    pub(super) fn peer_gone_from_files(&self, peer: &str) {
        let ids: Vec<String> = self.state.transfers.with_untracked(|all| {
            all.iter()
                .filter(|t| t.peer == peer && !t.phase.is_over())
                .map(|t| t.id.clone())
                .collect()
        });
        for id in ids {
            self.lost(peer, &id);
        }
    }

    fn open_file_channel(&self, peer: &str, id: &str) {
        let mut opened = None;
        self.with_existing_link(peer, |link| {
            opened = Some(link.open_channel(&file_channel_label(id)))
        });
        match opened {
            Some(channel) => {
                let watched = self.watch(peer, id, channel);
                self.job(peer, id, |job| job.channel = Some(watched));
            }
            None => self.lost(peer, id),
        }
    }

    /// Reports what happens on a file channel to [`Self::on_file_event`].
    fn watch(&self, peer: &str, id: &str, channel: RtcDataChannel) -> FileChannel {
        let this = self.this.clone();
        let (peer, id) = (peer.to_owned(), id.to_owned());
        FileChannel::new(channel, move |event| {
            if let Some(client) = this.upgrade() {
                client.on_file_event(&peer, &id, event);
            }
        })
    }

    fn on_file_event(&self, peer: &str, id: &str, event: FileEvent) {
        match event {
            FileEvent::Open => {
                let started =
                    self.state.update_transfer(peer, id, |t| t.outgoing && t.start(now_ms()));
                let sent_on_link = self
                    .links
                    .borrow()
                    .get(peer)
                    .map(PeerLink::file_bytes_sent)
                    .unwrap_or_default();
                let outlet = self.job(peer, id, |job| {
                    job.channel.as_ref().map(|channel| channel.outlet(sent_on_link))
                });
                let file = self.job(peer, id, |job| job.file.take()).flatten();
                if let (Some(true), Some(Some(outlet)), Some(file)) = (started, outlet, file) {
                    self.start_sending(peer, id, file, outlet);
                }
            }
            FileEvent::Chunk(chunk) => self.on_chunk(peer, id, &chunk),
            FileEvent::Text => self.fail_bad_input(
                peer,
                id,
                format!("{peer} sent something that is not file data"),
            ),
            FileEvent::Closed => {
                // The peer's cancel or digest may still be on its way on the chat channel.
                let this = self.this.clone();
                let (peer, id) = (peer.to_owned(), id.to_owned());
                set_timeout(
                    move || {
                        if let Some(client) = this.upgrade() {
                            client.lost(&peer, &id);
                        }
                    },
                    CLOSE_GRACE,
                );
            }
        }
    }

    /// The transfer failed because `peer` is gone.
    fn lost(&self, peer: &str, id: &str) {
        self.end_transfer(peer, id, Phase::Failed, format!("{peer} disconnected: transfer failed"));
    }

    /// The peer broke the protocol: the transfer fails and the peer is told.
    fn fail_bad_input(&self, peer: &str, id: &str, why: String) {
        self.send_peer(peer, &PeerMessage::FileCancel { id: id.to_owned() });
        self.end_transfer(peer, id, Phase::Failed, why);
    }

    /// Ends a transfer that is still going and lets go of its browser objects.
    fn end_transfer(&self, peer: &str, id: &str, phase: Phase, note: String) {
        if self.state.update_transfer(peer, id, |t| t.end(phase, note)) == Some(true) {
            self.forget_job(peer, id);
        }
    }

    fn forget_job(&self, peer: &str, id: &str) {
        let mut files = self.files.borrow_mut();
        let Some(index) = files.iter().position(|job| job.peer == peer && job.id == id) else {
            return;
        };
        let job = files.remove(index);
        drop(files);
        // Only the sender closes a file channel (the receiver's close could overtake the
        // cancel or digest on the chat channel), unless the sender broke the protocol.
        let failed = self.phase(peer, id, job.outgoing) == Some(Phase::Failed);
        if let (Some(channel), true) = (&job.channel, job.outgoing || failed) {
            channel.close();
        }
        // Its listeners may be running this very call.
        drop_later(job);
    }

    fn job<R>(&self, peer: &str, id: &str, act: impl FnOnce(&mut FileJob) -> R) -> Option<R> {
        let mut files = self.files.borrow_mut();
        files.iter_mut().find(|job| job.peer == peer && job.id == id).map(act)
    }

    /// The phase of a transfer in the given direction.
    fn phase(&self, peer: &str, id: &str, outgoing: bool) -> Option<Phase> {
        self.state.transfers.with_untracked(|all| {
            all.iter()
                .find(|t| t.peer == peer && t.id == id && t.outgoing == outgoing)
                .map(|t| t.phase)
        })
    }
}
