//! Reading JSON text (RFC 8259) strictly, with serde_json's verdicts: objects member by
//! member with raw values, and the few value types the messages hold.

use std::borrow::Cow;

/// The raw values of the members named in `keys`, from `text`, which must be one object
/// (white space around it allowed). Other members are checked and skipped. `None` when
/// `text` is not one well-formed object or names one of `keys` twice (serde's derive
/// refuses a repeated field). A `null` counts as absent, as serde reads an `Option`; a
/// required field that is `null` is as missing as an absent one.
pub(crate) fn fields<'a, const N: usize>(
    text: &'a str,
    keys: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    let mut values = [None; N];
    let mut seen = [false; N];
    let mut reader = Reader::new(text);
    reader.whitespace();
    reader.expect(b'{')?;
    reader.whitespace();
    if !reader.eat(b'}') {
        loop {
            let key = reader.string()?;
            reader.whitespace();
            reader.expect(b':')?;
            reader.whitespace();
            let value = reader.value()?;
            if let Some(i) = keys.iter().position(|k| *k == key) {
                if std::mem::replace(&mut seen[i], true) {
                    return None;
                }
                values[i] = Some(value).filter(|v| *v != "null");
            }
            reader.whitespace();
            match reader.next()? {
                b',' => reader.whitespace(),
                b'}' => break,
                _ => return None,
            }
        }
    }
    reader.end()?;
    Some(values)
}

/// The string `raw` holds, unescaped; `None` if `raw` is not exactly one JSON string.
pub(crate) fn string(raw: &str) -> Option<Cow<'_, str>> {
    let mut reader = Reader::new(raw);
    let text = reader.string()?;
    reader.end()?;
    Some(text)
}

/// [`string`], owned.
pub(crate) fn text(raw: &str) -> Option<String> {
    string(raw).map(Cow::into_owned)
}

/// An optional field: absent (or `null`) is `Some(None)`; present, it must read, or the
/// whole message is unreadable (`None`), as serde had it.
pub(crate) fn optional<'a, T>(
    raw: Option<&'a str>,
    read: impl FnOnce(&'a str) -> Option<T>,
) -> Option<Option<T>> {
    match raw {
        None => Some(None),
        Some(raw) => read(raw).map(Some),
    }
}

