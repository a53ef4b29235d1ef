//! Short notices in a corner.

use super::avatar::avatar;
use crate::context::use_state;
use leptos::prelude::*;
use natter_model::talk::Talk;

/// Shows the current notices, each about a person beside their avatar (two people whose
/// names look alike differ in it); each goes away by itself.
#[component]
pub fn Toasts() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            // Three notices at most: drawn anew when they change, no keyed list needed.
            {move || state.notices.with(|all| {
                all.shown().iter().map(|notice| view! {
                    <p class="toast">{notice.about.as_deref().map(|about| avatar(Talk::With(about)))}{notice.text.clone()}</p>
                }).collect_view()
            })}
        </div>
    }
}
