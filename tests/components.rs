//! Components mounted over a hand-built state, checked by what they render (as Leptos's own
//! examples test theirs).

use leptos::prelude::*;
use natter::components::{MessageBox, UsersList};
use natter::context::provide_chat;
use natter::state::{ChatState, ServerLink};
use natter_model::call::CallKind;
use natter_model::conversation::{Conversation, Delivery, FileRef};
use natter_model::i18n::Lang;
use natter_model::link::{LinkState, PeerStatus, Route};
use natter_model::peer_app::PeerApp;
use natter_model::talk::Talk;
use natter_protocol::{ChatLine, User};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` in a fresh element, with a state `fill` prepares first.
fn mount<V: IntoView + 'static>(
    fill: impl FnOnce(ChatState) + 'static,
    view: impl FnOnce() -> V + 'static,
) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let parent: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&parent).unwrap();
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        let state = ChatState::new(None);
        provide_chat(state);
        fill(state);
        view()
    });
    // The component lives as long as the page: the test reads what it drew.
    handle.forget();
    parent
}

/// The text of every element matching `selector` under `root`.
fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .filter_map(|i| found.get(i))
        .map(|node| node.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

fn user(name: &str) -> User {
    User { id: format!("id-{name}"), user_name: name.into() }
}

fn line(id: &str, text: &str, name: &str) -> ChatLine {
    ChatLine {
        time: "2026-11-30T10:00:00.000Z".into(),
        message: text.into(),
        name: name.into(),
        id: Some(id.into()),
        reply_to: None,
        edited: None,
    }
}

fn connected(app: PeerApp) -> PeerStatus {
    let link = Some(LinkState::Connected);
    PeerStatus { link, route: Some(Route::Direct), chat_open: true, app, ..PeerStatus::default() }
}

#[wasm_bindgen_test]
fn users_list_shows_each_person_with_connection_and_unread_count() {
    let root = mount(
        |state| {
            state.server.set(ServerLink::Online);
            state.users.set(vec![user("bob"), user("carol")]);
            state.peers.update(|peers| peers.insert("bob", connected(PeerApp::Classic)));
            state.conversations.update(|all| {
                let mut chat = Conversation::default();
                chat.receive("carol", line("1", "hi", "carol"), false, Lang::En);
                chat.receive("carol", line("2", "there?", "carol"), false, Lang::En);
                all.insert(Talk::With("carol".into()), chat);
                let mut room = Conversation::default();
                room.receive("bob", line("3", "morning all", "bob"), false, Lang::En);
                all.insert(Talk::Room, room);
            });
        },
        || view! { <UsersList /> },
    );
    // The room's own conversation heads the list, its preview saying who wrote; then carol
    // wrote last: first, with her last words; bob has said nothing to us yet.
    assert_eq!(texts(&root, ".user-name"), ["Everyone in the lobby", "carol", "bob"]);
    assert_eq!(texts(&root, ".presence"), ["everyone here", "online", "online"]);
    assert_eq!(texts(&root, ".preview"), ["bob: morning all", "there?", ""]);
    // Only a connection there is gets its icon, its state in words for screen readers.
    assert_eq!(texts(&root, ".link-state:not([hidden])"), ["connected · direct"]);
    let icon = root.query_selector(".link-state:not([hidden])").unwrap().unwrap();
    assert_eq!(icon.get_attribute("title").as_deref(), Some("Connection: connected · direct"));
    assert_eq!(texts(&root, ".badge"), ["1", "2"], "the room and carol have unread messages");
    assert_eq!(texts(&root, ".avatar"), ["#", "c", "b"]);
    assert!(invite_hidden(&root), "no invitation once people are listed");
}

fn invite_hidden(root: &HtmlElement) -> bool {
    root.query_selector(".invite").unwrap().expect("the invitation").has_attribute("hidden")
}

#[wasm_bindgen_test]
fn users_list_keeps_people_through_an_outage_and_conversations_after_a_leave() {
    let root = mount(
        |state| {
            // The server went away: bob and carol were listed, only bob's chat is up.
            state.server.set(ServerLink::Reconnecting { seconds: 2 });
            state.users.set(vec![user("bob"), user("carol")]);
            state.peers.update(|peers| peers.insert("bob", connected(PeerApp::Natter(None))));
            state.conversations.update(|all| {
                let mut chat = Conversation::default();
                chat.write(line("1", "see you", "alice"));
                chat.note("dave left".into(), "2026-11-30T10:01:00.000Z".into());
                all.insert(Talk::With("dave".into()), chat);
                // Opened once, nothing said: not listed once they are gone.
                all.insert(Talk::With("erin".into()), Conversation::default());
            });
        },
        || view! { <UsersList /> },
    );
    assert_eq!(texts(&root, ".user-name"), ["Everyone in the lobby", "dave", "bob", "carol"]);
    assert_eq!(
        texts(&root, ".presence"),
        ["everyone here", "offline", "online", "unreachable for now"]
    );
    assert_eq!(texts(&root, ".preview"), ["", "You: see you", "", ""], "notes are no preview");
}

#[wasm_bindgen_test]
fn users_list_says_when_nobody_is_here() {
    let root = mount(|_| {}, || view! { <UsersList /> });
    assert!(texts(&root, ".empty")[0].starts_with("Nobody else is here yet"));
    assert!(!invite_hidden(&root), "the invitation shows while nobody else is listed");
    assert_eq!(texts(&root, ".user-name"), ["Everyone in the lobby"], "only the room itself");
}

#[wasm_bindgen_test]
fn message_box_without_a_conversation_asks_to_pick_someone() {
    let root = mount(|_| {}, || view! { <MessageBox /> });
    assert_eq!(texts(&root, ".placeholder p"), ["Pick someone on the left to start talking."]);
}

#[wasm_bindgen_test]
fn message_box_shows_messages_as_text_with_their_delivery() {
    let root = mount(
        |state| {
            state.selected.set(Some(Talk::With("bob".into())));
            state.users.set(vec![user("bob")]);
            state.conversations.update(|all| {
                let mut chat = Conversation::default();
                chat.write(line("a", "hello <b>bob</b>", "alice"));
                chat.sent_to("bob", "a");
                chat.receive(
                    "bob",
                    line("b", "<img src=x onerror=alert(1)>", "bob"),
                    true,
                    Lang::En,
                );
                chat.write(line("c", "still there?", "alice"));
                chat.failed_for("bob", "c");
                all.insert(Talk::With("bob".into()), chat);
            });
        },
        || view! { <MessageBox /> },
    );
    assert_eq!(texts(&root, ".conversation-head h2"), ["bob"]);
    assert_eq!(
        texts(&root, ".message .text"),
        ["hello <b>bob</b>", "<img src=x onerror=alert(1)>", "still there?"]
    );
    assert!(root.query_selector(".message .text b, .message .text img").unwrap().is_none());
    let marks = root.query_selector_all(".message.outgoing").unwrap();
    let delivery: Vec<_> = (0..marks.length())
        .map(|i| marks.get(i).unwrap().unchecked_into::<HtmlElement>().dataset().get("delivery"))
        .collect();
    assert_eq!(delivery, [Some(Delivery::Sent.as_str().into()), Some("failed".into())]);
    assert_eq!(texts(&root, ".message .retry"), ["Retry"]);
}

#[wasm_bindgen_test]
fn message_box_explains_why_a_classic_peer_gets_no_calls_or_files() {
    let root = mount(
        |state| {
            state.selected.set(Some(Talk::With("old".into())));
            state.users.set(vec![user("old")]);
            state.peers.update(|peers| peers.insert("old", connected(PeerApp::Classic)));
        },
        || view! { <MessageBox /> },
    );
    assert_eq!(texts(&root, ".capability-note"), ["old's app only chats: no calls or files."]);
    let buttons = root.query_selector_all(".call-start button").unwrap();
    assert_eq!(buttons.length(), 2);
    for i in 0..buttons.length() {
        let button: web_sys::HtmlButtonElement = buttons.get(i).unwrap().unchecked_into();
        assert!(button.disabled());
        assert_eq!(button.title(), "old's app can't take calls");
    }
    let attach = root.query_selector(".attach").unwrap().unwrap();
    assert_eq!(attach.get_attribute("title").as_deref(), Some("old's app can't take files"));
}

#[wasm_bindgen_test]
fn message_box_links_enlarges_groups_and_keeps_files_in_place() {
    let root = mount(
        |state| {
            state.selected.set(Some(Talk::With("bob".into())));
            state.users.set(vec![user("bob")]);
            state.conversations.update(|all| {
                let mut chat = Conversation::default();
                chat.receive(
                    "bob",
                    line("1", "see https://x.org/a. or javascript:alert(1)", "bob"),
                    true,
                    Lang::En,
                );
                chat.receive("bob", line("2", "🎉👍", "bob"), true, Lang::En);
                let file = FileRef { id: "f".into(), size: 1200, mime: "text/plain".into() };
                chat.offered_file(
                    "bob".into(),
                    "notes.txt".into(),
                    file,
                    line("", "", "").time,
                    true,
                );
                chat.write(line("3", "thanks", "alice"));
                all.insert(Talk::With("bob".into()), chat);
            });
        },
        || view! { <MessageBox /> },
    );
    assert_eq!(
        texts(&root, ".message .text"),
        ["see https://x.org/a. or javascript:alert(1)", "🎉👍", "notes.txt", "thanks"]
    );
    let links = root.query_selector_all(".message .text a").unwrap();
    assert_eq!(links.length(), 1);
    let link: web_sys::Element = links.get(0).unwrap().unchecked_into();
    let attribute = |name| link.get_attribute(name).unwrap_or_default();
    assert_eq!(
        [attribute("href"), attribute("target"), attribute("rel")],
        ["https://x.org/a", "_blank", "noopener noreferrer"]
    );
    assert_eq!(texts(&root, ".message .text.emoji"), ["🎉👍"]);
    // bob's three in a row are one group; ours starts another.
    assert_eq!(texts(&root, ".message.grouped .text"), ["🎉👍", "notes.txt"]);
    // Without a transfer on this page, a file says what is kept of it.
    assert_eq!(texts(&root, ".message.file .file-facts"), ["1.2 KB · text/plain"]);
    assert_eq!(
        texts(&root, ".message.file .file-kept .file-status"),
        ["The file itself is not kept"]
    );
    assert!(texts(&root, ".message.file .transfer").is_empty());
}

#[wasm_bindgen_test]
fn a_login_the_server_removed_is_offline_while_the_list_keeps_it() {
    let root = mount(
        |state| {
            state.server.set(ServerLink::Online);
            state.users.set(vec![user("bob"), user("carol")]);
            state.gone.set(vec![user("bob")]);
        },
        || view! { <UsersList /> },
    );
    assert_eq!(texts(&root, ".user-name"), ["Everyone in the lobby", "carol", "bob"]);
    assert_eq!(texts(&root, ".presence"), ["everyone here", "online", "offline"]);
}

#[wasm_bindgen_test]
fn a_missed_call_says_who_called_and_when_offers_to_call_back_and_is_unread() {
    let root = mount(
        |state| {
            state.selected.set(Some(Talk::With("bob".into())));
            state.users.set(vec![user("bob")]);
            state.conversations.update(|all| {
                let mut chat = Conversation::default();
                let at = line("", "", "").time;
                chat.missed_call("bob", CallKind::Video, "Missed video call".into(), at, false);
                all.insert(Talk::With("bob".into()), chat);
            });
        },
        || view! { <UsersList /> <MessageBox /> },
    );
    assert_eq!(texts(&root, ".user .badge"), ["1"]);
    assert_eq!(texts(&root, ".user .preview"), ["", "Missed video call"]);
    assert_eq!(texts(&root, ".missed-call .avatar"), ["b"]);
    assert_eq!(texts(&root, ".missed-call .from"), ["bob"]);
    assert_eq!(texts(&root, ".missed-call .text"), ["Missed video call"]);
    assert!(!texts(&root, ".missed-call time")[0].is_empty(), "when it rang");
    assert_eq!(texts(&root, ".missed-call button"), ["Call back"]);
}

#[wasm_bindgen_test]
fn the_unread_line_stands_above_the_first_line_unread_when_the_person_looked() {
    let root = mount(
        |state| {
            state.selected.set(Some(Talk::With("bob".into())));
            state.conversations.update(|all| {
                let mut chat = Conversation::default();
                chat.receive("bob", line("1", "read", "bob"), true, Lang::En);
                chat.receive("bob", line("2", "first unread", "bob"), false, Lang::En);
                chat.receive("bob", line("3", "second unread", "bob"), false, Lang::En);
                chat.open();
                chat.mark_read(true);
                all.insert(Talk::With("bob".into()), chat);
            });
        },
        || view! { <MessageBox /> },
    );
    assert_eq!(texts(&root, ".unread-divider"), ["Unread messages"]);
    assert_eq!(texts(&root, ".unread-divider + .message .text"), ["first unread"]);
    // The first unread line shows who wrote it, even in a group.
    assert_eq!(texts(&root, ".message.grouped .text"), ["second unread"]);
}

// The components that act through the engine: the composer, the call panel, the login form,
// the settings (one test binary, one browser: each costs seconds to start).
mod acting;
