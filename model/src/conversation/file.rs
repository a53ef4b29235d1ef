//! Files in a conversation: an offer is a message of its own, so it stands in the
//! timeline in order, with its sender and time, and is kept in history like any other.

use super::{Conversation, Delivery, Message};

/// The file a message offers. The message's text is the file's name; its bytes are
/// never part of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    /// The transfer's id, chosen by the sender.
    pub id: String,
    /// Bytes.
    pub size: u64,
    /// Media type (may be empty).
    pub mime: String,
}

impl Conversation {
    /// Adds our offer of a file named `name`, from `me`. It travels as a file offer,
    /// never as a chat line.
    pub fn offer_file(&mut self, me: String, name: String, file: FileRef, time: String) {
        self.keep_file(me, name, file, time, true);
        if let Some(message) = self.messages.last_mut() {
            // Not a line to hand to the chat channel (see `to_send`).
            message.delivery = Delivery::Delivered;
        }
    }

    /// Adds `from`'s offer of a file named `name`, unread unless the user is `viewing`
    /// the conversation; an offer made again (after a reload of either side) keeps the
    /// place it has.
    pub fn offered_file(
        &mut self,
        from: String,
        name: String,
        file: FileRef,
        time: String,
        viewing: bool,
    ) {
        if self.received_file(&from, &file.id).is_some() {
            return;
        }
        self.keep_file(from, name, file, time, false);
        self.one_more_unread(viewing);
    }

    /// The file `id` that `from` offered us here: its message (whose text is the file's
    /// name).
    pub fn received_file(&self, from: &str, id: &str) -> Option<&Message> {
        self.messages.iter().find(|message| {
            !message.outgoing
                && message.from == from
                && message.file.as_ref().is_some_and(|file| file.id == id)
        })
    }

    /// Both sides give the offer the id `file:` and the transfer's id, so that a read
    /// receipt for it means the same to both.
    fn keep_file(&mut self, from: String, name: String, file: FileRef, time: String, ours: bool) {
        self.keep(format!("file:{}", file.id), from, name, time, ours, false);
        if let Some(message) = self.messages.last_mut() {
            message.file = Some(file);
        }
    }
}
