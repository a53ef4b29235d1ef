//! One message in a conversation.

use super::avatar::avatar;
use super::transfers::FileEntry;
use crate::context::use_client;
use crate::i18n::{t, tf, K};
use leptos::either::Either;
use leptos::prelude::*;
use natter_model::conversation::{Delivery, Message};
use natter_model::emoji::is_few_emoji;
use natter_model::linkify::{segments, Segment};
use natter_model::talk::Talk;

/// One row of a conversation: a message, its time of day, its day's name if it starts one,
/// whether it joins the group of the message before, and whether it is the first unread.
#[derive(Clone)]
pub struct Row {
    pub message: Message,
    pub clock: String,
    pub day: Option<String>,
    pub grouped: bool,
    pub divider: bool,
}

/// One message: sender, time, text (as text, never markup: only web links are links; one
/// to three emoji alone show larger) and, for ours, its delivery mark (drawn by CSS, so no
/// font is needed) and, if it failed, a retry button; or a file offered, in its place. A
/// message joining the group of the one before shows neither name nor time (the time is
/// its tooltip), and ours never show our name: CSS hides both from sight only, and screen
/// readers still say who wrote each. A notice from the app stands alone; a call we missed
/// says who called (their avatar beside the name) and when, and offers to call back. The
/// day's name goes above the day's first message, the "unread" line above the first
/// unread.
#[component]
pub fn MessageItem(talk: StoredValue<Talk>, row: Row) -> impl IntoView {
    let Row { message, clock, day, grouped, divider } = row;
    let day = day.map(|day| view! { <li class="day">{day}</li> });
    let day =
        (day, divider.then(|| view! { <li class="unread-divider">{t(K::UnreadDivider)}</li> }));
    if message.notice {
        return Either::Left(view! { {day} <li class="notice muted">{message.text}</li> });
    }
    let client = use_client();
    let missed = message.missed_call;
    let mark_label = t(match message.delivery {
        Delivery::Queued => K::WaitingForConnection,
        Delivery::Failed => K::NotSentMark,
        Delivery::Sent => K::SentMark,
        Delivery::Delivered => K::DeliveredMark,
        Delivery::Read => K::ReadMark,
    });
    // A line to the room says how many of those it was for have it.
    let reach = (message.outgoing && !message.recipients.is_empty()).then(|| {
        let (reached, all) = (message.recipients.reached(), message.recipients.len());
        tf(K::DeliveredToOf, &[("n", &reached.to_string()), ("total", &all.to_string())])
    });
    // A line passed on by another member and not checked against its author's key says so,
    // in words, below its text (a grouped line hides its name, never this).
    let proof = message.proof.mark();
    let relayed = message.proof.relayer().map(|by| {
        let why = tf(K::RelayedWhy, &[("peer", by), ("author", &message.from)]);
        view! { <p class="unverified" title=why>{tf(K::RelayedUnverified, &[("peer", by)])}</p> }
    });
    let is_file = message.file.is_some();
    let marked = message.outgoing && !is_file;
    let delivery = marked.then(|| message.delivery.as_str());
    let failed = marked && message.delivery == Delivery::Failed;
    let id = message.id.clone();
    let retry = move |_| talk.with_value(|talk| client.get_value().retry(talk.as_deref(), &id));
    let body = match message.file {
        Some(file) => {
            let outgoing = message.outgoing;
            let from = message.from.clone();
            Either::Left(view! { <FileEntry talk from name=message.text file outgoing /> })
        }
        None => Either::Right(view! {
            <p class="text" class:emoji=is_few_emoji(&message.text)>{linked(&message.text)}</p>
            {relayed}
            {marked.then(|| view! {
                <span class="delivery" title=mark_label>
                    <span class="mark" aria-hidden="true"></span>
                    {reach.map(|reach| view! { <span class="reach">{reach}</span> })}
                    {(!failed).then(|| view! { <span class="visually-hidden">{mark_label}</span> })}
                    {failed.then(|| view! {
                        <span class="failed-note">{t(K::NotSent)}</span>
                        <button type="button" class="retry" on:click=retry>{t(K::Retry)}</button>
                    })}
                </span>
            })}
            // A missed call is a person's.
            {missed.map(|kind| {
                let call_back = move |_| {
                    let client = client.get_value();
                    talk.with_value(|talk| client.start_call(talk.person().unwrap_or_default(), kind))
                };
                view! { <button type="button" class="call-back" on:click=call_back>{t(K::CallBack)}</button> }
            })}
        }),
    };
    let tooltip = clock.clone();
    Either::Right(view! {
        {day}
        <li class="message" class:outgoing=message.outgoing class:grouped=grouped class:file=is_file
            class:missed-call=missed.is_some() data-id=message.id data-delivery=delivery data-proof=proof title=tooltip>
            <div class="meta">
                {missed.map(|_| avatar(Talk::With(&message.from)))}
                <span class="from">{message.from}</span>
                <time datetime=message.time.clone()>{clock}</time>
            </div>
            {body}
        </li>
    })
}

/// `text` with its web links as links, opening in a new tab that learns nothing of this
/// page; everything else as text.
fn linked(text: &str) -> impl IntoView {
    let piece = |piece| match piece {
        Segment::Text(text) => Either::Left(text.to_owned()),
        Segment::Link(url) => Either::Right(view! {
            <a href=url.to_owned() target="_blank" rel="noopener noreferrer">{url.to_owned()}</a>
        }),
    };
    segments(text).into_iter().map(piece).collect_view()
}
