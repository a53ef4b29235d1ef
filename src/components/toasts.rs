//! Short notices in a corner.

use crate::context::use_state;
use leptos::prelude::*;

/// Shows the current notices; each goes away by itself.
#[component]
pub fn Toasts() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || state.notices.with(|all| all.shown().to_vec()) key=|notice| notice.id let:notice>
                <p class="toast">{notice.text}</p>
            </For>
        </div>
    }
}
