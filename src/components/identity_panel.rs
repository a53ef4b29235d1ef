//! Who the peer is: a warning when its identity changed, and the safety codes to compare
//! out of band, with the action to mark it verified.

use crate::context::{use_client, use_state};
use crate::i18n::{t, tf, K};
use crate::web::focus;
use leptos::ev::KeyboardEvent;
use leptos::html::Button;
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
    let toggle = NodeRef::<Button>::new();
    // Escape closes the codes, the keyboard back on their button.
    let escape = move |event: KeyboardEvent| {
        if focus::is_escape(&event) && open.get_untracked() {
            event.prevent_default();
            open.set(false);
            if let Some(toggle) = toggle.get_untracked() {
                drop(toggle.focus());
            }
        }
    };
    view! {
        {move || changed().then(|| view! {
            <p class="identity-changed" role="alert">
                {tf(K::SafetyCodeChanged, &[("peer", &peer.get_value())])}
            </p>
        })}
        <div class="identity-bar" on:keydown=escape>
            {move || verified().then(|| view! { <span class="verified">{t(K::Verified)}</span> })}
            <button type="button" class="ghost" aria-expanded=move || open.get().to_string()
                aria-controls="safety-codes" node_ref=toggle
                on:click=move |_| open.update(|open| *open = !*open)>
                {t(K::SafetyCodes)}
            </button>
        </div>
        {move || open.get().then(|| {
            let (mine, theirs) = codes();
            view! {
                <section class="identity" id="safety-codes" aria-label=t(K::SafetyCodes) on:keydown=escape>
                    <p class="muted">
                        {tf(K::CompareCodes, &[("peer", &peer.get_value())])}
                    </p>
                    <dl>
                        <dt>{t(K::YourCode)}</dt>
                        <dd class="code" data-who="mine">{mine}</dd>
                        <dt>{tf(K::TheirCode, &[("peer", &peer.get_value())])}</dt>
                        <dd class="code" data-who="theirs">{theirs}</dd>
                    </dl>
                    {move || (!verified()).then(|| view! {
                        <button type="button" class="primary" on:click=verify>{t(K::MarkVerified)}</button>
                    })}
                </section>
            }
        })}
    }
}