/// The boolean `raw` holds.
pub(crate) fn boolean(raw: &str) -> Option<bool> {
    match raw {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The unsigned integer `raw` holds: no sign, fraction, exponent or overflow, as serde_json
/// reads a `u64`.
pub(crate) fn unsigned(raw: &str) -> Option<u64> {
    if raw.is_empty() || (raw.len() > 1 && raw.starts_with('0')) {
        return None;
    }
    raw.bytes().try_fold(0u64, |n, digit| {
        digit.is_ascii_digit().then_some(())?;
        n.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    })
}

/// The elements of the array `raw` holds, each read by `item`; `None` if `raw` is not one
/// array or `item` refuses an element.
pub(crate) fn array<'a, T>(raw: &'a str, item: impl Fn(&'a str) -> Option<T>) -> Option<Vec<T>> {
    let mut items = Vec::new();
    let mut reader = Reader::new(raw);
    reader.whitespace();
    reader.expect(b'[')?;
    reader.whitespace();
    if !reader.eat(b']') {
        loop {
            items.push(item(reader.value()?)?);
            reader.whitespace();
            match reader.next()? {
                b',' => reader.whitespace(),
                b']' => break,
                _ => return None,
            }
        }
    }
    reader.end()?;
    Some(items)
}

/// Whether `text` is one JSON value, white space around it allowed; returns the value's
/// text without that white space.
pub(crate) fn value(text: &str) -> Option<&str> {
    let mut reader = Reader::new(text);
    reader.whitespace();
    let value = reader.value()?;
    reader.end()?;
    Some(value)
}

/// A position in JSON text. Every method that fails returns `None` and leaves the reader
/// somewhere unspecified: the caller gives up on the whole text.
struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Only white space is left.
    fn end(&mut self) -> Option<()> {
        self.whitespace();
        (self.pos == self.text.len()).then_some(())
    }

    /// The text between `start` and here. Readers only stop on ASCII bytes, so this is
    /// always a whole number of characters; `get` keeps that from ever panicking.
    fn since(&self, start: usize) -> Option<&'a str> {
        self.text.get(start..self.pos)
    }

    /// Skips bytes that may stand unescaped in a string: not `"`, `\` or a control character.
    fn plain(&mut self) {
        const ONES: u64 = u64::MAX / 255;
        // Sets the top bit of each byte of `w` below `n` (and maybe of bytes after one, by
        // the borrow): non-zero exactly when some byte is below `n`.
        let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & (ONES << 7);
        let equal = |w: u64, byte: u8| below(w ^ (ONES * u64::from(byte)), 1);
        // Eight bytes at a time while none needs a look, as serde_json does: an SDP is one
        // long string.
        let bytes = self.text.as_bytes();
        while let Some(chunk) = bytes.get(self.pos..self.pos + 8) {
            let Ok(chunk) = <[u8; 8]>::try_from(chunk) else { break };
            let w = u64::from_le_bytes(chunk);
            if below(w, 0x20) | equal(w, b'"') | equal(w, b'\\') != 0 {
                break;
            }
            self.pos += 8;
        }
        while bytes.get(self.pos).is_some_and(|&b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.pos += 1;
        }
    }

    /// One string, unescaped; lone surrogates are refused, as Rust strings cannot hold them.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        self.plain();
        if self.peek()? == b'"' {
            let text = self.since(start)?;
            self.pos += 1;
            return Some(Cow::Borrowed(text));
        }
        let mut text = String::from(self.since(start)?);
        loop {
            match self.next()? {
                b'"' => return Some(Cow::Owned(text)),
                b'\\' => text.push(self.escape()?),
                _ => return None,
            }
            let run = self.pos;
            self.plain();
            text.push_str(self.since(run)?);
        }
    }

    /// The character an escape stands for, after its `\`.
    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => match self.hex()? {
                high @ 0xD800..=0xDBFF => {
                    self.expect(b'\\')?;
                    self.expect(b'u')?;
                    let low = self.hex()?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                }
                code => char::from_u32(code)?,
            },
            _ => return None,
        })
    }

    /// The four hex digits of a `\u` escape.
    fn hex(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        self.pos += 4;
        digits.bytes().try_fold(0, |n, digit| Some(n << 4 | char::from(digit).to_digit(16)?))
    }

    /// Skips one string, checking its escapes as serde_json does for a value it does not
    /// read: any `\uXXXX` passes, lone surrogates included.
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            self.plain();
            match self.next()? {
                b'"' => return Some(()),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        self.hex()?;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// Skips one number as the JSON grammar has it: `-`, then `0` or digits without a
    /// leading zero, then maybe a fraction and an exponent, each with at least one digit.
    fn skip_number(&mut self) -> Option<()> {
        self.eat(b'-');
        if !self.eat(b'0') {
            self.digits()?;
        }
        if self.eat(b'.') {
            self.digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _sign = self.eat(b'+') || self.eat(b'-');
            self.digits()?;
        }
        Some(())
    }

    /// One or more digits.
    fn digits(&mut self) -> Option<()> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let found = self.text.as_bytes()[self.pos..].starts_with(word.as_bytes());
        found.then(|| self.pos += word.len())
    }

    /// One value of any kind, fully checked; returns its text. Nesting is tracked on the
    /// heap rather than by recursion, so no input can overflow the stack, and any depth is
    /// accepted, as serde_json accepts it in a value it skips or keeps raw.
    fn value(&mut self) -> Option<&'a str> {
        let start = self.pos;
        // The innermost open container (`[` or `{`) apart, so that one level of nesting,
        // the usual case, never allocates.
        let mut innermost = None;
        let mut outer = Vec::new();
        loop {
            match self.peek()? {
                open @ (b'[' | b'{') => {
                    self.pos += 1;
                    self.whitespace();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if !self.eat(close) {
                        outer.extend(innermost.replace(open));
                        self.member_start(open)?;
                        continue;
                    }
                }
                b'"' => self.skip_string()?,
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                b'-' | b'0'..=b'9' => self.skip_number()?,
                _ => return None,
            }
            // A value ended: close what it ends, then go on to the next member, if any.
            loop {
                let Some(open) = innermost else { return self.since(start) };
                self.whitespace();
                match (open, self.next()?) {
                    (_, b',') => {
                        self.whitespace();
                        self.member_start(open)?;
                        break;
                    }
                    (b'[', b']') | (b'{', b'}') => innermost = outer.pop(),
                    _ => return None,
                }
            }
        }
    }

    /// In an object, skips a member's key and colon; then the white space before the value.
    fn member_start(&mut self, container: u8) -> Option<()> {
        if container == b'{' {
            self.skip_string()?;
            self.whitespace();
            self.expect(b':')?;
            self.whitespace();
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_unescape_strictly() {
        let read = |raw| string(raw).map(Cow::into_owned);
        assert_eq!(read(r#""plain é 名""#).as_deref(), Some("plain é 名"));
        assert!(matches!(string(r#""no escapes""#), Some(Cow::Borrowed(_))));
        assert_eq!(
            read(r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u00E9\ud83d\ude00""#).as_deref(),
            Some("\"\\/\u{8}\u{c}\n\r\tAéé😀")
        );
        for bad in [
            "\"\u{1}\"",
            "\"tab\there\"",
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#""\ud800\n""#,
            r#""\x""#,
            r#""\U0041""#,
            r#""\u12""#,
            r#""\uZZZZ""#,
            r#""open"#,
            r#""a" "b""#,
            "7",
            "null",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_follow_the_grammar() {
        for good in [
            "0",
            "-0",
            "12",
            "-1.5e-3",
            "1E+2",
            "true",
            "false",
            "null",
            "[]",
            " [ 1 , [ ] , { } ] ",
            r#"{ "a" : { "b" : [ "c" ] } , "a" : 1 }"#,
            // A value nobody decodes may hold any \u escape, as serde_json lets it.
            r#""\ud800""#,
            r#"{"\udc00":"\u0000"}"#,
        ] {
            assert!(value(good).is_some(), "{good}");
        }
        for bad in [
            "",
            " ",
            "01",
            "-",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e+",
            "0x10",
            "NaN",
            "nul",
            "True",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{,}",
            r#"{"a"}"#,
            r#"{"a":1,}"#,
            "{1:2}",
            "{'a':1}",
            "\"\u{1}\"",
            r#""\x""#,
            "[",
            "]",
            "1 2",
            "[\u{a0}]",
        ] {
            assert!(value(bad).is_none(), "{bad}");
        }
        assert_eq!(value(" \t\n\r{\"a\": [1] }\n"), Some("{\"a\": [1] }"));
    }

    #[test]
    fn unsigned_reads_as_serde_reads_a_u64() {
        assert_eq!(unsigned("0"), Some(0));
        assert_eq!(unsigned("3600"), Some(3600));
        assert_eq!(unsigned("18446744073709551615"), Some(u64::MAX));
        for bad in ["18446744073709551616", "-1", "-0", "1.0", "1e2", "01", "", "\"1\""] {
            assert_eq!(unsigned(bad), None, "{bad}");
        }
    }

    #[test]
    fn fields_refuse_repeats_and_read_null_as_absent() {
        let keys = ["a", "b"];
        let read = |text| fields(text, keys);
        assert_eq!(
            read(r#" {"b":[1, 2], "c":3, "a":"x"} "#),
            Some([Some(r#""x""#), Some("[1, 2]")])
        );
        assert_eq!(read(r#"{"a":null}"#), Some([None, None]));
        assert_eq!(read(r#"{"\u0061":1}"#), Some([Some("1"), None]));
        assert_eq!(read(r#"{"c":1,"c":2}"#), Some([None, None]));
        for bad in [r#"{"a":1,"a":2}"#, r#"{"a":null,"a":null}"#, "[]", "{} {}", r#"{"\ud800":1}"#]
        {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn arrays_read_each_element() {
        assert_eq!(array(r#"[ "a" ,"b"]"#, text), Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(array("[]", text), Some(vec![]));
        assert_eq!(array(r#"["a",1]"#, text), None);
        assert_eq!(array(r#""a""#, text), None);
    }

    #[test]
    fn deep_nesting_costs_no_stack() {
        // serde_json skips a value it keeps raw without a depth limit, and so does this.
        let deep = |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close);
        assert!(value(&deep("[", "")).is_none());
        assert!(value(&deep("{\"a\":", "")).is_none());
        assert!(value(&deep("[", &"]".repeat(100_000))).is_some());
        let mixed = deep("{\"a\":[", &"]}".repeat(100_000));
        assert!(value(&mixed).is_some());
        assert!(value(&mixed.replacen('[', "", 1)).is_none());
    }
}
