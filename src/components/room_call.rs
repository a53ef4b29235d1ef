//! The room's call: "Call everyone" in the room's head, the call that runs ("alice started
//! a video call", "Join call"), and once in it, a tile per person (us included) with the
//! switches shared with the 1:1 call and "Leave call".

use super::call_panel::{no_video, plays, switch_buttons, switch_notes};
use crate::context::{use_client, use_state};
use crate::i18n::{t, tf, K};
use crate::state::ChatState;
use crate::web::focus;
use crate::web::speaking::SpeakingMark;
use leptos::html::Li;
use leptos::prelude::*;
use natter_model::call::{CallKind, Switches};
use natter_model::room_call::{left_out, ROOM_CALL_LIMIT};

/// Voice and video calls with everyone, while no call runs and someone else is here.
#[component]
pub fn RoomCallStart() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let call = move |kind| client.get_value().call_room(kind);
    let hidden = move || state.room_call.get().is_some() || state.users.with(Vec::is_empty);
    view! {
        <span class="call-start" hidden=hidden>
            <button type="button" on:click=move |_| call(CallKind::Voice)>{t(K::VoiceCallEveryone)}</button>
            <button type="button" on:click=move |_| call(CallKind::Video)>{t(K::CallEveryone)}</button>
        </span>
    }
}

/// "In the call: 2 of 6".
fn in_the_call(size: usize) -> String {
    tf(K::InTheCall, &[("n", &size.to_string()), ("limit", &ROOM_CALL_LIMIT.to_string())])
}

/// The call that runs in the room while we are not in it: who started it, how many are
/// in it, and "Join call" (disabled, saying why, once it is full).
#[component]
pub fn RoomCallBanner() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    // Each reads the call whole: a closure given to the signal's `with` is code of its own.
    let call = move || state.room_call.get();
    let shown = move || call().is_some_and(|c| c.joined.is_none());
    let started = move || {
        let call = call()?;
        let key = match call.kind {
            CallKind::Video => K::StartedVideoCall,
            CallKind::Voice => K::StartedVoiceCall,
        };
        Some(tf(key, &[("peer", &call.started_by)]))
    };
    let size = move || in_the_call(call().map_or(0, |c| c.size()));
    let full = move || call().is_some_and(|c| c.is_full());
    let full_note =
        move || full().then(|| tf(K::CallFull, &[("limit", &ROOM_CALL_LIMIT.to_string())]));
    let banner = move || {
        view! {
        <section class="call room-call-banner" aria-label=t(K::RoomCallLabel)>
            <p>{started}</p>
            <span class="muted">{size}</span>
            <span class="capability-note">{full_note}</span>
            <button type="button" class="primary" disabled=full
                on:click=move |_| client.get_value().join_room_call()>
                {t(K::JoinCall)}
            </button>
        </section>
        }
    };
    move || shown().then(banner)
}

/// The room's call once we are in it: a tile per person, who is left out and why, our
/// switches. The keyboard follows us in and out.
#[component]
pub fn RoomCallPanel() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let joined = Memo::new(move |_| state.in_room_call_tracked());
    Effect::new(move |before: Option<bool>| {
        let now = joined.get();
        if before.is_some_and(|before| before != now) {
            focus::after_redraw(move || {
                let next = if now {
                    ".room-call .call-buttons button"
                } else {
                    ".room-call-banner button"
                };
                if focus::lost() && !focus::focus_first(next) {
                    focus::focus_first(".message-input");
                }
            });
        }
        now
    });
    let call = move || state.room_call.get();
    let names = move || {
        call()
            .map(|c| c.members.into_iter().map(|m| m.name).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let ours = |state: ChatState| state.room_call.get().and_then(|c| c.joined).unwrap_or_default();
    let size = move || in_the_call(call().map_or(0, |c| c.size()));
    // Those present whose apps cannot join, in words.
    let left_out = move || {
        let apps = state.peers.get();
        let out = state.users.with(|users| {
            let out =
                users.iter().filter(|u| apps.get(&u.user_name).is_some_and(|p| left_out(p.app)));
            out.map(|user| tf(K::LeftOutOfCall, &[("peer", &user.user_name)])).collect::<Vec<_>>()
        });
        out.join(" · ")
    };
    let panel = move || {
        view! {
        <section class="call active room-call" aria-label=t(K::RoomCallLabel)>
            <ul class="tiles">
                {tile(state.me().unwrap_or_default(), true)}
                <For each=names key=String::clone let:name>
                    {tile(name, false)}
                </For>
            </ul>
            <p class="left-out">{left_out}</p>
            <div class="call-bar">
                <span class="call-time">{size}</span>
                <span class="call-buttons">
                    {switch_buttons(ours)}
                    <button type="button" class="danger"
                        on:click=move |_| client.get_value().leave_room_call()>
                        {t(K::LeaveCall)}
                    </button>
                </span>
            </div>
        </section>
        }
    };
    move || joined.get().then(panel)
}

/// One person's tile: their video (ours muted, so we do not hear ourselves), their initial
/// when there is none, their name and what they switched off.
fn tile(name: String, ours: bool) -> impl IntoView {
    let state = use_state();
    let who = name.clone();
    // Our switches, or theirs, and whether the tile has no video to show.
    let switches = move || {
        let call = state.room_call.get()?;
        let switches = match ours {
            true => call.joined?,
            false => call.members.iter().find(|m| m.name == who)?.switches,
        };
        Some((switches, call.video_off(switches)))
    };
    let who = name.clone();
    let stream = move || match ours {
        true => state.local_stream.get(),
        false => state.room_streams.get().get(&who).cloned(),
    };
    let video = plays(Box::new(stream.clone()));
    // The person speaking is marked (the mark goes with the tile, or its stream).
    let shown = NodeRef::<Li>::new();
    Effect::new(move |_| SpeakingMark::watch(&stream()?, shown.get()?.into()));
    let notes = {
        let (name, switches) = (name.clone(), switches.clone());
        move || switch_notes(&name, switches().map_or(Switches::default(), |s| s.0))
    };
    let video_off = Box::new(move || switches().is_none_or(|s| s.1));
    view! {
        <li class="tile" data-name=name.clone() node_ref=shown>
            <video node_ref=video autoplay playsinline prop:muted=ours></video>
            {no_video(&name, true, video_off)}
            <p class="tile-name">
                <strong>{name.clone()}</strong>
                " "
                <span class="tile-state">{notes}</span>
            </p>
        </li>
    }
}
