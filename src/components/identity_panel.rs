//! Who the peer is: a warning when its identity changed, and the safety codes to compare
//! out of band, with the action to mark it verified (and to clear the conversation).

use crate::context::{use_client, use_state};
use leptos::prelude::*;
use natter_model::identity::PeerIdentity;

/// The peer's identity, as far as the person needs to see it.
#[component]
pub fn IdentityPanel(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let open = RwSignal::new(false);
    let identity =
        move || peer.with_value(|peer| state.identities.with(|all| all.get(peer).cloned()));
    let changed = move || identity().is_some_and(|identity| identity.changed);
    let verified = move || identity().is_some_and(|identity| identity.verified);
    let codes = move || {
        let theirs = identity().and_then(|PeerIdentity { code, .. }| code);
        let waiting = || "…".to_owned();
        (state.my_code.get().unwrap_or_else(waiting), theirs.unwrap_or_else(waiting))
    };
    let verify = move |_| client.get_value().verify(&peer.get_value());
    let clear = move |_| {
        client.get_value().clear_conversation(&peer.get_value());
        open.set(false);
    };
    view! {
        {move || changed().then(|| view! {
            <p class="identity-changed" role="alert">
                {format!("{}'s safety code changed: this may be someone else.", peer.get_value())}
            </p>
        })}
        <div class="identity-bar">
            {move || verified().then(|| view! { <span class="verified">"Verified"</span> })}
            <button type="button" class="ghost" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|open| *open = !*open)>
                "Safety codes"
            </button>
        </div>
        {move || open.get().then(|| {
            let (mine, theirs) = codes();
            view! {
                <section class="identity" aria-label="Safety codes">
                    <p class="muted">
                        {format!(
                            "Compare these with {} in person or on a call: if both match, nobody stands between you.",
                            peer.get_value(),
                        )}
                    </p>
                    <dl>
                        <dt>"Your code"</dt>
                        <dd class="code" data-who="mine">{mine}</dd>
                        <dt>{format!("{}'s code", peer.get_value())}</dt>
                        <dd class="code" data-who="theirs">{theirs}</dd>
                    </dl>
                    {move || (!verified()).then(|| view! {
                        <button type="button" class="primary" on:click=verify>"Mark as verified"</button>
                    })}
                    <button type="button" class="danger" on:click=clear>"Clear this conversation"</button>
                </section>
            }
        })}
    }
}
