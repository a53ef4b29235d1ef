//! One message in a conversation.

use crate::context::use_client;
use leptos::either::Either;
use leptos::prelude::*;
use natter_model::conversation::{Delivery, Message};

/// One row of a conversation: a message, its time of day, and its day's name if it starts one.
#[derive(Clone)]
pub struct Row {
    pub message: Message,
    pub clock: String,
    pub day: Option<String>,
}

/// One message: sender, time, text (as text, never markup) and, for ours, its delivery
/// mark (drawn by CSS, so no font is needed) and, if it failed, a retry button. A notice
/// from the app stands alone. The day's name goes above the day's first message.
#[component]
pub fn MessageItem(peer: StoredValue<String>, row: Row) -> impl IntoView {
    let Row { message, clock, day } = row;
    let day = day.map(|day| view! { <li class="day" role="separator">{day}</li> });
    if message.notice {
        return Either::Left(view! { {day} <li class="notice muted">{message.text}</li> });
    }
    let client = use_client();
    let mark_label = match message.delivery {
        Delivery::Queued => "waiting for the connection",
        Delivery::Failed => "not sent",
        Delivery::Sent => "sent",
        Delivery::Delivered => "delivered",
        Delivery::Read => "read",
    };
    // A line to the room says how many of those it was for have it.
    let reach = (message.outgoing && !message.recipients.is_empty()).then(|| {
        format!("delivered to {} of {}", message.recipients.reached(), message.recipients.len())
    });
    let delivery = message.outgoing.then(|| message.delivery.as_str());
    let failed = message.outgoing && message.delivery == Delivery::Failed;
    let id = message.id.clone();
    let retry = move |_| client.get_value().retry(&peer.get_value(), &id);
    Either::Right(view! {
        {day}
        <li class="message" class:outgoing=message.outgoing data-id=message.id data-delivery=delivery>
            <div class="meta">
                <span class="from">{message.from}</span>
                <time datetime=message.time.clone()>{clock}</time>
            </div>
            <p class="text">{message.text}</p>
            {message.outgoing.then(|| view! {
                <span class="delivery" title=mark_label>
                    <span class="mark" aria-hidden="true"></span>
                    {reach.map(|reach| view! { <span class="reach">{reach}</span> })}
                    {(!failed).then(|| view! { <span class="visually-hidden">{mark_label}</span> })}
                    {failed.then(|| view! {
                        <span class="failed-note">"Not sent"</span>
                        <button type="button" class="retry" on:click=retry>"Retry"</button>
                    })}
                </span>
            })}
        </li>
    })
}
