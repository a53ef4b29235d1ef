//! One conversation: its messages in order, delivery and read marks, de-duplication, the
//! unread count, and what changed since it was last saved.

mod changes;
mod delivery;
mod edit;
mod file;
mod group;
mod past;
pub mod reactions;
pub mod reply;

pub use changes::Changes;
pub use delivery::Delivery;
pub use file::FileRef;
pub use group::Recipients;
pub use past::Proof;
pub use reactions::Reactions;

use crate::call::CallKind;
use crate::i18n::{Lang, K};
use natter_protocol::{ChatLine, MAX_TEXT_CHARS};

/// A message as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its place in the conversation: increasing, never reused (the storage key).
    pub seq: u64,
    /// Unique within the conversation: the sender's id, or one made here for a classic line.
    pub id: String,
    /// Who wrote it.
    pub from: String,
    /// The text (always rendered as text).
    pub text: String,
    /// When it was written, RFC 3339.
    pub time: String,
    /// Written here rather than received.
    pub outgoing: bool,
    /// For outgoing messages: how far it has come.
    pub delivery: Delivery,
    /// Said by the app, not by a person (e.g. that a message was refused).
    pub notice: bool,
    /// For a line we wrote to a room: how far it has come with each person (empty
    /// otherwise; `delivery` then sums it up).
    pub recipients: Recipients,
    /// The file it offers, if it is a file's place in the timeline.
    pub file: Option<FileRef>,
    /// For the line of a call from the peer that nobody answered here: what kind of call
    /// it was (the line offers to call back). It counts as unread, as a message does.
    pub missed_call: Option<CallKind>,
    /// For a reply: the id of the line it answers (its text starts with the quote, see
    /// [`reply`]).
    pub reply_to: Option<String>,
    /// Who reacted with which emoji.
    pub reactions: Reactions,
    /// For a room line: its author's signature, kept to pass on to newcomers.
    pub sig: Option<String>,
    /// Whether it is shown as its author's words, or as relayed and not (yet) verified.
    pub proof: Proof,
    /// When its author last edited it, RFC 3339 (see [`edit`]); with no text: deleted.
    pub edited: Option<String>,
}

impl Message {
    /// Its own words: the text without the quote, for a reply.
    pub fn words(&self) -> &str {
        let reply = self.reply_to.as_ref().and(reply::split(&self.text));
        reply.map_or(&self.text, |(_, words)| words)
    }

    /// The chat line that carries it.
    pub fn line(&self) -> ChatLine {
        ChatLine {
            time: self.time.clone(),
            message: self.text.clone(),
            name: self.from.clone(),
            id: Some(self.id.clone()),
            reply_to: self.reply_to.clone(),
            edited: self.edited.clone(),
        }
    }
}

/// What [`Conversation::receive`] did with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A new message, now shown.
    New,
    /// Seen before (a resend after a reconnect): not shown again.
    Duplicate,
    /// Over [`MAX_TEXT_CHARS`]: a notice says so instead.
    TooLong,
    /// Its author's edit (or deletion) of a line shown: applied.
    Edited,
}

/// Most messages a conversation keeps; the oldest go first. A peer flooding the chat
/// would otherwise grow the page, and the storage, without bound.
pub const MAX_MESSAGES: usize = 10_000;
/// Most text a conversation keeps, in bytes (a message may be up to about 128 KB).
pub const MAX_TEXT_BYTES: usize = 8 << 20;

/// The messages exchanged with one peer's identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversation {
    /// The certificate fingerprint of the peer it belongs to; `None` until the peer is
    /// first connected (lines written before wait for it).
    pub identity: Option<String>,
    messages: Vec<Message>,
    unread: usize,
    text_bytes: usize,
    next_seq: u64,
    trimmed: bool,
    /// The newest received id we told the peer we have shown.
    read_reported: Option<String>,
    /// Where the unread lines began when the person last looked (see [`Self::divider`]).
    divider: Option<u64>,
    changes: Changes,
}

impl Conversation {
    /// An empty conversation with the peer identified by `identity`.
    pub fn of(identity: Option<String>) -> Self {
        Conversation { identity, ..Self::default() }
    }

