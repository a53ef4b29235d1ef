//! A conversation's avatar: a person's initial on their colour, or the room's sign.

use leptos::prelude::*;
use natter_model::people::{colour, initial};
use natter_model::talk::Talk;

/// `talk`'s avatar: the person's initial on their colour, or the room's own sign. (The
/// colour is set through the CSSOM: a `style` attribute is refused under a strict CSP.)
pub fn avatar(talk: Talk<&str>) -> impl IntoView {
    let (sign, colour) = match talk {
        Talk::Room => ("#".to_owned(), "var(--accent)"),
        Talk::With(name) => (initial(name), colour(name)),
    };
    view! {
        <span class="avatar" aria-hidden="true" style:background=colour>
            {sign}
        </span>
    }
}
