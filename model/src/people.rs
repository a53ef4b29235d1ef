//! The people list as a person reads it: whether someone can be reached (in words, not
//! connection states), the order (latest activity first), the first words of the last
//! message, and each person's colour and initial.

use crate::conversation::Message;
use crate::i18n::{Lang, K};
use std::cmp::Ordering;

/// Whether a person can be reached, as the list and the conversation say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// In a call with us.
    InCall,
    /// On the server, or our connection to them is up (messages get through).
    Online,
    /// Listed when the server went away, no connection up: no new chat until it is back.
    ServerAway,
    /// Neither on the server nor connected: messages wait for them.
    Offline,
}

impl Reach {
    /// From what is known: a call with them is under way (`in_call`), our chat with them
    /// is up (`linked`), the server lists them (`listed`), and the server is reachable
    /// (`server_up`). A connection that works outranks the server's list, which lags or
    /// is away during an outage.
    pub fn of(in_call: bool, linked: bool, listed: bool, server_up: bool) -> Self {
        match (in_call, linked, listed, server_up) {
            (true, ..) => Reach::InCall,
            (_, true, ..) | (_, _, true, true) => Reach::Online,
            (_, _, true, false) => Reach::ServerAway,
            _ => Reach::Offline,
        }
    }

    /// The words a person reads.
    pub fn words(self, lang: Lang) -> &'static str {
        lang.get(match self {
            Reach::InCall => K::InACall,
            Reach::Online => K::Online,
            Reach::ServerAway => K::UnreachableForNow,
            Reach::Offline => K::Offline,
        })
    }

    /// A stable word for styling and tests.
    pub fn key(self) -> &'static str {
        match self {
            Reach::InCall => "call",
            Reach::Online => "online",
            Reach::ServerAway => "away",
            Reach::Offline => "offline",
        }
    }

    /// What the composer says when a message cannot go now, if it cannot.
    pub fn waiting_note(self, lang: Lang, peer: &str) -> Option<String> {
        let key = match self {
            Reach::Offline => K::WaitOffline,
            Reach::ServerAway => K::WaitServer,
            Reach::InCall | Reach::Online => return None,
        };
        Some(lang.fill(key, &[("peer", peer)]))
    }

    /// Reachable ones first.
    fn rank(self) -> u8 {
        match self {
            Reach::InCall | Reach::Online => 0,
            Reach::ServerAway => 1,
            Reach::Offline => 2,
        }
    }
}

/// The newest message with someone, either way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Last {
    /// When it was written (ms since the epoch), for the order.
    pub at_ms: i64,
    /// Its first words (see [`preview`]), "You: " first if it is ours.
    pub preview: String,
    /// Its time as the list shows it ("14:05", "Yesterday").
    pub when: String,
}

/// One entry of the people list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub reach: Reach,
    pub last: Option<Last>,
}

/// Orders the list: latest message (either way) first, then those who can be reached
/// before those who cannot, then by name, without regard to ASCII case.
pub fn order(people: &mut [Person]) {
    // An insertion sort: a room holds a handful of people, and the standard library's
    // sorts would add kilobytes to the download.
    for i in 1..people.len() {
        let mut j = i;
        while j > 0 && before(&people[j], &people[j - 1]) {
            people.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Whether `a` goes before `b`.
fn before(a: &Person, b: &Person) -> bool {
    let at = |p: &Person| p.last.as_ref().map(|last| last.at_ms);
    let folded = |p: &Person| p.name.to_ascii_lowercase();
    // `None` (nothing said) sorts below every time.
    let order = at(b)
        .cmp(&at(a))
        .then(a.reach.rank().cmp(&b.reach.rank()))
        .then_with(|| folded(a).cmp(&folded(b)))
        .then_with(|| a.name.cmp(&b.name));
    order == Ordering::Less
}

/// The first words of `message` as a list shows them: "You: …" if it is ours, and with its
/// writer's name first ("bob: …") where `named` (the room's lines, a room's last line).
pub fn said(message: &Message, named: bool, lang: Lang) -> String {
    let deleted = message.deleted().then(|| lang.get(K::MessageDeleted));
    let words = preview(deleted.unwrap_or(message.words()));
    match message.outgoing {
        true => lang.fill(K::YouWrote, &[("text", &words)]),
        false if named && !message.from.is_empty() => format!("{}: {words}", message.from),
        false => words,
    }
}

/// Most characters of a preview.
pub const PREVIEW_CHARS: usize = 40;

/// The first words of `text` on one line: runs of white space become one space, and a
/// text over [`PREVIEW_CHARS`] is cut at the last word that fits, with "…".
pub fn preview(text: &str) -> String {
    let mut words = text.split_whitespace();
    let mut shown = String::new();
    let mut count = 0;
    for word in words.by_ref() {
        let length = word.chars().count();
        let needed = length + usize::from(!shown.is_empty());
        if count + needed > PREVIEW_CHARS {
            // A first word longer than the preview is cut inside.
            if shown.is_empty() {
                shown.extend(word.chars().take(PREVIEW_CHARS));
            }
            shown.push('…');
            return shown;
        }
        if !shown.is_empty() {
            shown.push(' ');
        }
        shown.push_str(word);
        count += needed;
    }
    shown
}

/// Avatar colours: white initials on each have a contrast of at least 4.5:1, and each
/// stands out at least 3:1 from the panels of both the light and the dark theme.
pub const PALETTE: [&str; 11] = [
    "#dc2626", "#c2410c", "#a16207", "#4d7c0f", "#15803d", "#0f766e", "#0e7490", "#2563eb",
    "#9333ea", "#c026d3", "#db2777",
];

/// `name`'s colour: the same on every page and every visit (a hash of the name).
pub fn colour(name: &str) -> &'static str {
    // FNV-1a: tiny, and stable across builds, unlike the standard library's hasher.
    let hash =
        name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    PALETTE[hash as usize % PALETTE.len()]
}

/// `name`'s initial: its first character that is not ASCII punctuation or a space (`?` if
/// none; CSS capitalises it: Unicode's case tables would weigh on the download).
pub fn initial(name: &str) -> String {
    let first = name.chars().find(|c| !c.is_ascii_punctuation() && !c.is_ascii_whitespace());
    first.unwrap_or('?').to_string()
}