    /// A conversation as storage kept it: its messages oldest first, unread count and
    /// whether older ones were let go.
    pub fn restore(messages: Vec<Message>, unread: usize, trimmed: bool) -> Self {
        let next_seq = messages.last().map_or(0, |m| m.seq + 1);
        let text_bytes = messages.iter().map(|m| m.text.len()).sum();
        Conversation { messages, unread, text_bytes, next_seq, trimmed, ..Self::default() }
    }

    /// This page's conversation began before the stored one was read back (a line came
    /// first): the stored messages come first, this page's after them, numbered on from
    /// them. All of it is saved anew: what this page saved meanwhile went under numbers the
    /// stored messages hold.
    pub fn after_stored(self, stored: Conversation) -> Conversation {
        let mut merged = stored;
        for mut message in self.messages {
            message.seq = merged.next_seq;
            merged.next_seq += 1;
            merged.text_bytes += message.text.len();
            merged.messages.push(message);
        }
        merged.unread += self.unread;
        merged.identity = merged.identity.or(self.identity);
        merged.read_reported = self.read_reported.or(merged.read_reported);
        merged.touch_all();
        merged
    }

    /// Every message, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The newest message written by a person, either way (the app's notes aside).
    pub fn last_said(&self) -> Option<&Message> {
        self.messages.iter().rev().find(|m| !m.notice)
    }

    /// Received messages (and missed calls) not yet looked at.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// The first line that was unread when the person looked at the conversation, by
    /// `seq`: the "unread" divider goes above it, until the conversation is opened anew.
    pub fn divider(&self) -> Option<u64> {
        self.divider
    }

    /// The person opens the conversation: the divider of an earlier look goes
    /// ([`Self::mark_read`] puts one above what is unread now).
    pub fn open(&mut self) {
        self.divider = None;
    }

    /// Older messages were let go to stay within [`MAX_MESSAGES`] and [`MAX_TEXT_BYTES`].
    pub fn trimmed(&self) -> bool {
        self.trimmed
    }

    /// What changed since the last call: what storage must write and delete, each once.
    pub fn take_changes(&mut self) -> Changes {
        let mut changes = std::mem::take(&mut self.changes);
        changes.saved.retain(|seq| changes.removed.binary_search(seq).is_err());
        changes
    }

    /// Marks every message and the state to be saved anew (the conversation moves to
    /// another key in the store).
    pub fn touch_all(&mut self) {
        self.changes.saved = self.messages.iter().map(|m| m.seq).collect();
        self.changes.state = true;
    }

    /// Lets go of the oldest messages while they hold more than `budget` bytes of text;
    /// returns how many went.
    pub fn shed(&mut self, budget: usize) -> usize {
        let mut gone = 0;
        while self.messages.len() - gone > 1 && self.text_bytes > budget {
            self.text_bytes -= self.messages[gone].text.len();
            self.changes.removed.push(self.messages[gone].seq);
            gone += 1;
        }
        if gone > 0 {
            self.messages.drain(..gone);
            self.trimmed = true;
            self.changes.state = true;
        }
        gone
    }

    /// Bytes of text held.
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// The message `seq`, if kept.
    pub fn by_seq(&self, seq: u64) -> Option<&Message> {
        // Sorted by seq: a binary search, since a conversation holds up to ten thousand.
        let index = self.messages.binary_search_by_key(&seq, |m| m.seq).ok()?;
        self.messages.get(index)
    }

    /// The user looked at the conversation. If the peer reads receipts (`receipts`), returns
    /// the id of the newest message from it not yet reported as read, to tell it (lines
    /// from a classic client have none); otherwise that stays to report once it does.
    pub fn mark_read(&mut self, receipts: bool) -> Option<String> {
        if self.unread != 0 {
            // The oldest of the newest `unread` lines that count.
            let counted = self.messages.iter().rev().filter(|m| counts_as_unread(m));
            self.divider = counted.take(self.unread).last().map(|m| m.seq);
            self.changes.state = true;
        }
        self.unread = 0;
        // The peer hears of its own lines only (not of a missed call's line).
        let said = |m: &&Message| counts_as_unread(m) && m.missed_call.is_none();
        let newest = self.messages.iter().rev().find(said)?;
        let fresh = receipts
            && !newest.id.starts_with(LEGACY_PREFIX)
            && self.read_reported.as_deref() != Some(newest.id.as_str());
        fresh.then(|| {
            self.read_reported = Some(newest.id.clone());
            newest.id.clone()
        })
    }

