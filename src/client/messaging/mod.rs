//! The messaging part: the conversations (the room's and each person's), the texts from
//! peers waiting to be read, and handing lines to the chat channels with acks, resends and
//! de-duplication; whose each conversation is, and what storage must keep of it
//! (`keeping`).

mod file_lines;
mod keeping;
mod past;
mod room;

use super::events::{Dispatch, Event};
use super::outlet::PeerOutlet;
use crate::i18n::{lang, tf, K};
use crate::state::ChatState;
use crate::web::clock::now_rfc3339;
use crate::web::next_task::NextTask;
use crate::web::page::random_id;
use crate::web::peer_link::SendError;
use leptos::prelude::*;
use natter_model::call::CallKind;
use natter_model::conversation::reply::{self, Quote};
use natter_model::conversation::{Conversation, Received};
use natter_model::per_peer::PerPeer;
use natter_model::room_name::RoomName;
use natter_model::talk::Talk;
use natter_protocol::{ChatLine, PeerMessage, MAX_TEXT_CHARS};
use std::cell::{Cell, RefCell};

/// What a text from a peer was, for the other parts.
pub enum Heard {
    /// A chat line, kept here: `ack` is the id to acknowledge (natter lines carry one),
    /// `shown` the text of a line new to the conversation, `room` whether it was written
    /// to everyone in the room (the room's conversation) rather than to us alone.
    Line { ack: Option<String>, shown: Option<String>, room: bool },
    /// An ack, a read receipt, a typing notice or the room's name, handled here: only
    /// natter sends these.
    Receipt,
    /// The peer's `hello`.
    Hello(Vec<String>),
    /// A call or file message.
    Other(PeerMessage),
    /// A line of the room's history a member passed on; `first`: the first since we came,
    /// which tells us the room has some.
    Past { first: bool },
    /// Nothing this build reads.
    Unknown,
}

/// The conversations and the inbox.
pub struct Messaging {
    state: ChatState,
    dispatch: Dispatch,
    /// Texts from peers not read yet, and the task that will (see [`Self::queue`]).
    inbox: RefCell<Vec<(String, String)>>,
    read_task: Option<NextTask>,
    /// When we last told each peer we are typing (`Date.now()` ms).
    typing_told: RefCell<PerPeer<f64>>,
    /// When we last told each peer we are typing in the room (`Date.now()` ms).
    room_typing_told: RefCell<PerPeer<f64>>,
    /// The name a member gave this private room, who and when (shown: `room_named`).
    room_name: RefCell<Option<RoomName>>,
    /// Those who joined the room after us and have not had its recent lines yet.
    newcomers: RefCell<PerPeer<()>>,
    /// The line-signing key each peer gave over its own link (`roomKey`).
    keys: RefCell<PerPeer<String>>,
    /// How many of the room's lines each peer passed on over its current connection.
    past_taken: RefCell<PerPeer<usize>>,
    /// Whether a member passed a line of the room's history on to us yet.
    past_heard: Cell<bool>,
    /// Whether the history was read back once already (a login after a lost server reads
    /// it again: what is shown by then holds it).
    restored: Cell<bool>,
}

impl Messaging {
    /// Empty conversations.
    pub fn new(state: ChatState, dispatch: Dispatch) -> Self {
        let reader = dispatch.clone();
        Messaging {
            state,
            dispatch,
            inbox: RefCell::default(),
            read_task: NextTask::new(move || reader.send(Event::ReadInbox)),
            typing_told: RefCell::default(),
            room_typing_told: RefCell::default(),
            room_name: RefCell::default(),
            newcomers: RefCell::default(),
            keys: RefCell::default(),
            past_taken: RefCell::default(),
            past_heard: Cell::default(),
            restored: Cell::default(),
        }
    }

    /// Adds a line from us to the conversation with `peer`; `false` if there is nothing to
    /// send. The composer refuses texts over [`MAX_TEXT_CHARS`] before they get here.
    pub fn write(&self, peer: &str, me: String, text: &str, reply: Option<Quote>) -> bool {
        let Some(line) = new_line(me, text, reply) else { return false };
        self.update(Talk::With(peer), |conversation| conversation.write(line));
        // The line ends the peer's typing indicator: typing again is news.
        self.typing_told.borrow_mut().remove(peer);
        true
    }

    /// We add or take back our reaction `emoji` to the line `id` of the conversation
    /// `talk`; whether it is now on, if anything changed.
    pub fn react(&self, talk: Talk<&str>, id: &str, me: &str, emoji: &str) -> Option<bool> {
        self.update(talk, |conversation| conversation.toggle_reaction(id, me, emoji))
    }

    /// The user asks to send a failed line of the conversation `talk` again.
    pub fn retry(&self, talk: Talk<&str>, id: &str) {
        self.update(talk, |conversation| conversation.retry(id));
    }

