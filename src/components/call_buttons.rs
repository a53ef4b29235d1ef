//! Starting a call from a conversation.

use crate::context::{use_client, use_state};
use crate::i18n::{lang, t, tf, K};
use leptos::prelude::*;
use natter_model::call::CallKind;
use natter_model::peer_app::PeerApp;

/// Voice and video call buttons, while the chat channel is open and no call is under way;
/// disabled, with the reason beside them, when the peer's app cannot take a call.
#[component]
pub fn CallButtons(peer: StoredValue<String>) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let status = move || peer.with_value(|peer| state.peers.with(|all| all.get(peer).copied()));
    let can_call = move || status().is_some_and(|p| p.usable()) && state.call.with(Option::is_none);
    let app = move || status().map(|p| p.app).unwrap_or_default();
    let why_not =
        move || app().calls().err().map(|why| why.explain(lang(), &peer.get_value(), false));
    let call = move |kind| client.get_value().start_call(&peer.get_value(), kind);
    move || {
        can_call().then(|| {
            let why = why_not();
            let note = match app() {
                PeerApp::Classic => Some(tf(K::OnlyChats, &[("peer", &peer.get_value())])),
                _ => why.clone(),
            };
            let disabled = why.is_some();
            view! {
                <span class="call-start">
                    <span class="capability-note muted">{note}</span>
                    <button type="button" disabled=disabled title=why.clone()
                        on:click=move |_| call(CallKind::Voice)>{t(K::VoiceCall)}</button>
                    <button type="button" disabled=disabled title=why
                        on:click=move |_| call(CallKind::Video)>{t(K::VideoCall)}</button>
                </span>
            }
        })
    }
}
