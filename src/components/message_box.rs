//! One conversation: its messages, its files and the input; files dropped on it are
//! offered to the peer.

use super::transfers::{AttachButton, Transfers};
use crate::app::{use_client, use_state};
use crate::browser::local_clock;
use crate::call::CallKind;
use crate::conversation::{Conversation, Delivery, Message};
use crate::net::peer::LinkState;
use crate::peer_app::PeerApp;
use leptos::either::Either;
use leptos::ev::{DragEvent, SubmitEvent};
use leptos::html::Ol;
use leptos::prelude::*;
use natter_protocol::MAX_TEXT_CHARS;

/// The selected conversation, or a hint to pick someone.
#[component]
pub fn MessageBox() -> impl IntoView {
    let state = use_state();
    move || match state.selected.get() {
        Some(peer) => Either::Left(view! { <Conversation peer /> }),
        None => Either::Right(view! {
            <section class="conversation placeholder">
                <p class="muted">"Pick someone on the left to start talking."</p>
            </section>
        }),
    }
}

/// The messages with `peer`, newest at the bottom, and the input.
#[component]
fn Conversation(peer: String) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let peer = StoredValue::new(peer);
    let draft = RwSignal::new(String::new());
    let list = NodeRef::<Ol>::new();
    let messages = move || {
        peer.with_value(|peer| {
            state
                .conversations
                .with(|all| all.get(peer).map(|c| c.messages().to_vec()).unwrap_or_default())
        })
    };
    let trimmed = move || {
        peer.with_value(|peer| {
            state.conversations.with(|all| all.get(peer).is_some_and(Conversation::trimmed))
        })
    };
    let online = move || {
        peer.with_value(|peer| state.users.with(|users| users.iter().any(|u| &u.user_name == peer)))
    };
    // Keep the newest message in view.
    Effect::new(move || {
        let count = peer.with_value(|peer| {
            state.conversations.with(|all| all.get(peer).map_or(0, |c| c.messages().len()))
        });
        if let (Some(list), true) = (list.get(), count > 0) {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });
    // Said before sending, never cut: a text over the limit stays in the composer.
    let too_long = move || draft.with(|text| text.chars().nth(MAX_TEXT_CHARS).is_some());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if too_long() {
            return;
        }
        client.get_value().send(&draft.get_untracked());
        draft.set(String::new());
    };
    let back = move |_| state.selected.set(None);
    let dragging = RwSignal::new(false);
    let drag_over = move |event: DragEvent| {
        if carries_files(&event) {
            // Without this the browser would open the file instead of dropping it here.
            event.prevent_default();
            dragging.set(true);
        }
    };
    let drop_files = move |event: DragEvent| {
        dragging.set(false);
        if let Some(files) = event.data_transfer().and_then(|data| data.files()) {
            event.prevent_default();
            client.get_value().send_files(&peer.get_value(), files);
        }
    };
    view! {
        <section
            class="conversation"
            class:dragging=dragging
            aria-label=move || format!("Conversation with {}", peer.get_value())
            data-drop-hint=format!("Drop files to send them to {}", peer.get_value())
            on:dragover=drag_over
            on:dragleave=move |_| dragging.set(false)
            on:drop=drop_files
        >
            <header class="conversation-head">
                <button type="button" class="ghost back" on:click=back aria-label="Back to the list">
                    "‹"
                </button>
                <h2>{peer.get_value()}</h2>
                {move || (!online()).then(|| view! { <span class="muted">" · offline"</span> })}
                <CallButtons peer=peer.get_value() />
            </header>
            <ol class="messages" node_ref=list aria-live="polite">
                {move || trimmed().then(|| view! { <li class="trimmed muted">"Older messages are no longer kept."</li> })}
                <For each=messages key=|message| (message.id.clone(), message.delivery) let:message>
                    <MessageItem peer message />
                </For>
            </ol>
            <Transfers peer />
            {move || too_long().then(|| view! {
                <p id="composer-error" class="error composer-error" role="alert">
                    {format!(
                        "Too long to send: {} characters, a message holds at most {MAX_TEXT_CHARS}.",
                        draft.with(|text| text.chars().count()),
                    )}
                </p>
            })}
            <form class="composer" on:submit=submit>
                <AttachButton peer />
                <input
                    type="text"
                    class="message-input"
                    placeholder=move || format!("Message {}", peer.get_value())
                    aria-label="Message"
                    aria-invalid=move || too_long().to_string()
                    aria-describedby="composer-error"
                    autocomplete="off"
                    autofocus
                    bind:value=draft
                />
                <button type="submit" class="primary">
                    "Send"
                </button>
            </form>
        </section>
    }
}

