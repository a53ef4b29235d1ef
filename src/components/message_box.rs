//! The open conversation: its messages and files, and the composer; files dropped on it
//! are offered to the peer.

use super::composer::Composer;
use super::conversation_head::ConversationHead;
use super::identity_panel::IdentityPanel;
use super::leaving::escape_leaves;
use super::message_list::MessageList;
use super::reach::WaitingNote;
use super::room_view::RoomView;
use super::typing_note::TypingNote;
use crate::context::{use_client, use_state};
use crate::i18n::{lang, t, tf, K};
use leptos::either::EitherOf3;
use leptos::ev::DragEvent;
use leptos::prelude::*;
use natter_model::talk::Talk;

/// The selected conversation (a person's or the room's), or a hint to pick one.
#[component]
pub fn MessageBox() -> impl IntoView {
    let state = use_state();
    move || match state.selected.get() {
        Some(Talk::Room) => EitherOf3::A(view! { <RoomView /> }),
        Some(Talk::With(peer)) => EitherOf3::B(view! { <ConversationView peer /> }),
        None => EitherOf3::C(view! {
            <section class="conversation placeholder">
                <p class="muted">{t(K::PickSomeone)}</p>
            </section>
        }),
    }
}

/// The messages and files with `peer`, newest at the bottom, and the composer.
#[component]
fn ConversationView(peer: String) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let talk = StoredValue::new(Talk::With(peer.clone()));
    let peer = StoredValue::new(peer);
    let unreachable = move || {
        peer.with_value(|peer| state.peers.with(|all| all.get(peer).and_then(|p| p.unreachable)))
    };
    let retry = move |_| client.get_value().reconnect_peer(&peer.get_value());
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
            peer.with_value(|peer| client.get_value().send_files(Talk::With(peer), files));
        }
    };
    view! {
        <section
            class="conversation"
            class:dragging=dragging
            aria-label=move || tf(K::ConversationWith, &[("peer", &peer.get_value())])
            data-drop-hint=tf(K::DropToSend, &[("peer", &peer.get_value())])
            on:dragover=drag_over
            on:dragleave=move |_| dragging.set(false)
            on:drop=drop_files
            on:keydown=move |event| peer.with_value(|peer| escape_leaves(state, &event, Talk::With(peer)))
        >
            <ConversationHead talk />
            {move || unreachable().map(|why| view! {
                <p class="unreachable" role="alert">
                    {why.explain(lang(), &peer.get_value())}
                    <button type="button" on:click=retry>{t(K::TryAgain)}</button>
                </p>
            })}
            <IdentityPanel peer />
            <TypingNote talk />
            <MessageList talk />
            <WaitingNote peer />
            <Composer talk />
        </section>
    }
}

/// Whether a drag carries files (not text dragged into the input).
fn carries_files(event: &DragEvent) -> bool {
    event.data_transfer().is_some_and(|data| data.types().includes(&"Files".into(), 0))
}
