//! The messages of a conversation: the newest few dozen drawn, earlier ones on request
//! (a conversation may hold ten thousand), with a line above each day's first message.

use super::message_item::{MessageItem, Row};
use crate::context::use_state;
use crate::i18n::{lang, plural, t, K};
use crate::web::clock::{local_time, today};
use leptos::html::Ol;
use leptos::prelude::*;
use natter_model::conversation::{Conversation, Message};
use natter_model::grouping::joins_group;
use natter_model::time::day_label;

/// Messages drawn at first, and added by each "Show earlier messages".
const PAGE: usize = 60;

/// The messages with `peer`, newest at the bottom, kept in view as they come.
#[component]
pub fn MessageList(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let list = NodeRef::<Ol>::new();
    let shown = RwSignal::new(PAGE);
    let read = move |read: fn(&Conversation) -> usize| {
        peer.with_value(|peer| state.conversations.with(|all| all.get(peer).map_or(0, read)))
    };
    let total = move || read(|c| c.messages().len());
    let rows = move || {
        let today = today();
        peer.with_value(|peer| {
            state.conversations.with(|all| {
                let messages = all.get(peer).map(Conversation::messages).unwrap_or_default();
                let from = messages.len().saturating_sub(shown.get());
                rows(&messages[from..], today)
            })
        })
    };
    let earlier = move || total().saturating_sub(shown.get());
    let trimmed = move || read(|c| usize::from(c.trimmed())) > 0;
    // Keep the newest message in view.
    Effect::new(move || {
        if let (Some(list), true) = (list.get(), total() > 0) {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });
    view! {
        <ol class="messages" node_ref=list aria-live="polite">
            {move || (earlier() > 0).then(|| view! {
                <li class="earlier">
                    <button type="button" class="ghost" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {move || plural(K::ShowEarlierOne, K::ShowEarlierOther, earlier())}
                    </button>
                </li>
            })}
            {move || (trimmed() && earlier() == 0).then(|| view! {
                <li class="trimmed muted">{t(K::OlderNotKept)}</li>
            })}
            <For
                each=rows
                key=|row| (row.message.seq, row.message.delivery, row.message.recipients.reached(), row.grouped)
                let:row
            >
                <MessageItem peer row />
            </For>
        </ol>
    }
}

/// The rows for `messages`, each day named above its first message, seen on `today`, and
/// each message marked if it joins the group of the one before.
fn rows(messages: &[Message], today: Option<chrono::NaiveDate>) -> Vec<Row> {
    let mut last_day = None;
    let mut previous = None;
    messages
        .iter()
        .map(|message| {
            let local = local_time(&message.time);
            let day = local.map(|local| local.day);
            let starts_day = day.is_some() && day != last_day;
            last_day = day.or(last_day);
            let grouped = previous
                .zip(local)
                .is_some_and(|(previous, local)| joins_group(previous, (message, local)));
            previous = local.map(|local| (message, local));
            Row {
                message: message.clone(),
                clock: local.map(|local| local.clock()).unwrap_or_default(),
                day: starts_day
                    .then(|| day.zip(today).map(|(d, t)| day_label(d, t, lang())))
                    .flatten(),
                grouped,
            }
        })
        .collect()
}
