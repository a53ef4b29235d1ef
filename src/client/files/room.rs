//! Files to the room: one offer per person present, all with the same id, each then
//! answered, sent and checked as a file to that person alone.

use super::Files;
use crate::client::outlet::PeerOutlet;
use crate::i18n::{tf, K};
use crate::web::file_job::FileJob;
use crate::web::page::random_id;
use leptos::prelude::*;
use natter_model::conversation::FileRef;
use natter_model::peer_app::Unsupported;
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
                let job = FileJob { file: Some(file.clone()), unsent: true, ..FileJob::default() };
                self.add(transfer, job);
                self.offer_to_room(peer, &id, out);
            }
            offered(name, FileRef { id, size, mime });
        }
    }

    /// `peer`'s app said what it supports (its `hello`, its channel, or its silence): our
    /// files to the room waiting for that go now, or are said not to.
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
            self.offer_to_room(peer, &id, out);
        }
    }

    /// Sends our room offer `id` to `peer` if its app takes it, ends it if its app never
    /// will, or leaves it waiting for the app's `hello`.
    fn offer_to_room(&self, peer: &str, id: &str, out: &dyn PeerOutlet) {
        match out.app(peer).room_files() {
            Ok(()) => {
                let offer = self.view(peer, id, |t| PeerMessage::RoomFileOffer {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    size: t.size,
                    mime: t.mime.clone(),
                });
                if offer.is_some_and(|offer| out.send(peer, &offer)) {
                    self.job(peer, id, |job| job.unsent = false);
                }
            }
            Err(Unsupported::Never) => {
                let why = tf(K::CantTakeRoomFiles, &[("peer", peer)]);
                self.end(peer, id, TransferPhase::Failed, why);
            }
            Err(Unsupported::Checking) => {}
        }
    }
}
