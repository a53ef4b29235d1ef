//! The components that hold logic (the composer, the call panel, the login form, the
//! settings), mounted with the engine: what a person does there reaches the engine, and
//! what that changes shows. Nothing here reaches a server or a peer.

mod support;

use leptos::prelude::*;
use natter::components::{Chat, Login, MessageBox, Settings};
use natter::state::{ChatState, LoginState};
use natter_model::call::{Call, CallKind, CallPhase};
use natter_model::conversation::Delivery;
use natter_model::talk::Talk;
use natter_protocol::{MAX_ROOM_CHARS, MAX_TEXT_CHARS};
use support::{click, find, has, mount, press, redrawn, texts, type_into, Mounted};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// Logged in as alice, with the conversation `talk` on screen (bob is not online: what is
/// written waits for him).
fn talking(talk: Talk) -> impl FnOnce(ChatState) {
    move |state: ChatState| {
        state.login.set(LoginState::LoggedIn { name: "alice".into() });
        state.selected.set(Some(talk));
    }
}

fn delivery(root: &HtmlElement) -> Vec<Option<String>> {
    let marks = root.query_selector_all(".message.outgoing").unwrap();
    (0..marks.length())
        .map(|i| marks.get(i).unwrap().unchecked_into::<HtmlElement>().dataset().get("delivery"))
        .collect()
}

#[wasm_bindgen_test]
async fn the_composer_sends_on_enter_and_starts_a_new_line_on_shift_enter() {
    let Mounted { root, .. } =
        mount(talking(Talk::With("bob".into())), || view! { <MessageBox /> });
    let input: HtmlTextAreaElement = find(&root, ".message-input");
    assert_eq!(input.placeholder(), "Message bob");
    assert!(has(&root, ".composer .attach"), "files go to a person");

    type_into(&root, ".message-input", "hello");
    assert!(press(&root, ".message-input", "Enter", true), "Shift+Enter is the browser's");
    // The browser's new line; had Shift+Enter sent, "hello" would be a message of its own.
    type_into(&root, ".message-input", "hello\nbob");
    assert!(!press(&root, ".message-input", "Enter", false), "Enter is the composer's");
    redrawn().await;
    assert_eq!(texts(&root, ".message .text"), ["hello\nbob"]);
    assert_eq!(delivery(&root), [Some(Delivery::Queued.as_str().into())], "bob is not here");
    assert_eq!(input.value(), "", "the composer is empty again");

    type_into(&root, ".message-input", "  ");
    click(&root, "Send");
    type_into(&root, ".message-input", "and again");
    click(&root, "Send");
    redrawn().await;
    assert_eq!(texts(&root, ".message .text"), ["hello\nbob", "and again"], "blank goes nowhere");
}

#[wasm_bindgen_test]
async fn the_composer_says_a_text_is_too_long_and_keeps_it() {
    let Mounted { root, .. } =
        mount(talking(Talk::With("bob".into())), || view! { <MessageBox /> });
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    type_into(&root, ".message-input", &long);
    redrawn().await;
    let said = format!(
        "Too long to send: {} characters, a message holds at most {MAX_TEXT_CHARS}.",
        MAX_TEXT_CHARS + 1
    );
    assert_eq!(texts(&root, "#composer-error"), [said]);
    let input: HtmlTextAreaElement = find(&root, ".message-input");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));

    press(&root, ".message-input", "Enter", false);
    click(&root, "Send");
    redrawn().await;
    assert_eq!(input.value(), long, "never cut, never lost");
    type_into(&root, ".message-input", "short");
    press(&root, ".message-input", "Enter", false);
    redrawn().await;
    assert_eq!(texts(&root, ".message .text"), ["short"], "the long one never went");
    assert!(texts(&root, "#composer-error").is_empty(), "the limit is said while over it");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn the_rooms_composer_writes_and_offers_files_to_everyone() {
    let Mounted { root, .. } = mount(talking(Talk::Room), || view! { <MessageBox /> });
    let input: HtmlTextAreaElement = find(&root, ".message-input");
    assert_eq!(input.placeholder(), "Message everyone here");
    // Each person's place in the offer says whether they can take it: the button is open.
    let picker: HtmlInputElement = find(&root, ".composer .attach input");
    assert!(!picker.disabled(), "files go to everyone");

    type_into(&root, ".message-input", "hi all");
    press(&root, ".message-input", "Enter", false);
    redrawn().await;
    assert_eq!(texts(&root, ".message .text"), ["hi all"]);
    // Nobody else is here: nobody to wait for.
    assert_eq!(delivery(&root), [Some(Delivery::Sent.as_str().into())]);
}

