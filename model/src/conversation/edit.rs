//! Edits and deletions of a line by its author: the line goes out again with its new words
//! (none: deleted) and the time of the edit, queued, acked and resent as a line is, so that
//! it reaches a peer who was away after the line it changes (docs/protocol.md, 7.6).

use super::{reply, Conversation, Delivery, Message, Proof, Received, Recipients};
use natter_protocol::{ChatLine, MAX_TEXT_CHARS};

impl Message {
    /// Whether its author deleted it for everyone.
    pub fn deleted(&self) -> bool {
        self.edited.is_some() && self.text.is_empty()
    }

    /// Whether we may edit or delete it: our own line of words (not the app's, not a file),
    /// not deleted already.
    pub fn editable(&self) -> bool {
        self.outgoing && !self.notice && self.file.is_none() && !self.deleted()
    }
}

/// Whether `line`, an edit, may change `kept`: written by `author` (the edit's sender),
/// newer than its last edit, of words within the limit (none: a deletion), and the line
/// not deleted already.
pub fn may_change(kept: &Message, author: &str, line: &ChatLine) -> bool {
    let words = reply::split(&line.message).map_or(line.message.as_str(), |(_, words)| words);
    let blank = words.trim().is_empty() && !line.message.is_empty();
    kept.from == author
        && !kept.notice
        && kept.file.is_none()
        && !kept.deleted()
        && line.edited > kept.edited
        && !blank
        && line.message.chars().nth(MAX_TEXT_CHARS).is_none()
}

impl Conversation {
    /// Our newest line we may edit (Up in an empty composer).
    pub fn last_editable(&self) -> Option<&Message> {
        self.messages.iter().rev().find(|m| m.editable())
    }

    /// Our line `id` with its words changed to `words` at `time` (a reply keeps its quote),
    /// or deleted with `None`: the line to sign and send, if it is ours to change and the
    /// words are new, not blank and within the limit. Nothing changes yet
    /// ([`Self::revise_own`] does).
    pub fn edited_line(&self, id: &str, words: Option<&str>, time: String) -> Option<ChatLine> {
        let kept = self.messages.iter().rev().find(|m| m.id == id).filter(|m| m.editable())?;
        let mut line = kept.line();
        line.edited = Some(time);
        match words.map(str::trim) {
            Some(words) if words.is_empty() || words == kept.words() => return None,
            Some(words) if words.chars().nth(MAX_TEXT_CHARS).is_some() => return None,
            Some(words) => {
                let quote = kept.reply_to.as_ref().and(reply::split(&kept.text));
                line.message = quote.map_or(words.to_owned(), |(q, _)| reply::quoted(q, words));
            }
            None => (line.message, line.reply_to) = (String::new(), None),
        }
        Some(line)
    }

    /// Our edit `line` (from [`Self::edited_line`]) changes our line, signed `sig` in a room,
    /// which goes out again: to the peer, or in a room (`room`) to everyone it was for and to
    /// each of those present now; alone in a room there is no one to wait for.
    pub fn revise_own(&mut self, line: ChatLine, sig: Option<String>, room: Option<Vec<String>>) {
        let Some(at) = self.messages.iter().rposition(|m| Some(&m.id) == line.id.as_ref()) else {
            return;
        };
        self.apply(at, line, sig);
        let message = &mut self.messages[at];
        message.delivery = Delivery::Queued;
        if let Some(present) = room {
            let mut names: Vec<String> = message.recipients.each().map(|(n, _)| n.into()).collect();
            for name in present {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            message.recipients = Recipients::of(names);
            if message.recipients.is_empty() {
                message.delivery = Delivery::Sent;
            }
        }
    }

    /// An edit `from` sent of a line shown here: applied if [`may_change`] allows it, or
    /// ignored (a copy seen before, another's line); `None` for a line not shown, taken as
    /// a new one unless it is a deletion (nothing to show).
    pub(super) fn receive_edit(&mut self, from: &str, line: &ChatLine) -> Option<Received> {
        let id = line.id.as_ref().filter(|_| line.edited.is_some())?;
        let Some(at) = self.messages.iter().rposition(|m| m.id == *id) else {
            return line.message.is_empty().then_some(Received::Duplicate);
        };
        let kept = &self.messages[at];
        if kept.outgoing || !may_change(kept, from, line) {
            return Some(Received::Duplicate);
        }
        self.apply(at, line.clone(), None);
        Some(Received::Edited)
    }

    /// The message at `at` takes the words, quote, time and time of edit of `line`, and
    /// `sig`, the edit's signature (kept to pass on to newcomers) or none.
    pub(super) fn apply(&mut self, at: usize, line: ChatLine, sig: Option<String>) {
        let message = &mut self.messages[at];
        self.text_bytes = self.text_bytes - message.text.len() + line.message.len();
        (message.text, message.reply_to, message.time, message.edited) =
            (line.message, line.reply_to, line.time, line.edited);
        if message.deleted() {
            message.reactions = Default::default();
        }
        // Every edit applied comes from its author: ours, over their own link, or checked.
        (message.sig, message.proof) = (sig, Proof::Authentic);
        self.changes.save(message.seq);
    }

    /// The message just kept was edited at `edited`, if it was.
    pub(super) fn edited(&mut self, edited: Option<String>) {
        if let Some(message) = self.messages.last_mut() {
            message.edited = edited;
        }
    }
}
