//! Writing a message: the text area (Enter sends, Shift+Enter starts a new line), its
//! length limit said before sending, attaching files or pasting them; editing our line.

use super::message_item::edit;
use super::transfers::AttachButton;
use crate::context::{use_client, use_state};
use crate::i18n::{t, tf, K};
use leptos::ev::{ClipboardEvent, KeyboardEvent, SubmitEvent};
use leptos::html::Textarea;
use leptos::prelude::*;
use natter_model::talk::{Conversations, Talk};
use natter_protocol::MAX_TEXT_CHARS;

/// The composer for the conversation `talk`.
#[component]
pub fn Composer(talk: StoredValue<Talk>) -> impl IntoView {
    let client = use_client();
    let draft = RwSignal::new(String::new());
    // Opening a conversation takes the keyboard to its composer (`autofocus` works only
    // once per page, at load).
    let input = NodeRef::<Textarea>::new();
    Effect::new(move || {
        if let Some(input) = input.get() {
            request_animation_frame(move || drop(input.focus()));
        }
    });
    // Said before sending, never cut: a text over the limit stays in the composer.
    let too_long = move || draft.with(|text| text.chars().nth(MAX_TEXT_CHARS).is_some());
    // Our line being edited here, if any (see a message's "Edit"): the composer takes its
    // words, and saving sends them as its edit.
    let state = use_state();
    let editing = move || state.editing.get().filter(|(to, _)| talk.with_value(|talk| to == talk));
    // An edit begun takes the words, one ended (saved, cancelled, a reply begun) leaves none.
    let was_editing = StoredValue::new(false);
    Effect::new(move || match editing() {
        Some((_, line)) => {
            was_editing.set_value(true);
            draft.set(line.text);
        }
        None if was_editing.get_value() => {
            was_editing.set_value(false);
            draft.set(String::new());
        }
        None => {}
    });
    let send = move || {
        if too_long() {
            return;
        }
        let (client, text) = (client.get_value(), draft.get_untracked());
        match untrack(editing) {
            Some((talk, line)) => client.edit(talk.as_deref(), &line.id, Some(&text)),
            None => client.send(&text),
        }
        state.editing.set(None);
        draft.set(String::new());
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };
    // Enter sends, unless Shift is held (a new line) or an input method is composing a
    // character (229: Safari's Enter that ends a composition). Up in an empty composer edits
    // our last line; Escape leaves an edit (and only that: else it leaves the conversation).
    let key = move |event: KeyboardEvent| {
        let composing = event.is_composing() || event.key_code() == 229;
        let key = event.key();
        if key == "Enter" && !event.shift_key() && !composing {
            event.prevent_default();
            send();
        } else if key == "Escape" && untrack(editing).is_some() {
            event.stop_propagation();
            state.editing.set(None);
        } else if key == "ArrowUp" && draft.with_untracked(String::is_empty) {
            let last = talk.with_value(|talk| {
                let last = |all: &Conversations| all.get(talk.as_deref())?.last_editable().cloned();
                state.conversations.with_untracked(last).map(|line| (talk.clone(), line))
            });
            if let Some((talk, line)) = last {
                event.prevent_default();
                edit(state, talk, &line);
            }
        }
    };
    // Files on the clipboard (a copied image, a screenshot) are offered, not pasted: to the
    // person, or in the room to everyone.
    let peer = talk.with_value(|talk| talk.person().map(|peer| StoredValue::new(peer.to_owned())));
    let paste = move |event: ClipboardEvent| {
        let files = event.clipboard_data().and_then(|data| data.files());
        if let Some(files) = files.filter(|files| files.length() > 0) {
            event.prevent_default();
            talk.with_value(|talk| client.get_value().send_files(talk.as_deref(), files));
        }
    };
    // Our line edited here, or the line a text sent here will answer (see a message's
    // "Reply"), said above, with a button to let it go.
    let note = move || {
        let reply = state.replying.get().filter(|(to, _)| talk.with_value(|talk| to == talk));
        let (said, quote, cancel) = match (editing(), reply) {
            (Some(_), _) => (t(K::EditingYours).to_owned(), None, K::CancelEdit),
            (None, Some((_, quote))) => {
                (tf(K::ReplyingTo, &[("from", &quote.from)]), Some(quote.text), K::CancelReply)
            }
            (None, None) => return None,
        };
        let let_go = move |_| match cancel {
            K::CancelEdit => state.editing.set(None),
            _ => state.replying.set(None),
        };
        Some(view! {
            <p class="replying" id="composer-note">
                <span>{said}</span>
                {quote.map(|quote| view! { <q>{quote}</q> })}
                <button type="button" class="ghost" aria-label=t(cancel) on:click=let_go>"×"</button>
            </p>
        })
    };
    view! {
        {note}
        {move || too_long().then(|| view! {
            <p id="composer-error" class="error composer-error" role="alert">
                {tf(K::TooLongToSend, &[
                    ("count", &draft.with(|text| text.chars().count()).to_string()),
                    ("max", &MAX_TEXT_CHARS.to_string()),
                ])}
            </p>
        })}
        <form class="composer" on:submit=submit>
            <AttachButton talk />
            <textarea
                node_ref=input
                class="message-input"
                rows="1"
                placeholder=move || match peer {
                    None => t(K::MessageEveryone).to_owned(),
                    Some(peer) => tf(K::MessageTo, &[("peer", &peer.get_value())]),
                }
                aria-label=t(K::Message)
                aria-invalid=move || too_long().to_string()
                aria-describedby="composer-error composer-note"
                autocomplete="off"
                autofocus
                bind:value=draft
                on:input=move |_| client.get_value().typing()
                on:keydown=key
                on:paste=paste
            ></textarea>
            <button type="submit" class="primary">
                {move || t(if editing().is_some() { K::Save } else { K::Send })}
            </button>
        </form>
    }
}
