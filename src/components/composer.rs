//! Writing a message: the input, its length limit said before sending, attaching files.

use super::transfers::AttachButton;
use crate::context::use_client;
use crate::state::ROOM;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use natter_protocol::MAX_TEXT_CHARS;

/// The composer for the conversation with `peer`.
#[component]
pub fn Composer(peer: StoredValue<String>) -> impl IntoView {
    let client = use_client();
    let draft = RwSignal::new(String::new());
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
    view! {
        {move || too_long().then(|| view! {
            <p id="composer-error" class="error composer-error" role="alert">
                {format!(
                    "Too long to send: {} characters, a message holds at most {MAX_TEXT_CHARS}.",
                    draft.with(|text| text.chars().count()),
                )}
            </p>
        })}
        <form class="composer" on:submit=submit>
            // Files go to one person: the room's composer has no attach button.
            {(peer.with_value(|peer| peer != ROOM)).then(|| view! { <AttachButton peer /> })}
            <input
                type="text"
                class="message-input"
                placeholder=move || match peer.get_value() {
                    room if room == ROOM => "Message everyone here".to_owned(),
                    peer => format!("Message {peer}"),
                }
                aria-label="Message"
                aria-invalid=move || too_long().to_string()
                aria-describedby="composer-error"
                autocomplete="off"
                autofocus
                bind:value=draft
                on:input=move |_| client.get_value().typing()
            />
            <button type="submit" class="primary">
                "Send"
            </button>
        </form>
    }
}
