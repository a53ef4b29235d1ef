//! Files to the room: one offer per person present, all with the same id, each then
//! answered, sent and checked as a file to that person alone.

use super::Files;
use crate::client::outlet::PeerOutlet;
use crate::i18n::{tf, K};
use crate::web::file_job::FileJob;
use crate::web::page::random_id;
use leptos::prelude::*;
use natter_model::conversation::FileRef;
use natter_model::peer_app::Features;
use natter_model::transfer::{Transfer, TransferPhase};
use natter_protocol::PeerMessage;
use web_sys::FileList;

impl Files {
    /// Offers every file in `files` to each of `people` (everyone in the room), telling
    /// `offered` each file's name and reference once (for the room's timeline). A person
    /// whose app cannot take files in the room has that said in their place; one whose app
    /// has not said yet is offered the file once it does.
    pub fn offer_room(
        &self,
        people: &[String],
        files: FileList,
        out: &dyn PeerOutlet,
        mut offered: impl FnMut(String, FileRef),
    ) {
        for file in (0..files.length()).filter_map(|index| files.get(index)) {
            let id = random_id();
            let (name, size, mime) = (file.name(), file.size() as u64, file.type_());
            for peer in people {
                let transfer = Transfer::offer(id.clone(), peer, name.clone(), size, mime.clone());
                let file = Some(file.clone().into());
                let job = FileJob { file, unsent: true, to_room: true, ..FileJob::default() };
                self.add(transfer, job);
                self.keep(peer, &id);
                self.send_offer(peer, &id, out);
            }
            offered(name, FileRef { id, size, mime });
        }
    }

    /// `peer`'s app said what it supports (its `hello`, its channel, or its silence): our
    /// offers waiting for that (files to the room, offers again after the link broke) go
    /// now, or are said not to.
    pub fn offer_waiting(&self, peer: &str, out: &dyn PeerOutlet) {
        let waiting: Vec<String> = self.state.transfers.with_untracked(|all| {
            all.iter()
                .filter(|entry| entry.job.borrow().unsent)
                .filter_map(|entry| {
                    entry.view.with_untracked(|t| {
                        (t.peer == peer && !t.phase.is_over()).then(|| t.id.clone())
                    })
                })
                .collect()
        });
        for id in waiting {
            self.send_offer(peer, &id, out);
        }
    }

    /// Sends our offer `id` to `peer` if its app takes it (to the room, or again), ends
    /// it if its app never will, or leaves it waiting for the app's `hello`.
    fn send_offer(&self, peer: &str, id: &str, out: &dyn PeerOutlet) {
        let Some((to_room, broken)) = self.job(peer, id, |job| (job.to_room, job.broken)) else {
            return;
        };
        let takes: fn(Features) -> bool = match (to_room, broken) {
            (false, false) => |f| f.files,
            (true, false) => |f| f.files && f.room_files,
            (false, true) => |f| f.files && f.resume,
            (true, true) => |f| f.files && f.room_files && f.resume,
        };
        let app = out.app(peer);
        if app.hears(takes) {
            let offer = self.view(peer, id, |t| {
                let (id, name, size, mime) = (t.id.clone(), t.name.clone(), t.size, t.mime.clone());
                match to_room {
                    true => PeerMessage::RoomFileOffer { id, name, size, mime },
                    false => PeerMessage::FileOffer { id, name, size, mime },
                }
            });
            if offer.is_some_and(|offer| out.send(peer, &offer)) {
                self.job(peer, id, |job| job.unsent = false);
                // The peer is back: what it answers is awaited again.
                self.view(peer, id, |t| t.note.clear());
            }
        } else if app.never(takes) {
            let why = if broken { K::PeerDisconnected } else { K::CantTakeRoomFiles };
            self.end(peer, id, TransferPhase::Failed, tf(why, &[("peer", peer)]));
        }
    }
}