    /// Hands the lines waiting for `peer` to its chat channel, and with `resend` those sent
    /// but not acknowledged, if the peer acknowledges lines (see
    /// [`Conversation::to_send`]). Only to the identity the conversation belongs to: lines
    /// written for someone never go to whoever took the name. A line the channel refuses
    /// is marked failed, and the ones after it still go.
    pub fn flush(&self, peer: &str, resend: bool, out: &dyn PeerOutlet) {
        let resend = resend && out.app(peer).acks();
        let identity = out.identity(peer);
        let lines = self.state.conversations.with_untracked(|all| {
            all.with(peer)
                .filter(|conversation| identity.is_some() && conversation.identity == identity)
                .map(|conversation| conversation.to_send(resend))
                .unwrap_or_default()
        });
        let lines = lines.into_iter().map(|line| (line, None)).collect();
        let lines = self.edits_for(Talk::With(peer), peer, lines, out);
        self.hand_over(Talk::With(peer), peer, lines, |line, _| PeerMessage::Line(line), out);
    }

    /// Of `lines` for `peer`, the edits go only to an app that takes them: one still saying
    /// what it takes gets them after its `hello`; one that never will (a classic client
    /// would show the line twice) gets nothing, the line marked sent as if it had.
    fn edits_for(
        &self,
        talk: Talk<&str>,
        peer: &str,
        mut lines: Vec<(ChatLine, Option<String>)>,
        out: &dyn PeerOutlet,
    ) -> Vec<(ChatLine, Option<String>)> {
        let app = out.app(peer);
        let never = app.never(|features| features.edits);
        lines.retain(|(line, _)| {
            let held = line.edited.is_some() && !app.hears(|features| features.edits);
            if held && never {
                let id = line.id.as_deref().unwrap_or_default();
                self.update(talk, |conversation| conversation.sent_to(peer, id));
            }
            !held
        });
        lines
    }

    /// We edit our line `id` of the conversation with `peer` to `words`, or delete it
    /// (`None`): sent again as the line, in its place among ours.
    pub fn edit(&self, peer: &str, id: &str, words: Option<&str>) -> bool {
        self.update(Talk::With(peer), |conversation| {
            let line = conversation.edited_line(id, words, now_rfc3339());
            line.map(|line| conversation.revise_own(line, None, None)).is_some()
        })
    }

    /// Hands `lines` of the conversation `talk` to `peer`'s chat channel, each
    /// wrapped as `wrap` says, marking each sent, or failed if the channel refuses it (the
    /// ones after it still go); stops if the channel is not open after all.
    fn hand_over(
        &self,
        talk: Talk<&str>,
        peer: &str,
        lines: Vec<(ChatLine, Option<String>)>,
        wrap: fn(ChatLine, Option<String>) -> PeerMessage,
        out: &dyn PeerOutlet,
    ) {
        for (line, sig) in lines {
            let id = line.id.clone().unwrap_or_default();
            let sent = out.send_line(peer, &wrap(line, sig).to_json());
            self.update(talk, |conversation| match sent {
                Ok(()) => conversation.sent_to(peer, &id),
                Err(SendError::Refused) => conversation.failed_for(peer, &id),
                Err(SendError::NotOpen) => {}
            });
            if sent == Err(SendError::NotOpen) {
                break;
            }
        }
    }

    /// Keeps a text from `peer` for a task of its own ([`Event::ReadInbox`]), which reads
    /// every text queued by then: the page is drawn once per burst of messages, not once
    /// per message, so that even a flood leaves it responsive. Without such a task,
    /// returns `true`: read now.
    pub fn queue(&self, peer: String, text: String) -> bool {
        let first = {
            let mut inbox = self.inbox.borrow_mut();
            inbox.push((peer, text));
            inbox.len() == 1
        };
        match &self.read_task {
            Some(task) if first => task.schedule(),
            Some(_) => {}
            None => return true,
        }
        false
    }

    /// The texts waiting to be read, oldest first.
    pub fn take_inbox(&self) -> Vec<(String, String)> {
        self.inbox.take()
    }

