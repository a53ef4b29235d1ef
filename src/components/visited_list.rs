//! The rooms this device has been in, on the first screen, the newest first: one click goes
//! back in under the name used there; each can be taken off the list.

use super::listed::when;
use crate::context::use_client;
use crate::i18n::{plural, t, tf, K};
use crate::web::clock::today;
use crate::web::focus;
use crate::web::visited_rooms;
use leptos::ev::MouseEvent;
use leptos::prelude::*;
use natter_model::visited::Visited;

/// "Your rooms", if there are any. Drawn once and never redrawn (a live list costs
/// kilobytes of wasm): an entry taken off leaves the page, and the list with the last one.
pub fn visited_list() -> impl IntoView {
    let rooms = visited_rooms::all();
    let none = rooms.is_empty();
    let today = today();
    let entries: Vec<_> = rooms.into_iter().map(|visited| entry(visited, today)).collect();
    view! {
        <section class="visited" aria-labelledby="visited-heading" hidden=none>
            <h3 id="visited-heading">{t(K::YourRooms)}</h3>
            <ul>{entries}</ul>
        </section>
    }
}

/// The entry of the room `visited`, its time as seen on `today`.
fn entry(visited: Visited, today: Option<chrono::NaiveDate>) -> impl IntoView {
    let client = use_client();
    let title = match visited.room.is_empty() {
        true => t(K::TheLobbyTitle).to_owned(),
        false => visited.title().to_owned(),
    };
    let Visited { room, me, at, last, unread, .. } = visited;
    let remove_label = tf(K::RemoveRoom, &[("room", &title)]);
    let who = tf(K::AsName, &[("name", &me)]);
    let go = room.clone();
    let enter = move |_| {
        let room = (!go.is_empty()).then(|| go.clone());
        client.get_value().login(room, me.clone(), true);
    };
    let remove = move |event: MouseEvent| {
        visited_rooms::remove(&room);
        take_off(&event_target::<web_sys::Element>(&event));
    };
    let unread_words = match unread {
        0 => String::new(),
        n => plural(K::UnreadOne, K::UnreadOther, n),
    };
    view! {
        <li>
            <button type="button" class="visit" on:click=enter>
                <span class="visit-name">{title}</span>
                <time class="when">{when(&at, today)}</time>
                <span class="about">
                    <span class="as">{who}</span>
                    <span class="preview">{last}</span>
                </span>
                <span class="badge" aria-hidden="true" hidden=unread == 0>{unread}</span>
                <span class="visually-hidden">{unread_words}</span>
            </button>
            <button type="button" class="ghost remove" aria-label=remove_label on:click=remove>"×"</button>
        </li>
    }
}

/// Takes the entry holding `button` off the page, and the list once it is empty; the
/// keyboard goes on to the name field.
fn take_off(button: &web_sys::Element) {
    let list = button.closest(".visited").ok().flatten();
    if let Some(entry) = button.closest("li").ok().flatten() {
        entry.remove();
    }
    if let Some(list) = list.filter(|list| list.query_selector("li").ok().flatten().is_none()) {
        let _ = list.set_attribute("hidden", "");
    }
    focus::focus_first("#login-name");
}
