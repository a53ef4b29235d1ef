//! Files in the conversations' timelines: each offer, ours or a peer's, is a message.

use super::Messaging;
use crate::web::clock::now_rfc3339;
use natter_model::conversation::FileRef;
use natter_model::talk::Talk;

impl Messaging {
    /// We offered the file `name` in the conversation `talk` (to a person, or the room).
    pub fn offer_file(&self, talk: Talk<&str>, me: String, name: String, file: FileRef) {
        self.update(talk, |c| c.offer_file(me, name, file, now_rfc3339()));
    }

    /// `peer` offers us the file `name` in the conversation `talk` (theirs, or the room).
    pub fn offered_file(&self, talk: Talk<&str>, peer: &str, name: String, file: FileRef) {
        let viewing = self.viewing(talk);
        self.update(talk, |c| c.offered_file(peer.to_owned(), name, file, now_rfc3339(), viewing));
    }
}
