//! One conversation: its messages in order, delivery marks, de-duplication, unread count.

use natter_protocol::{ChatLine, MAX_TEXT_CHARS};

/// How far an outgoing message has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Waiting for the channel to open.
    Queued,
    /// The channel refused it; waits for the user to retry.
    Failed,
    /// Handed to the data channel.
    Sent,
    /// The receiver acknowledged it.
    Delivered,
}

impl Delivery {
    /// A stable word for styling and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Failed => "failed",
            Delivery::Sent => "sent",
            Delivery::Delivered => "delivered",
        }
    }
}

/// A message as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Unique within the conversation.
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
}

/// Most messages a conversation keeps; the oldest go first. A peer flooding the chat
/// would otherwise grow the page, and the work for each new message, without bound.
pub const MAX_MESSAGES: usize = 1000;
/// Most text a conversation keeps, in bytes (a message may be up to about 128 KB).
pub const MAX_TEXT_BYTES: usize = 4 << 20;

/// The messages exchanged with one peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversation {
    messages: Vec<Message>,
    unread: usize,
    text_bytes: usize,
    /// How many lines came from old clients, which send no id: theirs are made from it.
    legacy: u64,
    trimmed: bool,
}

impl Conversation {
    /// Every message, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Received messages not yet looked at.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// Older messages were let go to stay within [`MAX_MESSAGES`] and [`MAX_TEXT_BYTES`].
    pub fn trimmed(&self) -> bool {
        self.trimmed
    }

    /// The user looked at the conversation.
    pub fn mark_read(&mut self) {
        self.unread = 0;
    }

    /// Adds a message written here; it is queued until it is sent.
    /// The line must carry an id.
    pub fn write(&mut self, line: ChatLine) {
        let id = line.id.unwrap_or_default();
        self.keep(Message {
            id,
            from: line.name,
            text: line.message,
            time: line.time,
            outgoing: true,
            delivery: Delivery::Queued,
            notice: false,
        });
    }

    /// Adds a line that arrived from `from` (the channel's owner, whatever name the line
    /// claims). Lines without an id come from old clients and cannot be de-duplicated. A
    /// text over [`MAX_TEXT_CHARS`] is not shown: a notice says so.
    pub fn receive(&mut self, from: &str, line: ChatLine, viewing: bool) -> Received {
        let id = match line.id {
            // A conversation holds a few hundred messages at most: a scan is cheap and keeps
            // no second copy of the ids.
            Some(id) if self.messages.iter().any(|m| m.id == id) => return Received::Duplicate,
            Some(id) => id,
            None => {
                self.legacy += 1;
                format!("legacy-{}", self.legacy)
            }
        };
        let too_long = line.message.chars().nth(MAX_TEXT_CHARS).is_some();
        let text = if too_long {
            format!(
                "{from} sent a message over the limit of {MAX_TEXT_CHARS} characters: not shown."
            )
        } else {
            line.message
        };
        self.keep(Message {
            id,
            from: from.to_owned(),
            text,
            time: line.time,
            outgoing: false,
            delivery: Delivery::Delivered,
            notice: too_long,
        });
        if too_long {
            return Received::TooLong;
        }
        if !viewing {
            self.unread = (self.unread + 1).min(self.messages.len());
        }
        Received::New
    }

    /// Adds `message`, letting the oldest go while there are too many or too much text.
    fn keep(&mut self, message: Message) {
        self.text_bytes += message.text.len();
        self.messages.push(message);
        let excess = |c: &Self| c.messages.len() > MAX_MESSAGES || c.text_bytes > MAX_TEXT_BYTES;
        while self.messages.len() > 1 && excess(self) {
            let oldest = self.messages.remove(0);
            self.text_bytes -= oldest.text.len();
            self.trimmed = true;
        }
    }

    /// The channel took the message. A mark never goes back: a late "sent" after
    /// "delivered" is ignored.
    pub fn mark_sent(&mut self, id: &str) {
        self.change_delivery(id, |d| matches!(d, Delivery::Queued), Delivery::Sent);
    }

    /// The receiver acknowledged the message.
    pub fn mark_delivered(&mut self, id: &str) {
        self.change_delivery(id, |_| true, Delivery::Delivered);
    }

    /// The channel refused the message: it waits for [`Self::retry`], and the messages after
    /// it go on without it.
    pub fn mark_failed(&mut self, id: &str) {
        self.change_delivery(id, |d| d != Delivery::Delivered, Delivery::Failed);
    }

    /// The user asks to send a failed message again.
    pub fn retry(&mut self, id: &str) {
        self.change_delivery(id, |d| d == Delivery::Failed, Delivery::Queued);
    }

    fn change_delivery(&mut self, id: &str, from: impl Fn(Delivery) -> bool, to: Delivery) {
        let message = self.messages.iter_mut().find(|m| m.outgoing && m.id == id);
        if let Some(message) = message.filter(|m| from(m.delivery)) {
            message.delivery = to;
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
                        Delivery::Failed | Delivery::Delivered => false,
                    }
            })
            .map(|m| ChatLine {
                time: m.time.clone(),
                message: m.text.clone(),
                name: m.from.clone(),
                id: Some(m.id.clone()),
            })
            .collect()
    }
}
