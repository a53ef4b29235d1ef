//! Who is typing in a conversation: the person, or who in the room (always there, empty
//! and hidden while nobody types: a live region is heard when it fills).

use crate::context::use_state;
use crate::i18n::lang;
use leptos::prelude::*;
use natter_model::talk::Talk;
use natter_model::typing::who_is_typing;

/// "bob is typing…" above the conversation `talk`'s messages; in the room, "bob and carol
/// are typing…".
#[component]
pub fn TypingNote(talk: StoredValue<Talk>) -> impl IntoView {
    let state = use_state();
    let words = move || {
        talk.with_value(|talk| match talk {
            Talk::With(peer) => state
                .typing
                .with(|all| all.get(peer).and_then(|_| who_is_typing(lang(), &[peer.as_str()]))),
            Talk::Room => state.room_typing.with(|all| {
                let names: Vec<&str> = all.names().collect();
                who_is_typing(lang(), &names)
            }),
        })
    };
    view! { <p class="typing muted" aria-live="polite">{move || words().unwrap_or_default()}</p> }
}
