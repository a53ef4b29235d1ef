//! Links in a message's text: http and https only, and punctuation around them left out.

use natter_model::linkify::{segments, Segment, Segment::Link, Segment::Text};

fn split(text: &str) -> Vec<Segment<'_>> {
    segments(text)
}

#[test]
fn text_without_links_is_one_piece() {
    assert_eq!(split("hello there"), [Text("hello there")]);
    assert_eq!(split(""), []);
    assert_eq!(split("http is a protocol, https too"), [Text("http is a protocol, https too")]);
}

#[test]
fn http_and_https_addresses_become_links_in_place() {
    assert_eq!(
        split("see https://x.org/a?b=1&c#d now"),
        [Text("see "), Link("https://x.org/a?b=1&c#d"), Text(" now")]
    );
    assert_eq!(split("http://127.0.0.1:9000/"), [Link("http://127.0.0.1:9000/")]);
    assert_eq!(split("HTTPS://X.ORG"), [Link("HTTPS://X.ORG")]);
    assert_eq!(
        split("two: https://a.b\nhttp://c.d"),
        [Text("two: "), Link("https://a.b"), Text("\n"), Link("http://c.d")]
    );
    assert_eq!(split("http://[::1]:80/"), [Link("http://[::1]:80/")]);
    assert_eq!(split("ünï https://é.fr/ü"), [Text("ünï "), Link("https://é.fr/ü")]);
}

#[test]
fn other_schemes_are_never_links() {
    for text in [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://x.org/file",
        "file:///etc/passwd",
        "vbscript:msgbox",
    ] {
        assert_eq!(split(text), [Text(text)], "{text}");
    }
}

#[test]
fn half_addresses_and_addresses_inside_words_are_not_links() {
    for text in ["https://", "http:// x", "https:///path", "xhttps://x.org", "9http://x.org"] {
        assert_eq!(split(text), [Text(text)], "{text}");
    }
}

#[test]
fn trailing_punctuation_stays_out_of_the_link() {
    assert_eq!(split("see https://x.org/a."), [Text("see "), Link("https://x.org/a"), Text(".")]);
    assert_eq!(split("https://x.org/a?!"), [Link("https://x.org/a"), Text("?!")]);
    assert_eq!(split("'https://x.org', ok"), [Text("'"), Link("https://x.org"), Text("', ok")]);
    assert_eq!(split("<https://x.org>"), [Text("<"), Link("https://x.org"), Text(">")]);
    assert_eq!(split("\"https://x.org\""), [Text("\""), Link("https://x.org"), Text("\"")]);
    assert_eq!(split("https://x.org/a.b"), [Link("https://x.org/a.b")]);
}

#[test]
fn brackets_close_the_link_unless_it_opened_them() {
    assert_eq!(split("(https://x.org/a)"), [Text("("), Link("https://x.org/a"), Text(")")]);
    assert_eq!(
        split("(see https://en.wikipedia.org/wiki/Rust_(language))."),
        [Text("(see "), Link("https://en.wikipedia.org/wiki/Rust_(language)"), Text(").")]
    );
    assert_eq!(split("[https://x.org/a[1]]"), [Text("["), Link("https://x.org/a[1]"), Text("]")]);
}
