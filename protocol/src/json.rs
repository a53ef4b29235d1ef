//! natter's own small JSON reader and writer (RFC 8259), just what the messages need, in
//! place of serde and serde_json, which cost the browser app 13 KB of its brotli download.

mod read;
mod write;

pub(crate) use read::{array, boolean, fields, optional, string, text, unsigned, value};
pub(crate) use write::{object, typed, Object};

/// The string field `key` of the JSON object `object_text`; `None` when the text is not
/// one JSON object, the field is absent, `null` or not a string, or is given twice. The
/// app reads `config.json`'s `server` with it.
pub fn string_field(object_text: &str, key: &str) -> Option<String> {
    let [raw] = fields(object_text, [key])?;
    text(raw?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_reads_its_server() {
        let server = |text| string_field(text, "server");
        assert_eq!(
            server(r#"{"server": "wss://signal.example/ws", "x": [1]}"#).as_deref(),
            Some("wss://signal.example/ws")
        );
        assert_eq!(server(r#" {"other":"x"} "#), None);
        assert_eq!(server(r#"{"server":null}"#), None);
        assert_eq!(server(r#"{"server":5}"#), None);
        assert_eq!(server(r#"{"server":"a","server":"b"}"#), None);
        assert_eq!(server("<!doctype html><html>"), None);
        assert_eq!(server(r#"["wss://signal.example/ws"]"#), None);
    }
}
