//! Which conversation: the room's own (everyone present) or the one with a person; and
//! every conversation, each under its own.

use crate::conversation::Conversation;

/// A conversation: the room's own, where a line goes to everyone present, or the one with
/// a person, by name. `Talk<&str>` borrows the name, to look a conversation up or to say
/// which one without a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Talk<Name = String> {
    /// The room's own conversation.
    Room,
    /// The conversation with one person.
    With(Name),
}

impl<Name: AsRef<str>> Talk<Name> {
    /// The same conversation, its name borrowed.
    pub fn as_deref(&self) -> Talk<&str> {
        match self {
            Talk::Room => Talk::Room,
            Talk::With(name) => Talk::With(name.as_ref()),
        }
    }

    /// The person, if it is a person's conversation.
    pub fn person(&self) -> Option<&str> {
        match self {
            Talk::Room => None,
            Talk::With(name) => Some(name.as_ref()),
        }
    }

    /// Whether it is the conversation with `person`.
    pub fn is_with(&self, person: &str) -> bool {
        self.person() == Some(person)
    }

    /// Whether it is the room's own.
    pub fn is_room(&self) -> bool {
        matches!(self, Talk::Room)
    }
}

impl Talk<&str> {
    /// The same conversation, owning its name.
    pub fn owned(self) -> Talk {
        match self {
            Talk::Room => Talk::Room,
            Talk::With(name) => Talk::With(name.to_owned()),
        }
    }
}

/// Every conversation, in the order each began.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversations(Vec<(Talk, Conversation)>);

impl Conversations {
    /// The conversation `talk`, if it began.
    pub fn get(&self, talk: Talk<&str>) -> Option<&Conversation> {
        self.0.iter().find(|(known, _)| known.as_deref() == talk).map(|(_, c)| c)
    }

    /// The conversation with `person`, if it began.
    pub fn with(&self, person: &str) -> Option<&Conversation> {
        self.get(Talk::With(person))
    }

    /// The conversation `talk`, to change, if it began.
    pub fn get_mut(&mut self, talk: Talk<&str>) -> Option<&mut Conversation> {
        self.0.iter_mut().find(|(known, _)| known.as_deref() == talk).map(|(_, c)| c)
    }

    /// The conversation `talk`, begun now if it had not.
    pub fn get_or_default(&mut self, talk: Talk<&str>) -> &mut Conversation {
        let index = match self.0.iter().position(|(known, _)| known.as_deref() == talk) {
            Some(index) => index,
            None => {
                self.0.push((talk.owned(), Conversation::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[index].1
    }

    /// Puts `conversation` under `talk`, in place of any before.
    pub fn insert(&mut self, talk: Talk, conversation: Conversation) {
        match self.get_mut(talk.as_deref()) {
            Some(old) => *old = conversation,
            None => self.0.push((talk, conversation)),
        }
    }

    /// Every conversation with what it is.
    pub fn iter(&self) -> impl Iterator<Item = (&Talk, &Conversation)> {
        self.0.iter().map(|(talk, conversation)| (talk, conversation))
    }

    /// Every conversation with what it is, to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Talk, &mut Conversation)> {
        self.0.iter_mut().map(|(talk, conversation)| (&*talk, conversation))
    }

    /// Every conversation.
    pub fn values(&self) -> impl Iterator<Item = &Conversation> {
        self.0.iter().map(|(_, conversation)| conversation)
    }

    /// The people with a conversation (the room's aside).
    pub fn people(&self) -> impl Iterator<Item = (&str, &Conversation)> {
        self.iter().filter_map(|(talk, c)| Some((talk.person()?, c)))
    }
}
