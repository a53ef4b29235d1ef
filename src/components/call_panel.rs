//! The call under way: ringing, an incoming call to answer, or the videos and controls.

use crate::context::{use_client, use_state};
use crate::i18n::{t, tf, K};
use crate::state::ChatState;
use crate::web::clock::now_ms;
use crate::web::{focus, support};
use leptos::ev::KeyboardEvent;
use leptos::html::{Section, Video};
use leptos::prelude::*;
use natter_model::call::{clock, CallKind, CallPhase, Switches};
use natter_model::people::{colour, initial};
use std::time::Duration;
use web_sys::MediaStream;

/// Shows the call, if there is one.
#[component]
pub fn CallPanel() -> impl IntoView {
    let state = use_state();
    let phase = Memo::new(move |_| state.call.with(|call| call.as_ref().map(|call| call.phase)));
    // The keyboard follows the call: to the incoming call's question, to the buttons of a
    // call whose button went away (Voice call, Accept, Cancel), and back to where it was
    // (else to the composer) once it is over.
    let back_to = StoredValue::new_local(None::<web_sys::Element>);
    Effect::new(move |before: Option<Option<CallPhase>>| {
        let now = phase.get();
        let before = before.flatten();
        if before.is_none() && now.is_some() {
            back_to.set_value(focus::focused());
        }
        focus::after_redraw(move || match now {
            Some(CallPhase::Incoming) => {
                focus::focus_first(".call.incoming");
            }
            Some(CallPhase::Ringing) if focus::lost() => {
                focus::focus_first(".call.ringing button");
            }
            Some(CallPhase::Active) if focus::lost() => {
                focus::focus_first(".call.active .call-buttons button");
            }
            None if before.is_some() && (focus::lost() || before == Some(CallPhase::Incoming)) => {
                let back = back_to.try_get_value().flatten().filter(|back| back.is_connected());
                if !back.is_some_and(|back| focus::focus(&back)) {
                    focus::focus_first(".message-input");
                }
            }
            _ => {}
        });
        now
    });
    move || match phase.get() {
        None => ().into_any(),
        Some(CallPhase::Ringing) => view! { <Ringing /> }.into_any(),
        Some(CallPhase::Incoming) => view! { <Incoming /> }.into_any(),
        Some(CallPhase::Active) => view! { <ActiveCall /> }.into_any(),
    }
}

/// The call's peer and kind, for the texts.
fn peer_and_kind() -> (String, CallKind) {
    use_state().call.with_untracked(|call| {
        call.as_ref()
            .map_or((String::new(), CallKind::Voice), |call| (call.peer.clone(), call.kind))
    })
}

/// We rang; the peer has not answered yet.
#[component]
fn Ringing() -> impl IntoView {
    let client = use_client();
    let (peer, _) = peer_and_kind();
    // Escape cancels, as the Cancel button (which has the focus) does.
    let keys = move |event: KeyboardEvent| {
        if focus::is_escape(&event) {
            event.prevent_default();
            client.get_value().hang_up();
        }
    };
    view! {
        <section class="call ringing" role="status" on:keydown=keys>
            <p>{tf(K::Calling, &[("peer", &peer)])}</p>
            <button type="button" class="danger" on:click=move |_| client.get_value().hang_up()>
                {t(K::Cancel)}
            </button>
        </section>
    }
}

/// A video element that plays the stream `stream` gives, loading it again only when it is
/// another stream.
pub fn plays(stream: Box<dyn Fn() -> Option<MediaStream>>) -> NodeRef<Video> {
    let video = NodeRef::<Video>::new();
    Effect::new(move || {
        let stream = stream();
        if let Some(video) = video.get() {
            if video.src_object() != stream {
                video.set_src_object(stream.as_ref());
            }
        }
    });
    video
}

/// What `peer` has switched off, in words ("bob is muted · bob's camera is off").
pub fn switch_notes(peer: &str, switches: Switches) -> String {
    let mut notes = Vec::new();
    if switches.muted {
        notes.push(tf(K::PeerMuted, &[("peer", peer)]));
    }
    if switches.sharing {
        notes.push(tf(K::PeerSharing, &[("peer", peer)]));
    } else if switches.camera_off {
        notes.push(tf(K::PeerCameraOff, &[("peer", peer)]));
    }
    notes.join(" · ")
}

