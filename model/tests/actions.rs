//! Actions on a message: replies quote the line they answer, reactions are counted with
//! who chose them and toggled, and both are kept with the message.

use natter_model::conversation::reactions::{Reactions, REACTIONS};
use natter_model::conversation::reply::{quote, quoted, split, MAX_QUOTE_CHARS};
use natter_model::conversation::Conversation;
use natter_model::i18n::Lang;
use natter_protocol::ChatLine;

fn line(id: &str, text: &str, reply_to: Option<&str>) -> ChatLine {
    ChatLine {
        time: "t".into(),
        message: text.into(),
        name: "bob".into(),
        id: Some(id.into()),
        reply_to: reply_to.map(Into::into),
        edited: None,
    }
}

#[test]
fn a_reply_carries_its_quote_in_the_text_and_splits_back() {
    let text = quoted(&quote("see you\n  at  noon"), "fine");
    assert_eq!(text, "> see you at noon\nfine");
    assert_eq!(split(&text), Some(("see you at noon", "fine")));
    assert_eq!(split("> no line break"), None);
    assert_eq!(split("plain"), None);
    // A reply to a reply quotes the words of the one answered, not its quote.
    assert_eq!(quote(&text), "fine");
}

#[test]
fn a_long_line_is_quoted_cut_with_an_ellipsis() {
    let long = "é".repeat(MAX_QUOTE_CHARS + 5);
    let cut = quote(&long);
    assert_eq!(cut.chars().count(), MAX_QUOTE_CHARS + 1);
    assert!(cut.ends_with('…'));
    assert_eq!(quote(&"a".repeat(MAX_QUOTE_CHARS)), "a".repeat(MAX_QUOTE_CHARS));
}

#[test]
fn reactions_count_who_chose_each_and_toggle() {
    let mut reactions = Reactions::default();
    assert!(reactions.set("👍", "alice", true));
    assert!(reactions.set("👍", "bob", true));
    assert!(reactions.set("😂", "bob", true));
    assert!(!reactions.set("👍", "bob", true), "twice is once");
    assert!(!reactions.set("🍕", "bob", true), "only the offered emoji");
    let tally: Vec<_> = reactions.each().map(|(e, who)| (e.to_owned(), who.to_vec())).collect();
    assert_eq!(
        tally,
        [("👍".into(), vec!["alice".to_owned(), "bob".into()]), ("😂".into(), vec!["bob".into()])]
    );
    assert!(reactions.has("😂", "bob") && !reactions.has("😂", "alice"));
    assert!(reactions.set("😂", "bob", false));
    assert!(!reactions.set("😂", "bob", false));
    assert_eq!(reactions.each().count(), 1, "an emoji nobody keeps goes");
    assert_eq!(Reactions::decode(&reactions.encode()), reactions);
    assert_eq!(Reactions::decode(""), Reactions::default());
    assert_eq!(REACTIONS.len(), 6);
}

#[test]
fn a_conversation_keeps_replies_and_reactions_on_its_lines() {
    let mut chat = Conversation::default();
    chat.receive("bob", line("1", "hi", None), true, Lang::En);
    chat.write(line("2", "> hi\nhello", Some("1")));
    assert_eq!(chat.messages()[1].reply_to.as_deref(), Some("1"));
    assert_eq!(chat.messages()[1].line().reply_to.as_deref(), Some("1"));
    assert_eq!(chat.messages()[1].words(), "hello");
    chat.receive("bob", line("3", "> not a reply\nreally", None), true, Lang::En);
    assert_eq!(chat.messages()[2].words(), "> not a reply\nreally", "no quote without replyTo");
    chat.take_changes();
    assert!(chat.react("1", "alice", "❤️", true));
    assert!(!chat.react("9", "alice", "❤️", true), "no such line");
    assert_eq!(chat.take_changes().saved, [chat.messages()[0].seq], "the line is saved anew");
    assert!(chat.messages()[0].reactions.has("❤️", "alice"));
    chat.note("bob left".into(), "t".into());
    let notice = chat.messages()[3].id.clone();
    assert!(!chat.react(&notice, "alice", "❤️", true), "the app's notes take none");
}