/// Whether a drag carries files (not text dragged into the input).
fn carries_files(event: &DragEvent) -> bool {
    event.data_transfer().is_some_and(|data| data.types().includes(&"Files".into(), 0))
}

/// One message: sender, time, text (as text, never markup) and, for ours, its delivery
/// mark (drawn by CSS, so no font is needed) and, if it failed, a retry button.
#[component]
fn MessageItem(peer: StoredValue<String>, message: Message) -> impl IntoView {
    if message.notice {
        return Either::Left(view! { <li class="notice muted">{message.text}</li> });
    }
    let client = use_client();
    let mark_label = match message.delivery {
        Delivery::Queued => "waiting for the connection",
        Delivery::Failed => "not sent",
        Delivery::Sent => "sent",
        Delivery::Delivered => "delivered",
    };
    let delivery = message.outgoing.then(|| message.delivery.as_str());
    let failed = message.outgoing && message.delivery == Delivery::Failed;
    let id = message.id.clone();
    let retry = move |_| client.get_value().retry(&peer.get_value(), &id);
    Either::Right(view! {
        <li class="message" class:outgoing=message.outgoing data-id=message.id data-delivery=delivery>
            <div class="meta">
                <span class="from">{message.from}</span>
                <time datetime=message.time.clone()>{local_clock(&message.time)}</time>
            </div>
            <p class="text">{message.text}</p>
            {message.outgoing.then(|| view! {
                <span class="delivery" title=mark_label>
                    <span class="mark" aria-hidden="true"></span>
                    {(!failed).then(|| view! { <span class="visually-hidden">{mark_label}</span> })}
                    {failed.then(|| view! {
                        <span class="failed-note">"Not sent"</span>
                        <button type="button" class="retry" on:click=retry>"Retry"</button>
                    })}
                </span>
            })}
        </li>
    })
}

/// Voice and video call buttons, while the chat channel is open and no call is under way;
/// disabled, with the reason beside them, when the peer's app cannot take a call.
#[component]
fn CallButtons(peer: String) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let peer = StoredValue::new(peer);
    let status = move || peer.with_value(|peer| state.peers.with(|all| all.get(peer).copied()));
    let can_call = move || {
        // Not over a connection that is lost, even before its channel notices.
        let open = status().is_some_and(|p| p.chat_open && p.link == Some(LinkState::Connected));
        open && state.call.with(Option::is_none)
    };
    let app = move || status().map(|p| p.app).unwrap_or_default();
    let why_not = move || app().calls().err().map(|why| why.explain(&peer.get_value(), "calls"));
    let call = move |kind| client.get_value().start_call(&peer.get_value(), kind);
    move || {
        can_call().then(|| {
            let why = why_not();
            let note = match app() {
                PeerApp::Classic => {
                    Some(format!("{}'s app only chats: no calls or files.", peer.get_value()))
                }
                _ => why.clone(),
            };
            let disabled = why.is_some();
            view! {
                <span class="call-start">
                    <span class="capability-note muted">{note}</span>
                    <button type="button" disabled=disabled title=why.clone()
                        on:click=move |_| call(CallKind::Voice)>"Voice call"</button>
                    <button type="button" disabled=disabled title=why
                        on:click=move |_| call(CallKind::Video)>"Video call"</button>
                </span>
            }
        })
    }
}
