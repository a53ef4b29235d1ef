//! Web links in a message's text: the one thing in a message shown as more than text, and
//! only for http and https addresses (never `javascript:`, `data:` or any other scheme).

/// A piece of a message's text, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text shown as it is.
    Text(&'a str),
    /// An http or https address, shown as a link to itself.
    Link(&'a str),
}

/// Splits `text` into plain text and links. A link starts with `http://` or `https://`
/// (any case) where no ASCII letter or digit comes right before, and runs to the next
/// space or `<`, `>`, `"`; punctuation that ends a sentence (`.`, `,`, `!`, ...) and a
/// closing bracket without its opening one inside the address are left out, so that
/// "see https://x.org/a." and "(https://x.org/a)" link to `https://x.org/a`. (Plain loops
/// over bytes: the standard library's text patterns would weigh on the download.)
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut pieces = Vec::new();
    let (mut plain, mut at) = (0, 0);
    while at < text.len() {
        let Some(len) = link_len(text, at) else {
            at += 1;
            continue;
        };
        if plain < at {
            pieces.push(Segment::Text(&text[plain..at]));
        }
        pieces.push(Segment::Link(&text[at..at + len]));
        at += len;
        plain = at;
    }
    if plain < text.len() {
        pieces.push(Segment::Text(&text[plain..]));
    }
    pieces
}

/// The length of the link starting at byte `start`, if one does.
fn link_len(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        return None;
    }
    let rest = &bytes[start..];
    let starts =
        |scheme: &[u8]| rest.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme));
    let scheme = if starts(b"https://") {
        8
    } else if starts(b"http://") {
        7
    } else {
        return None;
    };
    // The host starts with a letter, a digit (any script) or `[` (an IPv6 address).
    let host = *rest.get(scheme)?;
    if !(host.is_ascii_alphanumeric() || host >= 0x80 || host == b'[') {
        return None;
    }
    let mut len = text[start..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
        .map_or(rest.len(), |(at, _)| at);
    let count = |link: &[u8], of: u8| link.iter().filter(|&&b| b == of).count();
    while len > scheme {
        let link = &rest[..len];
        let trailing = match link[len - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => true,
            b')' => count(link, b')') > count(link, b'('),
            b']' => count(link, b']') > count(link, b'['),
            _ => false,
        };
        if !trailing {
            break;
        }
        len -= 1;
    }
    (len > scheme).then_some(len)
}