    /// Adds a message written here; it is queued until it is sent. The line must carry
    /// an id.
    pub fn write(&mut self, line: ChatLine) {
        self.keep(line.id.unwrap_or_default(), line.name, line.message, line.time, true, false);
        self.answers(line.reply_to);
    }

    /// The message just kept answers the line `reply_to`, if any.
    fn answers(&mut self, reply_to: Option<String>) {
        if let Some(message) = self.messages.last_mut() {
            message.reply_to = reply_to;
        }
    }

    /// `who` takes back the reaction `emoji` to the line `id` if given, else adds it;
    /// whether it is now on, if anything changed.
    pub fn toggle_reaction(&mut self, id: &str, who: &str, emoji: &str) -> Option<bool> {
        let on = !self.messages.iter().rev().find(|m| m.id == id)?.reactions.has(emoji, who);
        self.react(id, who, emoji, on).then_some(on)
    }

    /// `who` adds (`on`) or takes back the reaction `emoji` to the line `id` (a person's,
    /// not the app's notice, nor deleted); whether anything changed.
    pub fn react(&mut self, id: &str, who: &str, emoji: &str, on: bool) -> bool {
        let line = self.messages.iter_mut().rev().find(|m| m.id == id);
        let Some(line) = line.filter(|line| !line.notice && !line.deleted()) else { return false };
        let changed = line.reactions.set(emoji, who, on);
        if changed {
            self.changes.save(line.seq);
        }
        changed
    }

    /// Adds a line from the app (an identity that changed, a refused message).
    pub fn note(&mut self, text: String, time: String) {
        let id = format!("{LEGACY_PREFIX}{}", self.next_seq);
        self.keep(id, String::new(), text, time, false, true);
    }

    /// Whether the newest of the app's notes that reads `one` or `other` reads `one`.
    pub fn last_note_is(&self, one: &str, other: &str) -> bool {
        let mut notes = self.messages.iter().rev().filter(|m| m.notice);
        notes.find(|m| m.text == one || m.text == other).is_some_and(|m| m.text == one)
    }

    /// Adds a line that arrived from `from` (the channel's owner, whatever name the line
    /// claims). Lines without an id come from old clients and cannot be de-duplicated. A
    /// text over [`MAX_TEXT_CHARS`] is not shown: a notice says so, in `lang`.
    pub fn receive(&mut self, from: &str, line: ChatLine, viewing: bool, lang: Lang) -> Received {
        if let Some(received) = self.receive_edit(from, &line) {
            return received;
        }
        let id = match line.id {
            // Resends come soon after the original, so the newest messages are checked first.
            Some(id) if self.messages.iter().rev().any(|m| m.id == id) => {
                return Received::Duplicate
            }
            Some(id) => id,
            None => format!("{LEGACY_PREFIX}{}", self.next_seq),
        };
        let too_long = line.message.chars().nth(MAX_TEXT_CHARS).is_some();
        let text = if too_long {
            let most = MAX_TEXT_CHARS.to_string();
            lang.fill(K::TooLongReceived, &[("from", from), ("max", &most)])
        } else {
            line.message
        };
        self.keep(id, from.to_owned(), text, line.time, false, too_long);
        self.answers(line.reply_to.filter(|_| !too_long));
        self.edited(line.edited.filter(|_| !too_long));
        if too_long {
            return Received::TooLong;
        }
        self.one_more_unread(viewing);
        Received::New
    }

