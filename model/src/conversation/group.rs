//! Delivery marks, followed per person for a line written to a room: it goes to each
//! person present over their own link (the mesh), "delivered to 2 of 3".

use super::{Conversation, Delivery};
use natter_protocol::ChatLine;

/// For a line written to a room: how far it has come with each person it was for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipients(Vec<(String, Delivery)>);

impl Recipients {
    /// Each of `names`, the line still to be sent to them.
    pub fn of(names: Vec<String>) -> Self {
        Recipients(names.into_iter().map(|name| (name, Delivery::Queued)).collect())
    }

    /// As storage kept them.
    pub fn restore(each: Vec<(String, Delivery)>) -> Self {
        Recipients(each)
    }

    /// Everyone the line is for, with how far it has come with each.
    pub fn each(&self) -> impl Iterator<Item = (&str, Delivery)> {
        self.0.iter().map(|(name, delivery)| (name.as_str(), *delivery))
    }

    /// How many it is for.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// A line to one person only (or to a room nobody else was in).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many have it on their screen.
    pub fn reached(&self) -> usize {
        self.0.iter().filter(|(_, d)| matches!(d, Delivery::Delivered | Delivery::Read)).count()
    }

    /// The mark the line shows as a whole: failed if it failed for anyone, delivered once
    /// everyone has it, queued while it went to no one, sent in between.
    fn overall(&self) -> Delivery {
        let all = |wanted: fn(Delivery) -> bool| self.0.iter().all(|(_, d)| wanted(*d));
        if self.0.iter().any(|(_, d)| *d == Delivery::Failed) {
            Delivery::Failed
        } else if all(|d| matches!(d, Delivery::Delivered | Delivery::Read)) {
            Delivery::Delivered
        } else if all(|d| d == Delivery::Queued) {
            Delivery::Queued
        } else {
            Delivery::Sent
        }
    }

    fn of_mut(&mut self, name: &str) -> Option<&mut Delivery> {
        self.0.iter_mut().find(|(n, _)| n == name).map(|(_, delivery)| delivery)
    }
}

impl Conversation {
    /// Adds a line written to the room, for each of `recipients` (everyone else present).
    /// With nobody else there it is kept as sent: there is no one to wait for.
    pub fn write_to_room(&mut self, line: ChatLine, recipients: Vec<String>) {
        let alone = recipients.is_empty();
        self.write(line);
        let message = self.messages.last_mut().expect("just written");
        message.recipients = Recipients::of(recipients);
        if alone {
            message.delivery = Delivery::Sent;
        }
    }

    /// Room lines for `peer`, oldest first, each with our signature: those still queued for
    /// it and, with `resend`, those sent but not acknowledged.
    pub fn to_send_to(&self, peer: &str, resend: bool) -> Vec<(ChatLine, Option<String>)> {
        self.messages
            .iter()
            .filter(|m| {
                m.recipients.0.iter().any(|(name, delivery)| {
                    name == peer
                        && (*delivery == Delivery::Queued || resend && *delivery == Delivery::Sent)
                })
            })
            .map(|m| (m.line(), m.sig.clone()))
            .collect()
    }

    /// `peer`'s channel took our line `id` (the whole line, if it was for `peer` alone).
    /// A mark never goes back: a late "sent" after "delivered" is ignored.
    pub fn sent_to(&mut self, peer: &str, id: &str) {
        self.change_for(peer, id, |d| d == Delivery::Queued, Delivery::Sent);
    }

    /// `peer` acknowledged our line `id`.
    pub fn delivered_to(&mut self, peer: &str, id: &str) {
        self.change_for(peer, id, |d| d != Delivery::Read, Delivery::Delivered);
    }

    /// `peer`'s channel refused our line `id`: it waits for [`Conversation::retry`], and
    /// the lines after it go on without it.
    pub fn failed_for(&mut self, peer: &str, id: &str) {
        self.change_for(
            peer,
            id,
            |d| matches!(d, Delivery::Queued | Delivery::Sent),
            Delivery::Failed,
        );
    }

    /// `peer` can never take room lines (an old app): the lines that have not reached it
    /// no longer wait for it.
    pub fn cannot_reach(&mut self, peer: &str) {
        for message in &mut self.messages {
            let before = message.recipients.len();
            message.recipients.0.retain(|(name, d)| {
                name != peer || matches!(d, Delivery::Delivered | Delivery::Read)
            });
            if message.recipients.len() != before {
                if !message.recipients.is_empty() {
                    message.delivery = message.recipients.overall();
                }
                self.changes.save(message.seq);
            }
        }
    }

    /// Whether any line waits for `peer`.
    pub fn waits_for(&self, peer: &str) -> bool {
        let waiting = |(name, d): &(String, Delivery)| name == peer && *d == Delivery::Queued;
        self.messages.iter().rev().any(|m| m.recipients.0.iter().any(waiting))
    }

