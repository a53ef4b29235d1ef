//! The room's own conversation: what is written there goes to everyone present.

use super::composer::Composer;
use super::conversation_head::{room_title, ConversationHead};
use super::leaving::escape_leaves;
use super::message_list::MessageList;
use super::room_call::RoomCallBanner;
use super::typing_note::TypingNote;
use crate::context::use_state;
use crate::i18n::{t, K};
use leptos::prelude::*;
use natter_model::talk::Talk;

/// The room's messages and a composer that writes to everyone present.
#[component]
pub fn RoomView() -> impl IntoView {
    let state = use_state();
    let talk = StoredValue::new(Talk::Room);
    view! {
        <section class="conversation room" aria-label=move || room_title(state)
            on:keydown=move |event| escape_leaves(state, &event, Talk::Room)>
            <ConversationHead talk />
            <RoomCallBanner />
            <p class="room-hint muted">
                {t(K::RoomHint)}
            </p>
            <TypingNote talk />
            <MessageList talk />
            <Composer talk />
        </section>
    }
}
