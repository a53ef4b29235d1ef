//! One conversation: its messages in order, delivery marks, de-duplication, unread count.

use natter_protocol::ChatLine;

/// How far an outgoing message has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Delivery {
    /// Waiting for the channel to open.
    Queued,
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
}

/// What [`Conversation::receive`] did with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A new message, now shown.
    New,
    /// Seen before (a resend after a reconnect): not shown again.
    Duplicate,
}

/// Most messages a conversation keeps; the oldest go first. A peer flooding the chat
/// would otherwise grow the page, and the work for each new message, without bound.
pub const MAX_MESSAGES: usize = 1000;
/// Most text a conversation keeps, in bytes (a message may be up to 256 KiB).
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

    /// Adds a message written here; it is queued until [`Self::set_delivery`] says more.
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
        });
    }

    /// Adds a line that arrived from `from` (the channel's owner, whatever name the line
    /// claims). Lines without an id come from old clients and cannot be de-duplicated.
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
        self.keep(Message {
            id,
            from: from.to_owned(),
            text: line.message,
            time: line.time,
            outgoing: false,
            delivery: Delivery::Delivered,
        });
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

    /// Moves an outgoing message forward; a mark never goes back (a late "sent" after
    /// "delivered" is ignored).
    pub fn set_delivery(&mut self, id: &str, delivery: Delivery) {
        let message = self.messages.iter_mut().find(|m| m.outgoing && m.id == id);
        if let Some(message) = message {
            message.delivery = message.delivery.max(delivery);
        }
    }

    /// Outgoing lines the peer has not acknowledged, oldest first: what to send when a
    /// channel opens (the receiver drops the ones it already has).
    pub fn unacknowledged(&self) -> Vec<ChatLine> {
        self.messages
            .iter()
            .filter(|m| m.outgoing && m.delivery != Delivery::Delivered)
            .map(|m| ChatLine {
                time: m.time.clone(),
                message: m.text.clone(),
                name: m.from.clone(),
                id: Some(m.id.clone()),
            })
            .collect()
    }
}
