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

/// The messages exchanged with one peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversation {
    messages: Vec<Message>,
    unread: usize,
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

    /// The user looked at the conversation.
    pub fn mark_read(&mut self) {
        self.unread = 0;
    }

    /// Adds a message written here; it is queued until [`Self::set_delivery`] says more.
    /// The line must carry an id.
    pub fn write(&mut self, line: ChatLine) {
        let id = line.id.unwrap_or_default();
        self.messages.push(Message {
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
            None => format!("legacy-{}", self.messages.len()),
        };
        self.messages.push(Message {
            id,
            from: from.to_owned(),
            text: line.message,
            time: line.time,
            outgoing: false,
            delivery: Delivery::Delivered,
        });
        if !viewing {
            self.unread += 1;
        }
        Received::New
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