    /// Queues every failed recipient of line `id` again (for [`Conversation::retry`]).
    pub(super) fn retry_recipients(&mut self, id: &str) {
        let Some(message) = self.messages.iter_mut().rev().find(|m| m.outgoing && m.id == id)
        else {
            return;
        };
        if message.recipients.is_empty() {
            return;
        }
        for (_, delivery) in &mut message.recipients.0 {
            if *delivery == Delivery::Failed {
                *delivery = Delivery::Queued;
            }
        }
        message.delivery = message.recipients.overall();
        self.changes.save(message.seq);
    }

    fn change_for(&mut self, peer: &str, id: &str, from: fn(Delivery) -> bool, to: Delivery) {
        let message = self.messages.iter_mut().rev().find(|m| m.outgoing && m.id == id);
        let Some(message) = message else { return };
        if message.recipients.is_empty() {
            if !from(message.delivery) {
                return;
            }
            message.delivery = to;
        } else {
            let Some(delivery) = message.recipients.of_mut(peer).filter(|d| from(**d)) else {
                return;
            };
            *delivery = to;
            message.delivery = message.recipients.overall();
        }
        self.changes.save(message.seq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str) -> ChatLine {
        ChatLine {
            time: "t".into(),
            message: id.into(),
            name: "me".into(),
            id: Some(id.into()),
            reply_to: None,
            edited: None,
        }
    }

    fn room_with(ids: &[&str], recipients: &[&str]) -> Conversation {
        let mut room = Conversation::default();
        for id in ids {
            room.write_to_room(line(id), recipients.iter().map(|&r| r.to_owned()).collect());
        }
        room
    }

    fn ids(lines: Vec<(ChatLine, Option<String>)>) -> Vec<String> {
        lines.into_iter().filter_map(|(l, _)| l.id).collect()
    }

    #[test]
    fn a_room_line_is_followed_for_each_person() {
        let mut room = room_with(&["1"], &["bob", "carol", "dan"]);
        let message = &room.messages()[0];
        assert_eq!((message.delivery, message.recipients.reached()), (Delivery::Queued, 0));
        room.sent_to("bob", "1");
        room.delivered_to("bob", "1");
        room.sent_to("carol", "1");
        let message = &room.messages()[0];
        assert_eq!(message.delivery, Delivery::Sent);
        assert_eq!((message.recipients.reached(), message.recipients.len()), (1, 3));
        room.delivered_to("carol", "1");
        room.sent_to("dan", "1");
        room.delivered_to("dan", "1");
        assert_eq!(room.messages()[0].delivery, Delivery::Delivered);
        assert_eq!(room.messages()[0].recipients.reached(), 3);
    }

    #[test]
    fn each_person_gets_what_waits_for_them_and_resends_only_if_asked() {
        let mut room = room_with(&["1", "2"], &["bob", "carol"]);
        assert_eq!(ids(room.to_send_to("bob", false)), ["1", "2"]);
        room.sent_to("bob", "1");
        room.sent_to("bob", "2");
        room.delivered_to("bob", "1");
        assert!(room.to_send_to("bob", false).is_empty());
        assert_eq!(ids(room.to_send_to("bob", true)), ["2"]);
        assert_eq!(ids(room.to_send_to("carol", false)), ["1", "2"]);
        assert!(room.waits_for("carol") && !room.waits_for("bob"));
        assert!(room.to_send_to("erin", true).is_empty(), "not in the room when written");
    }

    #[test]
    fn a_failure_for_one_person_shows_and_a_retry_queues_only_them() {
        let mut room = room_with(&["1"], &["bob", "carol"]);
        room.sent_to("bob", "1");
        room.failed_for("carol", "1");
        assert_eq!(room.messages()[0].delivery, Delivery::Failed);
        room.retry("1");
        assert_eq!(room.messages()[0].delivery, Delivery::Sent);
        assert!(room.to_send_to("bob", false).is_empty());
        assert_eq!(ids(room.to_send_to("carol", false)), ["1"]);
    }

    #[test]
    fn a_person_who_can_never_take_room_lines_is_not_waited_for() {
        let mut room = room_with(&["1", "2"], &["bob", "carol"]);
        room.sent_to("bob", "1");
        room.delivered_to("bob", "1");
        room.cannot_reach("carol");
        room.cannot_reach("bob");
        let first = &room.messages()[0];
        assert_eq!((first.recipients.len(), first.delivery), (1, Delivery::Delivered));
        assert!(room.messages()[1].recipients.is_empty());
        assert!(room.to_send_to("carol", false).is_empty());
        assert!(room.take_changes().saved.contains(&1));
    }

    #[test]
    fn alone_in_a_room_a_line_is_sent_at_once_and_marks_never_go_back() {
        let room = room_with(&["1"], &[]);
        assert_eq!(room.messages()[0].delivery, Delivery::Sent);
        let mut room = room_with(&["1"], &["bob"]);
        room.sent_to("bob", "1");
        room.delivered_to("bob", "1");
        room.sent_to("bob", "1");
        room.failed_for("bob", "1");
        assert_eq!(room.messages()[0].delivery, Delivery::Delivered);
    }
}