/// Logged in as alice, with bob's conversation on screen and `call` under way.
fn in_call(call: Call) -> impl FnOnce(ChatState) {
    move |state: ChatState| {
        talking(Talk::With("bob".into()))(state);
        state.call.set(Some(call));
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
async fn the_call_panel_asks_about_an_incoming_call_and_declining_leaves_a_line() {
    let call = Call::incoming("bob", CallKind::Video, now());
    let Mounted { root, state, .. } = mount(in_call(call), || view! { <Chat /> });
    assert_eq!(texts(&root, ".call.incoming p"), ["bob is calling (video call)"]);
    assert_eq!(texts(&root, ".call.incoming button"), ["Accept", "Decline"]);

    click(&root, "Decline");
    redrawn().await;
    assert_eq!(texts(&root, ".notice"), ["Declined video call"]);
    assert!(!has(&root, ".call"), "the question went with the call");
    assert!(state.call.with_untracked(Option::is_none));
}

#[wasm_bindgen_test]
async fn the_call_panel_says_whom_we_ring_and_cancels() {
    let Mounted { root, .. } =
        mount(in_call(Call::ring("bob", CallKind::Voice, now())), || view! { <Chat /> });
    assert_eq!(texts(&root, ".call.ringing p"), ["Calling bob…"]);
    click(&root, "Cancel");
    redrawn().await;
    assert_eq!(texts(&root, ".notice"), ["Voice call · Cancelled"]);
    assert!(!has(&root, ".call"));
}

#[wasm_bindgen_test]
async fn the_call_panel_shows_the_call_its_switches_and_hangs_up() {
    let mut call = Call::ring("bob", CallKind::Video, now());
    call.accepted_by_peer(now());
    call.remote.muted = true;
    call.remote.camera_off = true;
    let Mounted { root, state, .. } = mount(in_call(call), || view! { <Chat /> });
    assert_eq!(texts(&root, ".call.active .call-peer"), ["bob"]);
    assert_eq!(texts(&root, ".call-time"), ["Call duration0:00"]);
    assert_eq!(texts(&root, ".remote-state"), ["bob is muted · bob's camera is off"]);
    let no_video: HtmlElement = find(&root, ".no-video.remote");
    assert!(!no_video.hidden(), "bob's initial stands in for his video");

    click(&root, "Mute");
    redrawn().await;
    let mute: HtmlElement = find(&root, ".call-buttons button[aria-pressed='true']");
    assert_eq!(mute.text_content().unwrap(), "Unmute");
    assert!(state.call.with_untracked(|call| call.as_ref().unwrap().local.muted));

    click(&root, "Minimise video");
    redrawn().await;
    assert!(has(&root, ".call.active.minimised"));
    assert!(texts(&root, ".call-buttons button").contains(&"Show video".to_owned()));

    click(&root, "Hang up");
    redrawn().await;
    assert_eq!(texts(&root, ".notice"), ["Video call · 0:00"]);
    assert!(!has(&root, ".call"));
    assert_eq!(state.call.with_untracked(|c| c.as_ref().map(|c| c.phase)), None::<CallPhase>);
}

/// Whether each of the login form's two sets of choices is hidden: the invitation's, and
/// the first screen's.
fn hidden_choices(root: &HtmlElement) -> Vec<bool> {
    let choices = root.query_selector_all(".choices").unwrap();
    (0..choices.length())
        .map(|i| choices.get(i).unwrap().unchecked_into::<HtmlElement>().hidden())
        .collect()
}

#[wasm_bindgen_test]
async fn leaving_the_page_hangs_up_the_call() {
    let mut call = Call::ring("bob", CallKind::Voice, now());
    call.accepted_by_peer(now());
    let Mounted { root, state, client } = mount(in_call(call), || view! { <Chat /> });
    client.get_value().leave_page();
    redrawn().await;
    assert_eq!(texts(&root, ".notice"), ["Voice call · 0:00"]);
    assert!(!has(&root, ".call"));
    assert!(state.call.with_untracked(Option::is_none));
}

#[wasm_bindgen_test]
async fn the_login_form_says_why_a_name_or_room_is_refused() {
    let Mounted { root, state, .. } = mount(|_| {}, || view! { <Login /> });
    assert_eq!(hidden_choices(&root), [true, false], "no invitation: every way in");
    assert_eq!(texts(&root, "#login-error"), [""]);

    click(&root, "Join the lobby");
    redrawn().await;
    let refused = texts(&root, "#login-error");
    assert!(refused[0].contains("empty"), "{refused:?}");
    let name: HtmlInputElement = find(&root, "#login-name");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));

    type_into(&root, "#login-name", "alice");
    type_into(&root, "#room-name", &"r".repeat(MAX_ROOM_CHARS + 1));
    click(&root, "Enter room");
    redrawn().await;
    let refused = texts(&root, "#login-error");
    assert!(refused[0].contains("too long"), "{refused:?}");
    assert!(matches!(state.login.get_untracked(), LoginState::LoggedOut { error: Some(_) }));
}

