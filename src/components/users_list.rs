//! The room's own conversation, then the people in the room and those we talked with:
//! whether each can be reached, in words, the latest conversation first, with the first
//! words of its last message.

use super::avatar::avatar;
use super::reach::reach_of;
use super::room_view::room_title;
use super::status_bar::copy_link;
use crate::context::{use_client, use_state};
use crate::i18n::{lang, plural, t, tf, K};
use crate::state::ChatState;
use crate::web::clock::{local_time, now_ms, today};
use crate::web::focus;
use crate::web::page::page_href;
use chrono::NaiveDate;
use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::html::Nav;
use leptos::prelude::*;
use natter_model::conversation::{Conversation, Message};
use natter_model::link::PeerStatus;
use natter_model::people::{order, preview, Last, Person};
use natter_model::talk::Talk;
use natter_model::time::day_label;
use wasm_bindgen::JsCast;

/// One entry as drawn. It is drawn anew whenever anything in it changes (its `key` says
/// all it shows): a handful of entries of a few elements each, simpler (and less wasm)
/// than a live part per field.
#[derive(Clone, PartialEq, Eq)]
struct Row {
    /// A `String` key shares the transfers' keyed diff.
    key: String,
    /// The conversation it opens.
    talk: Talk,
    /// How the person can be reached, as a stable word ("room" for the room's entry).
    reach: &'static str,
    last: Option<Last>,
    /// The name shown (the room's entry has a title of its own).
    title: String,
    /// Under the name: whether the person can be reached, in words, or who the room's
    /// conversation goes to.
    about: &'static str,
    unread: usize,
    /// The connection's key and words ([`PeerStatus::key`], [`PeerStatus::describe`]).
    link: (&'static str, String),
    selected: bool,
}

/// Everyone listed; a click opens the conversation.
#[component]
pub fn UsersList() -> impl IntoView {
    let state = use_state();
    let rows = Memo::new(move |_| rows(state));
    let nav = NodeRef::<Nav>::new();
    // Just logged in, the keyboard starts on the list (on the open conversation, if any).
    Effect::new(move || {
        if nav.get().is_some() {
            focus::after_redraw(move || {
                if focus::lost() {
                    let _ = focus::focus_first(".users .user.selected")
                        || focus::focus_first(".users .user");
                }
            });
        }
    });
    // An entry is drawn anew when anything in it changes: the focus stays on it.
    let holding = StoredValue::new(None::<String>);
    let focus_in = move |event: FocusEvent| {
        let entry = event_target::<web_sys::Element>(&event).closest(".user").ok().flatten();
        holding.set_value(entry.and_then(|entry| entry.get_attribute("data-name")));
    };
    let focus_out = move |event: FocusEvent| {
        let inside =
            |to: &web_sys::Node| nav.get_untracked().is_some_and(|nav| nav.contains(Some(to)));
        if event
            .related_target()
            .and_then(|to| to.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|to| !inside(&to))
        {
            holding.set_value(None);
        }
    };
    Effect::new(move || {
        rows.track();
        focus::after_redraw(move || {
            // The list may be gone by then (logged out): nothing to hold.
            if let Some(name) = holding.try_get_value().flatten().filter(|_| focus::lost()) {
                focus::focus_where(".users .user", "data-name", &name);
            }
        });
    });
    view! {
        <nav class="users" aria-labelledby="users-heading" node_ref=nav
            on:focusin=focus_in on:focusout=focus_out
            // Opening a conversation takes the focus to its composer.
            on:click=move |_| holding.set_value(None)>
            <h2 id="users-heading">{t(K::People)}</h2>
            <div class="invite" hidden=move || rows.with(|rows| rows.len() > 1)>
                <p class="muted empty">{t(K::NobodyHere)}</p>
                <p class="share">
                    <code class="share-link">{page_href()}</code>
                    <button type="button" on:click=move |_| copy_link(state)>{t(K::Copy)}</button>
                </p>
            </div>
            <ul>
                <For each=move || rows.get() key=|row| row.key.clone() let:row>
                    <PersonItem row />
                </For>
            </ul>
        </nav>
    }
}

/// Who is listed: the room's own conversation on top, then those the server lists, those
/// we talked with (kept from history too), and those we are connected to (the server may
/// not list them yet after an outage).
fn rows(state: ChatState) -> Vec<Row> {
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
    let (today, now) = (today(), now_ms());
    let last_of = |talk: Talk<&str>| {
        state.conversations.with(|all| {
            all.get(talk).and_then(Conversation::last_said).map(|m| last(m, talk, today, now))
        })
    };
    let mut people: Vec<Person> = names
        .into_iter()
        .map(|name| Person {
            reach: reach_of(state, &name),
            last: last_of(Talk::With(&name)),
            name,
        })
        .collect();
    order(&mut people);
    let selected = state.selected.get();
    let (title, last) = (room_title(state), last_of(Talk::Room));
    let room = row(state, Talk::Room, title, t(K::EveryoneHere), "room", last, &selected);
    let mut rows = vec![room];
    rows.extend(people.into_iter().map(|Person { name, reach, last }| {
        let (about, key) = (reach.words(lang()), reach.key());
        row(state, Talk::With(name.clone()), name, about, key, last, &selected)
    }));
    rows
}

/// The entry of the conversation `talk`: its `title`, `about` under it, its `reach` (a
/// stable word), its `last` message, and whether it is the one `selected`.
fn row(
    state: ChatState,
    talk: Talk,
    title: String,
    about: &'static str,
    reach: &'static str,
    last: Option<Last>,
    selected: &Option<Talk>,
) -> Row {
    let status = talk.person().and_then(|peer| state.peers.with(|all| all.get(peer).copied()));
    let unread =
        state.conversations.with(|all| all.get(talk.as_deref()).map_or(0, Conversation::unread));
    let selected = selected.as_ref() == Some(&talk);
    let link = (PeerStatus::key(status.as_ref()), PeerStatus::describe(status.as_ref(), lang()));
    let (words, when) = last.as_ref().map_or(("", ""), |l| (l.preview.as_str(), l.when.as_str()));
    let key = format!(
        "{}\n{title}\n{about}\n{reach}\n{}\n{words}\n{when}\n{unread}\n{selected}",
        talk.person().unwrap_or_default(),
        link.1
    );
    Row { key, talk, title, about, reach, last, unread, link, selected }
}

/// The list's summary of `message` in the conversation `talk`, seen on `today` at `now`
/// (ms).
fn last(message: &Message, talk: Talk<&str>, today: Option<NaiveDate>, now: f64) -> Last {
    let when = match (local_time(&message.time), today) {
        (Some(local), Some(today)) if local.day == today => local.clock(),
        (Some(local), Some(today)) => day_label(local.day, today, lang()),
        _ => String::new(),
    };
    let words = preview(&message.text);
    // A peer's clock ahead of ours must not keep it on top; an unreadable time (NaN) goes
    // last, as 0. (Not `clamp`: its check formats floats, kilobytes of wasm.)
    let at = js_sys::Date::parse(&message.time);
    Last {
        at_ms: (if at > now { now } else { at }) as i64,
        // Who wrote it, where that is not plain: ours, or someone's in the room.
        preview: match (message.outgoing, talk.is_room()) {
            (true, _) => tf(K::YouWrote, &[("text", &words)]),
            (false, true) => format!("{}: {words}", message.from),
            (false, false) => words,
        },
        when,
    }
}

/// One person (or the room): avatar, name, whether they can be reached, the last message's
/// first words and time, the connection as a small icon (its state in the tooltip, none
/// before there is one), unread count.
#[component]
fn PersonItem(row: Row) -> impl IntoView {
    let client = use_client();
    let Row { talk, title, about, reach, last, unread, link, selected, .. } = row;
    let (link, link_words) = link;
    let tooltip = tf(K::ConnectionIs, &[("state", &link_words)]);
    let Last { preview, when, .. } = last.unwrap_or_default();
    // An entry is found by its person's name (focus, tests); the room's has an empty one.
    let name = talk.person().unwrap_or_default().to_owned();
    let icon = avatar(talk.as_deref());
    let talk = StoredValue::new(talk);
    view! {
        <li>
            <button
                class=if selected { "user selected" } else { "user" }
                aria-current=if selected { "true" } else { "false" }
                // The room's entry has no presence dot or colour of its own ("room").
                data-presence=reach
                data-name=name
                on:click=move |_| talk.with_value(|talk| client.get_value().select(talk.as_deref()))
            >
                {icon}
                <span class="user-name">{title}</span>
                <time class="when">{when}</time>
                <span class="about">
                    <span class="presence">{about}</span>
                    <span class="preview">{preview}</span>
                </span>
                <span class="link-state" data-state=link title=tooltip hidden=link == "none">
                    <span class="visually-hidden">{link_words}</span>
                </span>
                {(unread > 0).then(|| view! {
                    <span class="badge" aria-hidden="true">{unread}</span>
                    <span class="visually-hidden">{plural(K::UnreadOne, K::UnreadOther, unread)}</span>
                })}
            </button>
        </li>
    }
}

/// Leaves the conversation `talk` for the list, the keyboard on its entry.
pub fn back_to_list(state: ChatState, talk: Talk<&str>) {
    state.selected.set(None);
    // An entry is found by its person's name; the room's has an empty one.
    let name = talk.person().unwrap_or_default().to_owned();
    focus::after_redraw(move || {
        focus::focus_where(".users .user", "data-name", &name);
    });
}

/// Escape in the conversation `talk` goes back to the list, unless something in it took
/// the key first (a panel closing) or a draft is being written.
pub fn escape_leaves(state: ChatState, event: &KeyboardEvent, talk: Talk<&str>) {
    let draft = event_target::<web_sys::Element>(event)
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .is_ok_and(|input| !input.value().is_empty());
    if focus::is_escape(event) && !draft {
        event.prevent_default();
        back_to_list(state, talk);
    }
}