    /// Reads one text from `peer`: lines go into the conversation, acks and read receipts
    /// mark ours, typing notices show; the rest is for other parts.
    pub fn hear(&self, peer: &str, text: &str) -> Heard {
        match PeerMessage::parse(text) {
            Some(PeerMessage::Line(line)) => {
                self.stopped_typing(peer, false);
                self.receive(Talk::With(peer), peer, line, None)
            }
            Some(PeerMessage::RoomLine(line, sig)) => {
                self.stopped_typing(peer, true);
                self.heard_room_line(peer, line, sig)
            }
            Some(PeerMessage::RoomKey { key }) => {
                self.heard_key(peer, key);
                Heard::Receipt
            }
            Some(PeerMessage::RoomPast { line, sig, .. }) => {
                self.heard_past(peer, line, sig);
                Heard::Past { first: !self.past_heard.replace(true) }
            }
            Some(PeerMessage::Ack { id }) => {
                self.update(Talk::With(peer), |conversation| conversation.delivered_to(peer, &id));
                self.update_room(|room| room.delivered_to(peer, &id));
                Heard::Receipt
            }
            Some(PeerMessage::Read { id }) => {
                self.update(Talk::With(peer), |conversation| conversation.read_by_peer(&id));
                Heard::Receipt
            }
            Some(PeerMessage::Typing) => {
                self.peer_typing(peer, false);
                Heard::Receipt
            }
            Some(PeerMessage::RoomTyping) => {
                self.peer_typing(peer, true);
                Heard::Receipt
            }
            Some(PeerMessage::RoomName { name, by, at }) => {
                self.heard_room_name(name, by, at);
                Heard::Receipt
            }
            Some(PeerMessage::React { id, emoji, on, room }) => {
                let talk = if room { Talk::Room } else { Talk::With(peer) };
                self.update(talk, |conversation| conversation.react(&id, peer, &emoji, on));
                Heard::Receipt
            }
            Some(PeerMessage::Hello { features }) => Heard::Hello(features),
            Some(other) => Heard::Other(other),
            None => Heard::Unknown,
        }
    }

    /// Keeps a line `from` wrote in the conversation `talk` (the peer's own, or the
    /// room's), or applies its edit, with its signature `sig` to pass on. Acked even when
    /// refused as too long, or the sender would resend it.
    fn receive(&self, talk: Talk<&str>, from: &str, line: ChatLine, sig: Option<String>) -> Heard {
        let ack = line.id.clone();
        let shown = line.message.clone();
        let viewing = self.viewing(talk);
        let received = self.update(talk, |c| {
            let id = line.id.clone().unwrap_or_default();
            let received = c.receive(from, line, viewing, lang());
            if let (Received::New | Received::Edited, Some(sig)) = (received, sig) {
                c.signed(&id, sig);
            }
            received
        });
        let shown = (received == Received::New).then_some(shown);
        Heard::Line { ack, shown, room: talk.is_room() }
    }

    /// Whether the conversation `talk` is on screen.
    fn viewing(&self, talk: Talk<&str>) -> bool {
        self.state.shows(talk) && crate::web::attention::visible()
    }

    /// Adds a line from the app to the conversation `talk` (how a call went).
    pub fn note(&self, talk: Talk<&str>, text: String) {
        self.update(talk, |conversation| conversation.note(text, now_rfc3339()));
    }

    /// Adds the line of `peer`'s `kind` call that rang here unanswered, saying `text`:
    /// unread, as a message is, unless the conversation is on screen.
    pub fn missed_call(&self, peer: &str, kind: CallKind, text: String) {
        let viewing = self.viewing(Talk::With(peer));
        self.update(Talk::With(peer), |c| c.missed_call(peer, kind, text, now_rfc3339(), viewing));
    }

    /// Says in the conversation with `peer` that they left, if anything was said in it and
    /// it does not say so already.
    pub fn left(&self, peer: &str) {
        self.coming_and_going(peer, true);
    }

    /// Says in the conversation with `peer` that they are back, where it last said they
    /// left.
    pub fn back(&self, peer: &str) {
        self.coming_and_going(peer, false);
    }

    /// The line saying `peer` left (`leaving`) or is back, where it is news.
    fn coming_and_going(&self, peer: &str, leaving: bool) {
        let (left, back) = (tf(K::PeerLeft, &[("peer", peer)]), tf(K::PeerBack, &[("peer", peer)]));
        let due = self.state.conversations.with_untracked(|all| {
            all.with(peer).is_some_and(|c| match leaving {
                true => c.last_said().is_some() && !c.last_note_is(&left, &back),
                false => c.last_note_is(&left, &back),
            })
        });
        if due {
            let text = if leaving { left } else { back };
            self.update(Talk::With(peer), |c| c.note(text, now_rfc3339()));
        }
    }

    /// Changes the conversation `talk`, begun now if need be.
    fn update<R>(&self, talk: Talk<&str>, change: impl FnOnce(&mut Conversation) -> R) -> R {
        // A write guard (it notifies when dropped) is one type for every caller, where
        // `update` would repeat the signal's code for each closure: smaller wasm.
        change(self.state.conversations.write().get_or_default(talk))
    }
}

/// A line from us with `text`, answering `reply` if given, if there is something to send.
fn new_line(me: String, text: &str, reply: Option<Quote>) -> Option<ChatLine> {
    let text = text.trim();
    let sendable = !text.is_empty() && text.chars().nth(MAX_TEXT_CHARS).is_none();
    let (message, reply_to) = match reply {
        Some(quote) => (reply::quoted(&quote.text, text), Some(quote.id)),
        None => (text.to_owned(), None),
    };
    sendable.then(|| ChatLine {
        time: now_rfc3339(),
        message,
        name: me,
        id: Some(random_id()),
        reply_to,
        edited: None,
    })
}

#[cfg(test)]
mod tests;
