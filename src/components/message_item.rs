//! One message in a conversation.

use super::avatar::avatar;
use super::status_bar::copy_text;
use super::transfers::FileEntry;
use crate::context::{use_client, use_state, ClientHandle};
use crate::i18n::{t, tf, K};
use crate::state::ChatState;
use crate::web::acted::{acted, Acted};
use crate::web::clock::local_time;
use crate::web::focus;
use leptos::either::Either;
use leptos::prelude::*;
use natter_model::conversation::reactions::REACTIONS;
use natter_model::conversation::reply::{quote, split, Quote};
use natter_model::conversation::{Delivery, Message};
use natter_model::emoji::is_few_emoji;
use natter_model::linkify::{segments, Segment};
use natter_model::talk::{Conversations, Talk};

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
    // A reply shows its quote apart, a button to the line it answers.
    let quote = message.reply_to.clone().zip(split(&message.text)).map(|(to, (quote, _))| view! {
        <button type="button" class="quote" data-act="quote" data-arg=to title=t(K::ShowOriginal)>{quote.to_owned()}</button>
    });
    // A deleted line says so in words, instead of what it said; an edited one says when.
    let deleted = message.deleted();
    let words = if deleted { t(K::MessageDeleted) } else { message.words() };
    let edited = message.edited.as_deref().filter(|_| !deleted).map(|at| {
        let at =
            tf(K::EditedAt, &[("time", &local_time(at).map(|at| at.clock()).unwrap_or_default())]);
        let title = at.clone();
        view! {
            <small class="edited" title=title>
                <span aria-hidden="true">{t(K::Edited)}</span>
                <span class="visually-hidden">{at}</span>
            </small>
        }
    });
    // A file has its own buttons, a missed call its own line: only text lines take actions.
    let actions = (missed.is_none() && !is_file && !deleted).then(|| actions(&message));
    let body = match message.file {
        Some(file) => {
            let outgoing = message.outgoing;
            let from = message.from.clone();
            Either::Left(view! { <FileEntry talk from name=message.text file outgoing /> })
        }
        None => Either::Right(view! {
            {quote.filter(|_| !deleted)}
            <p class="text" class:emoji=is_few_emoji(words) class:deleted=deleted>{linked(words)}</p>
            {edited}
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
            {actions}
        </li>
    })
}

/// What can be done with a line, all real buttons named after whose line it is: reply,
/// react (a few emoji behind a disclosure), copy; below, the reactions so far, each
/// with how many and who, pressed if ours (a press takes ours back or adds it). Shown on
/// hover or focus by CSS; the list's one listener ([`act`]) reads their `data-act`.
fn actions(message: &Message) -> impl IntoView {
    let who = [("from", message.from.as_str())];
    let me = use_state().me().unwrap_or_default();
    let tally = message.reactions.each().map(|(emoji, names)| {
        let (count, names) = (names.len().to_string(), names.join(", "));
        let label = tf(K::ReactionBy, &[("emoji", emoji), ("n", &count), ("names", &names)]);
        let mine = message.reactions.has(emoji, &me).to_string();
        let shown = [emoji, " ", &count].concat();
        view! {
            <button type="button" class="reaction" data-act="react" data-arg=emoji.to_owned()
                aria-pressed=mine title=names aria-label=label>{shown}</button>
        }
    });
    let picker = REACTIONS.iter().map(|&emoji| view! {
        <button type="button" data-act="react" data-arg=emoji aria-label=tf(K::ReactWith, &[("emoji", emoji)])>{emoji}</button>
    });
    view! {
        <div class="reactions">{tally.collect_view()}</div>
        <div class="actions">
            <button type="button" data-act="reply" aria-label=tf(K::ReplyTo, &who)>{t(K::Reply)}</button>
            <details class="react">
                <summary aria-label=tf(K::ReactTo, &who)>{t(K::React)}</summary>
                <div class="picker">{picker.collect_view()}</div>
            </details>
            <button type="button" data-act="copy" aria-label=tf(K::CopyOf, &who)>{t(K::Copy)}</button>
            {message.editable().then(|| view! {
                <button type="button" data-act="edit" aria-label=t(K::EditYours)>{t(K::Edit)}</button>
                // Deleting asks first: the button behind the disclosure does it.
                <details class="delete">
                    <summary aria-label=t(K::DeleteYours)>{t(K::Delete)}</summary>
                    <div class="picker">
                        <span>{t(K::ReallyDelete)}</span>
                        <button type="button" class="danger" data-act="delete">{t(K::DeleteForEveryone)}</button>
                    </div>
                </details>
            })}
        </div>
    }
}

/// The list's one click listener for every message's actions: reply (the composer shows
/// the quote and takes the keyboard), react, copy, edit (the composer takes the words),
/// delete, or show the line a quote stands for.
pub fn act(
    talk: StoredValue<Talk>,
    client: ClientHandle,
    state: ChatState,
    event: &web_sys::Event,
) {
    let Some(Acted { act, arg, id }) = acted(event) else { return };
    if act == "quote" {
        return focus::show_message(&arg);
    }
    if act == "react" {
        return talk.with_value(|talk| client.get_value().react(talk.as_deref(), &id, &arg));
    }
    let find = |all: &Conversations| {
        let conversation = talk.with_value(|talk| all.get(talk.as_deref()))?;
        conversation.messages().iter().rev().find(|m| m.id == id).cloned()
    };
    let Some(message) = state.conversations.with_untracked(find) else { return };
    if act == "delete" {
        return talk.with_value(|talk| client.get_value().edit(talk.as_deref(), &id, None));
    }
    if act == "edit" {
        return edit(state, talk.get_value(), &message);
    }
    if act == "copy" {
        let words = message.words().to_owned();
        return copy_text(state, words, t(K::Copied), t(K::CopyFailed).to_owned());
    }
    let quote = Quote { id, from: message.from, text: quote(&message.text) };
    state.editing.set(None);
    state.replying.set(Some((talk.get_value(), quote)));
    focus::focus_first(".message-input");
}

/// The composer of `talk` takes our line `message` to edit, and the keyboard.
pub fn edit(state: ChatState, talk: Talk, message: &Message) {
    let quote =
        Quote { id: message.id.clone(), from: message.from.clone(), text: message.words().into() };
    state.replying.set(None);
    state.editing.set(Some((talk, quote)));
    focus::focus_first(".message-input");
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
