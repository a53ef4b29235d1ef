//! Replies: the quoted line above the reply, carried in the text itself so that an app
//! that knows no replies shows `> quote` and the reply as one plain line.

/// Most characters of the original line a reply quotes.
pub const MAX_QUOTE_CHARS: usize = 80;

/// What a reply quotes of the line `text`: its own words (not the quote it may itself
/// carry), on one line, cut to [`MAX_QUOTE_CHARS`] with an ellipsis.
pub fn quote(text: &str) -> String {
    let own = split(text).map_or(text, |(_, body)| body);
    let line = own.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The text of a reply `body` under `quote` (from [`quote`]).
pub fn quoted(quote: &str, body: &str) -> String {
    format!("> {quote}\n{body}")
}

/// A reply's text split into its quote and its own words; `None` if it carries no quote.
pub fn split(text: &str) -> Option<(&str, &str)> {
    text.strip_prefix("> ")?.split_once('\n')
}

/// The line a reply is about to answer: its id, who wrote it and the quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The original line's id.
    pub id: String,
    /// Who wrote it.
    pub from: String,
    /// What the reply quotes of it ([`quote`]).
    pub text: String,
}
