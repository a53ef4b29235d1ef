//! Writing JSON text as serde_json does: no white space, strings escaped byte for byte
//! alike, so what goes on the wire did not change when serde left.

/// The text of one object, its members written by `members` in order.
pub(crate) fn object(capacity: usize, members: impl FnOnce(&mut Object)) -> String {
    let mut out = String::with_capacity(capacity);
    nested(&mut out, members);
    out
}

/// The text of a typed message: `{"type":kind` and then `members`. Room is made for
/// `payload` bytes besides the usual small fields, so a relay never grows its buffer.
pub(crate) fn typed(kind: &str, payload: usize, members: impl FnOnce(&mut Object)) -> String {
    object(96 + payload, |o| {
        o.string("type", kind);
        members(o);
    })
}

/// An object being written; each method adds one member.
pub(crate) struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl Object<'_> {
    /// Starts a member. Keys are the protocol's own names, which need no escaping.
    fn key(&mut self, key: &str) -> &mut String {
        if !std::mem::take(&mut self.empty) {
            self.out.push(',');
        }
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    pub(crate) fn string(&mut self, key: &str, value: &str) -> &mut Self {
        string(self.key(key), value);
        self
    }

    /// A member only when there is a value: serde's `skip_serializing_if = "Option::is_none"`.
    pub(crate) fn optional_string(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.string(key, value);
        }
        self
    }

    /// `raw` is JSON text already checked, written as it is.
    pub(crate) fn raw(&mut self, key: &str, raw: &str) -> &mut Self {
        self.key(key).push_str(raw);
        self
    }

    pub(crate) fn boolean(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    pub(crate) fn unsigned(&mut self, key: &str, value: u64) -> &mut Self {
        use std::fmt::Write;
        let _infallible = write!(self.key(key), "{value}");
        self
    }

    /// An array of strings.
    pub(crate) fn strings(&mut self, key: &str, items: &[String]) -> &mut Self {
        self.array(key, items, |out, item| string(out, item))
    }

    /// An array of objects, each written by `members`.
    pub(crate) fn objects<T>(
        &mut self,
        key: &str,
        items: &[T],
        members: impl Fn(&T, &mut Object),
    ) -> &mut Self {
        self.array(key, items, |out, item| nested(out, |o| members(item, o)))
    }

    /// An object nested in this one.
    pub(crate) fn object(&mut self, key: &str, members: impl FnOnce(&mut Object)) -> &mut Self {
        nested(self.key(key), members);
        self
    }

    fn array<T>(&mut self, key: &str, items: &[T], item: impl Fn(&mut String, &T)) -> &mut Self {
        let out = self.key(key);
        out.push('[');
        for (i, value) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item(out, value);
        }
        out.push(']');
        self
    }
}

/// Writes an object into `out`, its members written by `members`.
fn nested(out: &mut String, members: impl FnOnce(&mut Object)) {
    out.push('{');
    members(&mut Object { out, empty: true });
    out.push('}');
}

/// Writes `value` as a JSON string: `"` and `\` escaped, the control characters with a short
/// escape where JSON has one and as `\u00xx` (lowercase hex) otherwise, everything else
/// as it is, non-ASCII characters included.
fn string(out: &mut String, value: &str) {
    out.push('"');
    let mut run = 0;
    for (i, byte) in value.bytes().enumerate() {
        let short = match byte {
            b'"' => '"',
            b'\\' => '\\',
            0x08 => 'b',
            0x0c => 'f',
            b'\n' => 'n',
            b'\r' => 'r',
            b'\t' => 't',
            0x00..=0x1f => 'u',
            _ => continue,
        };
        // Escaped bytes are ASCII, so the run before one is whole characters.
        out.push_str(&value[run..i]);
        out.push('\\');
        out.push(short);
        if short == 'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        run = i + 1;
    }
    out.push_str(&value[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(value: &str) -> String {
        let mut out = String::new();
        string(&mut out, value);
        out
    }

    #[test]
    fn strings_escape_only_what_json_needs() {
        // `/`, DEL and non-ASCII stay as they are.
        assert_eq!(written("a\"b\\c/é😀\u{7f}"), "\"a\\\"b\\\\c/é😀\u{7f}\"");
        assert_eq!(written("\u{8}\u{c}\n\r\t\u{0}\u{1f}"), r#""\b\f\n\r\t\u0000\u001f""#);
        assert_eq!(written(""), r#""""#);
    }

    #[test]
    fn objects_have_no_white_space() {
        let text = object(0, |o| {
            o.string("s", "x")
                .optional_string("none", None)
                .raw("raw", "[1, 2]")
                .boolean("b", false)
                .unsigned("n", u64::MAX)
                .strings("list", &["a".into(), "b".into()])
                .objects("objects", &[1, 2], |_, o| {
                    o.boolean("t", true);
                })
                .object("empty", |_| {});
        });
        assert_eq!(
            text,
            r#"{"s":"x","raw":[1, 2],"b":false,"n":18446744073709551615,"list":["a","b"],"objects":[{"t":true},{"t":true}],"empty":{}}"#
        );
    }

    proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(value in any::<String>()) {
            prop_assert_eq!(written(&value), serde_json::to_string(&value).unwrap());
        }

        #[test]
        fn control_and_ascii_strings_are_written_as_serde_json_writes_them(
            value in "[\u{0}-\u{7f}]{0,40}"
        ) {
            prop_assert_eq!(written(&value), serde_json::to_string(&value).unwrap());
        }
    }
}
