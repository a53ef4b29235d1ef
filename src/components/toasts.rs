//! Short notices in a corner.

use crate::app::use_state;
use leptos::prelude::*;

/// Shows the current notices; each goes away by itself.
#[component]
pub fn Toasts() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || state.toasts.get() key=|toast| toast.id let:toast>
                <p class="toast">{toast.text}</p>
            </For>
        </div>
    }
}
