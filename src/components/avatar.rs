//! A conversation's avatar: a person's initial on their colour, or the room's sign.

use crate::state::ROOM;
use leptos::prelude::*;
use natter_model::people::{colour, initial};

/// `name`'s initial on its colour; the room's conversation has a sign of its own. (The
/// colour is set through the CSSOM: a `style` attribute is refused under a strict CSP.)
pub fn avatar(name: &str) -> impl IntoView {
    let (sign, colour) = match name {
        ROOM => ("#".to_owned(), "var(--accent)"),
        name => (initial(name), colour(name)),
    };
    view! {
        <span class="avatar" aria-hidden="true" style:background=colour>
            {sign}
        </span>
    }
}
