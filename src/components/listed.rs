//! Who the people list holds and in what order, and each conversation's last line as the
//! list shows it.

use super::reach::reach_of;
use crate::i18n::lang;
use crate::state::ChatState;
use crate::web::clock::{local_time, now_ms, today};
use chrono::NaiveDate;
use leptos::prelude::*;
use natter_model::conversation::{Conversation, Message};
use natter_model::people::{order, said, Last, Person};
use natter_model::talk::Talk;
use natter_model::time::day_label;

/// The room's own conversation on top, then, latest conversation first, those the server
/// lists, those we talked with (kept from history too), and those we are connected to (the
/// server may not list them yet after an outage).
pub fn listed(state: ChatState) -> Vec<Talk> {
    let mut names: Vec<String> =
        state.users.with(|users| users.iter().map(|user| user.user_name.clone()).collect());
    let mut add = |name: &str| {
        if !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    };
    state.conversations.with(|all| {
        for (name, conversation) in all.people() {
            if conversation.last_said().is_some() {
                add(name);
            }
        }
    });
    state.peers.with(|all| {
        for (name, status) in all.names().zip(all.values()) {
            if status.usable() {
                add(name);
            }
        }
    });
    let mut people: Vec<Person> = names
        .into_iter()
        .map(|name| Person {
            reach: reach_of(state, &name),
            last: last_line(state, Talk::With(&name)),
            name,
        })
        .collect();
    order(&mut people);
    let mut listed = vec![Talk::Room];
    listed.extend(people.into_iter().map(|person| Talk::With(person.name)));
    listed
}

/// The last line of the conversation `talk` as the list shows it, if anything was said.
pub fn last_line(state: ChatState, talk: Talk<&str>) -> Option<Last> {
    let (today, now) = (today(), now_ms());
    state.conversations.with(|all| {
        all.get(talk).and_then(Conversation::last_said).map(|m| summary(m, talk, today, now))
    })
}

/// The list's summary of `message` in the conversation `talk`, seen on `today` at `now`
/// (ms).
fn summary(message: &Message, talk: Talk<&str>, today: Option<NaiveDate>, now: f64) -> Last {
    let when = when(&message.time, today);
    // A peer's clock ahead of ours must not keep it on top; an unreadable time (NaN) goes
    // last, as 0. (Not `clamp`: its check formats floats, kilobytes of wasm.)
    let at = js_sys::Date::parse(&message.time);
    Last {
        at_ms: (if at > now { now } else { at }) as i64,
        // Who wrote it, where that is not plain: ours, or someone's in the room.
        preview: said(message, talk.is_room(), lang()),
        when,
    }
}

/// The time `rfc3339` as a list shows it, seen on `today`: the clock if it is today, else
/// the day ("Yesterday", "Mon").
pub fn when(rfc3339: &str, today: Option<NaiveDate>) -> String {
    match (local_time(rfc3339), today) {
        (Some(local), Some(today)) if local.day == today => local.clock(),
        (Some(local), Some(today)) => day_label(local.day, today, lang()),
        _ => String::new(),
    }
}
