//! The rooms this device has been in, as the first screen lists them: each one's name, the
//! name used there, its last line and time, and what is unread; kept as one short record
//! per room.

use crate::room_name::RoomName;

/// A room this device has been in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Visited {
    /// The room as it is entered: its name as typed, a private room's id, or empty for the
    /// lobby.
    pub room: String,
    /// The name used there.
    pub me: String,
    /// The room's name as shown (the first spelling used in it); empty for the lobby.
    pub shown: String,
    /// When something last happened there (RFC 3339, UTC: later sorts after).
    pub at: String,
    /// The last line, as the people list shows it ("bob: see you"); may be empty.
    pub last: String,
    /// Messages not read yet, in all its conversations.
    pub unread: usize,
    /// The name a member gave the (private) room, shown instead of `shown`.
    pub named: Option<RoomName>,
}

impl Visited {
    /// The record kept for it (the room is the record's key): its fields on one line,
    /// tab-separated, none holding a tab or a line break; a name given to the room, with
    /// who gave it and when, makes three more (records kept before names have five).
    pub fn to_record(&self) -> String {
        let clean = |text: &str| text.replace(['\t', '\n', '\r'], " ");
        let fields = [clean(&self.me), clean(&self.shown), clean(&self.at), clean(&self.last)];
        let named = match &self.named {
            Some(RoomName { text, by, at }) => format!("\t{}\t{}\t{at}", clean(text), clean(by)),
            None => String::new(),
        };
        format!("{}\t{}{named}", fields.join("\t"), self.unread)
    }

    /// The room's title in the list: the name given to it, else its own.
    pub fn title(&self) -> &str {
        self.named.as_ref().map_or(&self.shown, |named| &named.text)
    }

    /// The room `room` from its `record`; `None` if the record is not one.
    pub fn from_record(room: &str, record: &str) -> Option<Visited> {
        let mut fields = record.split('\t');
        let mut next = || fields.next().map(str::to_owned);
        let mut visited = Visited {
            room: room.to_owned(),
            me: next()?,
            shown: next()?,
            at: next()?,
            last: next()?,
            unread: next()?.parse().ok()?,
            named: None,
        };
        if let Some(text) = next() {
            let (by, at) = (next()?, next()?.parse().ok()?);
            visited.named = Some(RoomName { text, by, at });
        }
        (!visited.me.is_empty() && fields.next().is_none()).then_some(visited)
    }
}

/// The newest first (an insertion sort: a device has been in a handful of rooms, and the
/// standard library's sorts would add kilobytes to the download).
pub fn newest_first(rooms: &mut [Visited]) {
    for i in 1..rooms.len() {
        let mut j = i;
        while j > 0 && rooms[j].at > rooms[j - 1].at {
            rooms.swap(j, j - 1);
            j -= 1;
        }
    }
}