    /// Adds the line of a `kind` call from `from` that rang here unanswered, saying `text`:
    /// unread, as a message is, unless the person is `viewing` the conversation.
    pub fn missed_call(
        &mut self,
        from: &str,
        kind: CallKind,
        text: String,
        time: String,
        viewing: bool,
    ) {
        let id = format!("{LEGACY_PREFIX}{}", self.next_seq);
        self.keep(id, from.to_owned(), text, time, false, false);
        if let Some(line) = self.messages.last_mut() {
            line.missed_call = Some(kind);
        }
        self.one_more_unread(viewing);
    }

    /// A line that counts as unread came, while the person is `viewing` the conversation
    /// or not.
    fn one_more_unread(&mut self, viewing: bool) {
        if !viewing {
            self.unread = (self.unread + 1).min(self.messages.len());
            self.changes.state = true;
        }
    }

    /// Adds a message, letting the oldest go while there are too many or too much text.
    fn keep(
        &mut self,
        id: String,
        from: String,
        text: String,
        time: String,
        outgoing: bool,
        notice: bool,
    ) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let delivery = if outgoing { Delivery::Queued } else { Delivery::Delivered };
        self.text_bytes += text.len();
        let recipients = Recipients::default();
        self.messages.push(Message {
            seq,
            id,
            from,
            text,
            time,
            outgoing,
            delivery,
            notice,
            recipients,
            file: None,
            missed_call: None,
            reply_to: None,
            reactions: Reactions::default(),
            sig: None,
            proof: Proof::Authentic,
            edited: None,
        });
        self.changes.save(seq);
        let mut gone = 0;
        while self.messages.len() - gone > 1
            && (self.messages.len() - gone > MAX_MESSAGES || self.text_bytes > MAX_TEXT_BYTES)
        {
            let oldest = &self.messages[gone];
            self.text_bytes -= oldest.text.len();
            self.changes.removed.push(oldest.seq);
            gone += 1;
        }
        if gone > 0 {
            // One shift for the whole batch: a flood lets go of many at once.
            self.messages.drain(..gone);
            self.trimmed = true;
            self.changes.state = true;
        }
    }

    /// The user asks to send a failed message again.
    pub fn retry(&mut self, id: &str) {
        self.retry_recipients(id);
        self.change_delivery(id, |d| d == Delivery::Failed, Delivery::Queued);
    }

    /// The peer's screen showed our message `id`, and so every one before it that reached
    /// it.
    pub fn read_by_peer(&mut self, id: &str) {
        let Some(upto) = self.messages.iter().position(|m| m.outgoing && m.id == id) else {
            return;
        };
        for message in &mut self.messages[..=upto] {
            if message.outgoing && matches!(message.delivery, Delivery::Sent | Delivery::Delivered)
            {
                message.delivery = Delivery::Read;
                self.changes.save(message.seq);
            }
        }
    }

    fn change_delivery(&mut self, id: &str, from: fn(Delivery) -> bool, to: Delivery) {
        let message = self.messages.iter_mut().rev().find(|m| m.outgoing && m.id == id);
        if let Some(message) = message.filter(|m| from(m.delivery)) {
            message.delivery = to;
            self.changes.save(message.seq);
        }
    }

    /// Outgoing lines to hand to a channel, oldest first: the queued ones and, with
    /// `resend`, those sent but not acknowledged (the receiver drops what it already has).
    /// Only a peer that acknowledges lines gets resends: any other would show them twice.
    pub fn to_send(&self, resend: bool) -> Vec<ChatLine> {
        self.messages
            .iter()
            .filter(|m| {
                m.outgoing
                    && match m.delivery {
                        Delivery::Queued => true,
                        Delivery::Sent => resend,
                        Delivery::Failed | Delivery::Delivered | Delivery::Read => false,
                    }
            })
            .map(Message::line)
            .collect()
    }
}

/// The start of an id made here (classic lines and the app's own notes), never a peer's.
const LEGACY_PREFIX: &str = "local-";

/// Whether `message` is one [`Conversation::unread`] counts: a line from the peer (or a
/// call of theirs we missed), not ours, not the app's.
fn counts_as_unread(message: &Message) -> bool {
    !message.outgoing && !message.notice
}