/// Our mute and camera switches (and the screen's, where it can be shared),
/// as `ours` stands; the engine applies them to whichever call we are in.
pub fn switch_buttons(ours: fn(ChatState) -> Switches) -> impl IntoView {
    let (state, client) = (use_state(), use_client());
    let muted = move || ours(state).muted;
    let camera_off = move || ours(state).camera_off;
    let sharing = move || ours(state).sharing;
    view! {
        <button type="button" aria-pressed=move || muted().to_string()
            on:click=move |_| client.get_value().toggle_mute()>
            {move || t(if muted() { K::Unmute } else { K::Mute })}
        </button>
        <button type="button" aria-pressed=move || camera_off().to_string()
            on:click=move |_| client.get_value().toggle_camera()>
            {move || t(if camera_off() { K::CameraOn } else { K::CameraOff })}
        </button>
        // Offered only where the browser can share a screen (not on phones).
        {support::screen_sharing().then(|| view! {
            <button type="button" aria-pressed=move || sharing().to_string()
                on:click=move |_| client.get_value().toggle_screen()>
                {move || t(if sharing() { K::StopSharing } else { K::ShareScreen })}
            </button>
        })}
    }
}

/// The peer rings: accept or decline.
#[component]
fn Incoming() -> impl IntoView {
    let client = use_client();
    let (peer, kind) = peer_and_kind();
    let calling = if kind == CallKind::Video { K::CallingVideo } else { K::CallingVoice };
    // A modal question: the focus comes to it (not to Accept: an Enter meant for a message
    // must not answer), Tab stays in it, Escape declines.
    let dialog = NodeRef::<Section>::new();
    let keys = move |event: KeyboardEvent| {
        if focus::is_escape(&event) {
            event.prevent_default();
            client.get_value().hang_up();
        } else if let Some(dialog) = dialog.get_untracked() {
            focus::trap(&event, &dialog);
        }
    };
    view! {
        <section class="call incoming" role="alertdialog" aria-modal="true" aria-label=t(K::IncomingCall)
            aria-describedby="incoming-call-text" tabindex="-1" node_ref=dialog on:keydown=keys>
            <p id="incoming-call-text">{tf(calling, &[("peer", &peer)])}</p>
            <button type="button" class="primary" on:click=move |_| client.get_value().accept_call()>
                {t(K::Accept)}
            </button>
            <button type="button" class="danger" on:click=move |_| client.get_value().hang_up()>
                {t(K::Decline)}
            </button>
        </section>
    }
}

/// Stands in a video tile for someone whose camera is off (or in a voice call): their
/// initial on their colour, shown while `video_off`. `theirs`: the peer's tile (or a tile
/// of the room's call), else our small one.
pub fn no_video(
    name: &str,
    theirs: bool,
    video_off: Box<dyn Fn() -> bool + Send + Sync>,
) -> impl IntoView {
    view! {
        <div class=if theirs { "no-video remote" } else { "no-video local" }
            role="img"
            aria-label=tf(K::NoVideo, &[("name", name)]) hidden=move || !video_off()>
            <span class="no-video-initial" aria-hidden="true" style:background=colour(name)>
                {initial(name)}
            </span>
        </div>
    }
}

/// Both sides are in: the peer large, us small, the timer and the switches. The videos
/// can be minimised to a one-line bar (mute, show video, hang up), so that the chat keeps
/// the screen on a phone or when zoomed in.
#[component]
fn ActiveCall() -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let (peer, _) = peer_and_kind();
    let minimised = RwSignal::new(false);
    let remote = plays(Box::new(move || state.remote_stream.get()));
    let local = plays(Box::new(move || state.local_stream.get()));
    let now = RwSignal::new(now_ms());
    if let Ok(timer) = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)) {
        on_cleanup(move || timer.clear());
    }
    let call = move || state.call.get();
    let seconds = move || call().map_or(0, |call| call.seconds(now.get()));
    let remote_state = {
        let peer = peer.clone();
        move || switch_notes(&peer, call().map(|c| c.remote).unwrap_or_default())
    };
    let video_off = move |theirs| -> Box<dyn Fn() -> bool + Send + Sync> {
        Box::new(move || call().is_some_and(|c| c.video_off(theirs)))
    };
    view! {
        <section class="call active" class:minimised=minimised aria-label=tf(K::CallWith, &[("peer", &peer)])>
            <div class="stage">
                <video class="remote" node_ref=remote autoplay playsinline></video>
                {no_video(&peer, true, video_off(true))}
                <video class="local" node_ref=local autoplay playsinline prop:muted=true></video>
                {no_video(&state.me().unwrap_or_default(), false, video_off(false))}
            </div>
            <div class="call-bar">
                <strong class="call-peer">{peer.clone()}</strong>
                <span class="call-time">
                    <span class="visually-hidden">{t(K::CallDuration)}</span>
                    {move || clock(seconds())}
                </span>
                <span class="remote-state">{remote_state}</span>
                <span class="call-buttons">
                    {switch_buttons(|state| state.call.get().map(|c| c.local).unwrap_or_default())}
                    <button type="button" on:click=move |_| minimised.update(|m| *m = !*m)>
                        {move || t(if minimised.get() { K::ShowVideo } else { K::MinimiseVideo })}
                    </button>
                    <button type="button" class="danger" on:click=move |_| client.get_value().hang_up()>
                        {t(K::HangUp)}
                    </button>
                </span>
            </div>
        </section>
    }
}
