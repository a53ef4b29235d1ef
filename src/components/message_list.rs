//! The messages of a conversation: the newest few dozen drawn, earlier ones on request
//! (a conversation may hold ten thousand), with a line above each day's first message.

use super::message_item::{MessageItem, Row};
use crate::context::use_state;
use crate::i18n::{lang, plural, t, K};
use crate::web::clock::{local_time, today};
use crate::web::focus;
use leptos::ev::FocusEvent;
use leptos::html::Ol;
use leptos::prelude::*;
use natter_model::conversation::{Conversation, Message};
use natter_model::grouping::joins_group;
use natter_model::time::day_label;
use wasm_bindgen::JsCast;

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
    // A message's buttons are drawn anew as its file goes from phase to phase: the focus
    // stays with the message (on its first control, else on the list).
    let holding = StoredValue::new(None::<String>);
    let focus_in = move |event: FocusEvent| {
        let item = event_target::<web_sys::Element>(&event).closest("li[data-id]").ok().flatten();
        holding.set_value(Some(
            item.and_then(|item| item.get_attribute("data-id")).unwrap_or_default(),
        ));
    };
    let focus_out = move |event: FocusEvent| {
        let to = event.related_target().and_then(|to| to.dyn_into::<web_sys::Node>().ok());
        if to.is_some_and(|to| !list.get_untracked().is_some_and(|list| list.contains(Some(&to)))) {
            holding.set_value(None);
        }
    };
    Effect::new(move || {
        total();
        state.transfers.with(|all| all.iter().for_each(|entry| entry.view.track()));
        focus::after_redraw(move || {
            // The list may be gone by then (logged out): nothing to hold.
            let Some(id) = holding.try_get_value().flatten().filter(|_| focus::lost()) else {
                return;
            };
            let on_item = !id.is_empty()
                && focus::focus_inside("li[data-id]", "data-id", &id, "button, a[href]");
            if !on_item {
                if let Some(list) = list.get_untracked() {
                    drop(list.focus());
                }
            }
        });
    });
    // Reachable by keyboard (it scrolls), and named; new messages are said by the
    // announcer, not by this list (it would say the whole history again on each redraw).
    view! {
        <ol class="messages" node_ref=list tabindex="0" aria-label=t(K::ConversationHistory)
            on:focusin=focus_in on:focusout=focus_out>
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