#[wasm_bindgen_test]
async fn the_login_form_of_an_invitation_only_asks_for_a_name() {
    let Mounted { root, state, .. } =
        mount(|state| state.room.set(Some("den".into())), || view! { <Login /> });
    assert_eq!(hidden_choices(&root), [false, true], "the invitation's choice, not the others");
    assert_eq!(texts(&root, ".choices .muted")[0], "You are joining the room “den”.");

    state.login.set(LoginState::LoggingIn);
    redrawn().await;
    let join: web_sys::HtmlButtonElement = find(&root, ".choices button[type='submit']");
    assert_eq!((join.text_content().unwrap(), join.disabled()), ("Joining…".into(), true));
}

#[wasm_bindgen_test]
async fn the_login_form_offers_to_take_over_a_name_another_tab_holds() {
    let Mounted { root, .. } =
        mount(|state| state.open_elsewhere.set(Some("alice".into())), || view! { <Login /> });
    redrawn().await;
    assert_eq!(find::<HtmlInputElement>(&root, "#login-name").value(), "alice");
    assert!(!find::<HtmlElement>(&root, ".use-here").hidden());
}

#[wasm_bindgen_test]
async fn the_settings_offer_notifications_say_what_is_kept_and_ask_before_forgetting() {
    let Mounted { root, state, .. } =
        mount(|state| state.notifications.set(Some(false)), || view! { <Settings /> });
    assert_eq!(find::<HtmlSelectElement>(&root, "#language").value(), "en");
    assert!(texts(&root, "button").contains(&"Notify me of new messages".to_owned()));
    assert_eq!(
        texts(&root, ".menu-panel p.muted"),
        ["Conversations and the files you receive are kept on this device only, never on a server, in as much space as the browser grants; so are files on their way, either way, until they arrive, for a reload. Remove a file with its Remove button, a conversation from its menu, or everything below."]
    );

    state.notifications.set(Some(true));
    state.history_off.set(Some("No history in a private window".into()));
    redrawn().await;
    assert!(!texts(&root, "button").contains(&"Notify me of new messages".to_owned()));
    assert_eq!(
        texts(&root, ".menu-panel p.muted"),
        [
            "Notifications are on for messages that come while this tab is hidden.",
            "No history in a private window"
        ]
    );

    // The first press only asks (a second would forget everything and reload the page).
    click(&root, "Forget everything on this device");
    redrawn().await;
    assert!(texts(&root, "button").contains(&"Really forget everything?".to_owned()));
}
