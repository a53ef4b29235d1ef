//! Reactions to a line: a few emoji, each with who chose it, each person's own toggled.

/// The emoji offered, the only ones kept.
pub const REACTIONS: [&str; 6] = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

/// Who chose each emoji on one line, in the order the emoji were first chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reactions(Vec<(String, Vec<String>)>);

impl Reactions {
    /// Whether nobody reacted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each emoji chosen, with who chose it, in order.
    pub fn each(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(emoji, who)| (emoji.as_str(), who.as_slice()))
    }

    /// Whether `who` chose `emoji`.
    pub fn has(&self, emoji: &str, who: &str) -> bool {
        self.0.iter().any(|(e, names)| e == emoji && names.iter().any(|n| n == who))
    }

    /// `who` adds (`on`) or takes back `emoji`; whether anything changed. An emoji not
    /// offered is ignored (a peer's app decides nothing here).
    pub fn set(&mut self, emoji: &str, who: &str, on: bool) -> bool {
        if !REACTIONS.contains(&emoji) || self.has(emoji, who) == on {
            return false;
        }
        match self.0.iter().position(|(e, _)| e == emoji) {
            Some(at) if on => self.0[at].1.push(who.to_owned()),
            None if on => self.0.push((emoji.to_owned(), vec![who.to_owned()])),
            Some(at) => {
                self.0[at].1.retain(|n| n != who);
                if self.0[at].1.is_empty() {
                    self.0.remove(at);
                }
            }
            None => {}
        }
        true
    }

    /// As one text for storage: each emoji then its names, separated by [`SEP`].
    pub fn encode(&self) -> String {
        let rows = self.0.iter().map(|(emoji, who)| [&[emoji.clone()][..], who].concat().join(SEP));
        rows.collect::<Vec<_>>().join("\n")
    }

    /// From [`Self::encode`]'s text (what is not offered is dropped).
    pub fn decode(text: &str) -> Self {
        let mut reactions = Reactions::default();
        for row in text.lines() {
            let mut fields = row.split(SEP);
            let emoji = fields.next().unwrap_or_default();
            for who in fields {
                reactions.set(emoji, who, true);
            }
        }
        reactions
    }
}

/// Between the fields of [`Reactions::encode`]: a unit separator, in no name or emoji.
const SEP: &str = "\u{1f}";
