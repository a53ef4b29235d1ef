//! The messages of a conversation: the newest few dozen drawn, earlier ones on request
//! (a conversation may hold ten thousand), with a line above each day's first message and
//! one above the first unread. The view follows new lines while it is at the end; a person
//! reading older lines stays where they are, told how many came below.

use super::message_item::{act, MessageItem, Row};
use crate::context::{use_client, use_state};
use crate::i18n::{lang, plural, t, K};
use crate::web::clock::{local_time, today};
use crate::web::focus;
use leptos::ev::FocusEvent;
use leptos::html::Ol;
use leptos::prelude::*;
use natter_model::conversation::{Conversation, Message};
use natter_model::grouping::joins_group;
use natter_model::talk::Talk;
use natter_model::time::day_label;
use wasm_bindgen::JsCast;

/// Messages drawn at first, and added by each "Show earlier messages".
const PAGE: usize = 60;
/// How close to the end (px) the view still counts as at the end.
const END_SLACK: i32 = 48;

/// The messages of the conversation `talk`, newest at the bottom, kept in view as they
/// come while the view is at the end.
#[component]
pub fn MessageList(talk: StoredValue<Talk>) -> impl IntoView {
    let (state, client) = (use_state(), use_client());
    let list = NodeRef::<Ol>::new();
    let read = move |read: fn(&Conversation) -> usize| {
        talk.with_value(|talk| {
            state.conversations.with(|all| all.get(talk.as_deref()).map_or(0, read))
        })
    };
    let total = move || read(|c| c.messages().len());
    // Enough drawn to show the first unread line.
    let unread_from = untrack(move || {
        read(|c| {
            let seq = c.divider();
            let at = seq.and_then(|seq| c.messages().iter().rposition(|m| m.seq == seq));
            at.map_or(0, |at| c.messages().len() - at)
        })
    });
    let shown = RwSignal::new(PAGE.max(unread_from + PAGE / 4));
    let rows = move || {
        let today = today();
        talk.with_value(|talk| {
            state.conversations.with(|all| {
                let Some(conversation) = all.get(talk.as_deref()) else { return Vec::new() };
                let messages = conversation.messages();
                let from = messages.len().saturating_sub(shown.get());
                rows(&messages[from..], conversation.divider(), today)
            })
        })
    };
    let earlier = move || total().saturating_sub(shown.get());
    let trimmed = move || read(|c| usize::from(c.trimmed())) > 0;
    // Whether the view is at the end (as the last scroll left it), and the lines from the
    // peer that came since it was not.
    let at_end = StoredValue::new(true);
    let below = RwSignal::new(0usize);
    let to_end = move || {
        if let Some(list) = list.get_untracked() {
            list.set_scroll_top(list.scroll_height());
        }
    };
    let scrolled = move |_| {
        let Some(list) = list.get_untracked() else { return };
        let end = list.scroll_height() - list.scroll_top() - list.client_height() <= END_SLACK;
        at_end.set_value(end);
        if end && below.get_untracked() > 0 {
            below.set(0);
        }
    };
    // Opened, the view shows the first unread line, else the end; then it follows new lines
    // while at the end (or when they are ours), and counts the peer's while not.
    let next = StoredValue::new(None::<u64>);
    Effect::new(move || {
        let Some(list) = list.get() else { return };
        let since = next.get_value();
        let (upto, theirs, ours) = talk.with_value(|talk| {
            state.conversations.with(|all| {
                let messages =
                    all.get(talk.as_deref()).map(Conversation::messages).unwrap_or_default();
                let upto = messages.last().map_or(0, |m| m.seq + 1);
                // From the end: a conversation may hold ten thousand.
                let new = messages.iter().rev().take_while(|m| since.is_some_and(|s| m.seq >= s));
                let (mut theirs, mut ours) = (0, false);
                for message in new {
                    ours |= message.outgoing;
                    theirs += usize::from(!message.outgoing && !message.notice);
                }
                (upto, theirs, ours)
            })
        });
        next.set_value(Some(upto));
        match since {
            None => request_animation_frame(move || {
                match list.query_selector(".unread-divider").ok().flatten() {
                    Some(divider) => list.set_scroll_top(top_of(&divider) - END_SLACK),
                    None => to_end(),
                }
            }),
            Some(since) if upto > since => {
                if ours || at_end.get_value() {
                    request_animation_frame(to_end);
                } else if theirs > 0 {
                    below.update(|n| *n += theirs);
                }
            }
            // Cleared, or started afresh for another identity: nothing to read above.
            Some(since) if upto < since => {
                at_end.set_value(true);
                below.set(0);
            }
            Some(_) => {}
        }
    });
    let jump = move |_| {
        to_end();
        below.set(0);
        if let Some(list) = list.get_untracked() {
            drop(list.focus());
        }
    };
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
    // Reachable by keyboard (it scrolls; Up and Down go from message to message), and named; new messages are said by the
    // announcer, not by this list (it would say the whole history again on each redraw).
    view! {
        <ol class="messages" node_ref=list tabindex="0" aria-label=t(K::ConversationHistory)
            on:focusin=focus_in on:focusout=focus_out on:scroll=scrolled
            on:click=move |event| act(talk, client, state, &event)
            on:keydown=move |event| focus::step_message(&event)>
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
            // A row is drawn anew when its reactions, its proof's mark (a relayed line
            // checked) or its edit change.
            <For
                each=rows
                key=|row| (row.message.seq, row.message.delivery, row.message.recipients.reached(), row.grouped, row.divider, row.message.reactions.encode(), row.message.proof.mark(), row.message.edited.clone())
                let:row
            >
                <MessageItem talk row />
            </For>
            {move || (below.get() > 0).then(|| view! {
                <li class="below">
                    <button type="button" on:click=jump>
                        {plural(K::NewBelowOne, K::NewBelowOther, below.get())}
                    </button>
                </li>
            })}
        </ol>
    }
}

/// Where `element` starts in the list's scrolled content (px).
fn top_of(element: &web_sys::Element) -> i32 {
    element.unchecked_ref::<web_sys::HtmlElement>().offset_top()
}

/// The rows for `messages`, each day named above its first message, seen on `today`, the
/// message `divider` marked as the first unread, and each message marked if it joins the
/// group of the one before.
fn rows(messages: &[Message], divider: Option<u64>, today: Option<chrono::NaiveDate>) -> Vec<Row> {
    let mut last_day = None;
    let mut previous = None;
    messages
        .iter()
        .map(|message| {
            let local = local_time(&message.time);
            let day = local.map(|local| local.day);
            let starts_day = day.is_some() && day != last_day;
            last_day = day.or(last_day);
            let first_unread = divider == Some(message.seq);
            let grouped = !first_unread
                && previous
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
                divider: first_unread,
            }
        })
        .collect()
}
