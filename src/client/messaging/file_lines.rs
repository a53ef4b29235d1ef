//! Files in the conversations' timelines: each offer, ours or a peer's, is a message.

use super::Messaging;
use crate::web::clock::now_rfc3339;
use natter_model::conversation::FileRef;
use natter_model::talk::Talk;

impl Messaging {
    /// We offered `peer` the file `name`.
    pub fn offer_file(&self, peer: &str, me: String, name: String, file: FileRef) {
        self.update(Talk::With(peer), |c| c.offer_file(me, name, file, now_rfc3339()));
    }

    /// `peer` offers us the file `name`.
    pub fn offered_file(&self, peer: &str, name: String, file: FileRef) {
        let talk = Talk::With(peer);
        let viewing = self.viewing(talk);
        self.update(talk, |c| c.offered_file(peer.to_owned(), name, file, now_rfc3339(), viewing));
    }
}
