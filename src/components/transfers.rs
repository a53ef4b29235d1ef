//! Files in a conversation: the attach button, and each file in its place in the timeline
//! with its progress, its buttons and, once received, the download link and the preview;
//! ours to the room with each person's progress.

use crate::client::ChatClient;
use crate::context::{use_client, use_state};
use crate::i18n::{lang, t, tf, K};
use leptos::ev::Event;
use leptos::prelude::*;
use natter_model::conversation::FileRef;
use natter_model::talk::Talk;
use natter_model::transfer::{
    human_bytes, name_parts, previewable, room_summary, Transfer, TransferPhase,
};
use web_sys::HtmlInputElement;

/// A button opening the file picker; the picked files are offered in the conversation
/// `talk`. Disabled, saying why, while a person's app cannot take files (in the room, each
/// person's place says it).
#[component]
pub fn AttachButton(talk: StoredValue<Talk>) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    let why_not = move || {
        let peer = talk.with_value(|talk| talk.person().map(str::to_owned))?;
        let app = state.peers.with(|all| all.get(&peer).map(|p| p.app).unwrap_or_default());
        app.files().err().map(|why| why.explain(lang(), &peer, true))
    };
    let pick = move |event: Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Some(files) = input.files() {
            talk.with_value(|talk| client.get_value().send_files(talk.as_deref(), files));
        }
        // Picking the same file again is a new offer.
        input.set_value("");
    };
    let title = move || why_not().unwrap_or_else(|| t(K::AttachTitle).to_owned());
    view! {
        <label class="attach" class:disabled=move || why_not().is_some() title=title>
            {t(K::AttachFiles)}
            <input type="file" multiple class="visually-hidden" on:change=pick
                disabled=move || why_not().is_some() />
        </label>
    }
}

/// A file offered in the conversation `talk` by `from` (us if `outgoing`): its transfer
/// while this page holds it (ours to the room: one per person, and how it stands with
/// all), else what is kept of it (name, size and type, not the file).
#[component]
pub fn FileEntry(
    talk: StoredValue<Talk>,
    from: String,
    name: String,
    file: FileRef,
    outgoing: bool,
) -> impl IntoView {
    let state = use_state();
    let id = StoredValue::new(file.id);
    // Whose transfer: the person's; in the room the sender's, or, for ours, everyone's.
    let peer = talk.with_value(|talk| talk.person().map(str::to_owned));
    let peer = StoredValue::new(peer.or((!outgoing).then_some(from)));
    let to_room = peer.with_value(Option::is_none);
    let ours = move |t: &Transfer| {
        id.with_value(|id| t.id == *id)
            && peer.with_value(|peer| peer.as_ref().map_or(t.outgoing, |peer| t.peer == *peer))
    };
    // Keyed by phase (and person): drawn anew when the phase changes, and only its
    // progress is live in between (fewer live parts, less wasm). A `String` key shares the
    // users list's keyed diff.
    let shown = move || {
        state.transfers.with(|all| {
            all.iter()
                .filter(|entry| entry.view.with_untracked(ours))
                .map(|e| (e.view.with(|t| [t.phase.as_str(), &t.peer].concat()), e.view.clone()))
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        state.transfers.with(|all| {
            let ours = all.iter().filter(|entry| entry.view.with_untracked(ours));
            room_summary(lang(), ours.map(|entry| entry.view.with(|t| t.phase)))
        })
    };
    // What is kept always follows; CSS shows it only without a transfer before it (one
    // view less to build than a choice between the two), and the summary only after one.
    view! {
        <For each=shown key=|(key, _)| key.clone() let:((_, view))>
            {transfer_item(view, to_room)}
        </For>
        <span class="file-status room-summary">{summary}</span>
        <div class="file-kept">
            {file_head(outgoing, &name, file.size, &file.mime)}
            <span class="file-status">{t(K::FileNotKept)}</span>
        </div>
    }
}

/// A transfer in its current phase: name, size and type, progress, what is happening,
/// what can be done and, once received, the download link and the preview. One of our
/// file to the room says whose it is.
fn transfer_item(view: ArcRwSignal<Transfer>, to_room: bool) -> impl IntoView {
    let client = use_client();
    let transfer = view.get_untracked();
    let phase = transfer.phase;
    let (name, mime) = (transfer.name.clone(), transfer.mime.as_str());
    let (peer, id) =
        (StoredValue::new(transfer.peer.clone()), StoredValue::new(transfer.id.clone()));
    let whose = [("name", name.as_str()), ("peer", &transfer.peer)];
    let (act_on, progress) = match to_room {
        true => (K::ActOnFileFor, K::ProgressTo),
        false => (K::ActOnFile, K::ProgressOf),
    };
    // What changes while the phase stays: the percent and the status line.
    let live = move |read: fn(&Transfer) -> String| {
        let view = view.clone();
        move || view.with(read)
    };
    let button = |(verb, class, act): Action| {
        let verb = t(verb);
        let click = move |_| act(&client.get_value(), &peer.get_value(), &id.get_value());
        view! {
            <button type="button" class=class aria-label=tf(act_on, &[("verb", verb), whose[0], whose[1]]) on:click=click>
                {verb}
            </button>
        }
    };
    let buttons = actions(&transfer).iter().copied().map(button).collect_view();
    let download = transfer.url.clone().map(|url| {
        let preview = previewable(mime)
            .then(|| view! { <img class="file-preview" src=url.clone() alt=name.clone() /> });
        view! {
            <a class="file-download" href=url download=name.clone()
                aria-label=tf(K::DownloadName, &[("name", &name)])>{t(K::Download)}</a>
            {preview}
        }
    });
    view! {
        <div class="transfer" data-state=phase.as_str()
            data-direction=if transfer.outgoing { "out" } else { "in" }
            data-peer=to_room.then(|| transfer.peer.clone())>
            {file_head(transfer.outgoing, &name, transfer.size, mime)}
            <progress max="100" value=live(|t| t.percent().to_string())
                aria-label=tf(progress, &whose)></progress>
            <div class="file-foot">
                <span class="room-peer text">{to_room.then(|| transfer.peer.clone())}</span>
                <span class="file-status">{live(status_text)}</span>
                {buttons}
            </div>
            {download}
        </div>
    }
}

/// A file's arrow (going out or coming in), name, size and type. A long name is cut in
/// the middle when space runs out, keeping its end and extension (see `name_parts`); the
/// whole name is its tooltip, and its text for screen readers.
fn file_head(outgoing: bool, name: &str, size: u64, mime: &str) -> impl IntoView {
    let facts = match mime {
        "" => human_bytes(size),
        mime => format!("{} · {mime}", human_bytes(size)),
    };
    let (start, end) = name_parts(name);
    view! {
        <div class="file-head">
            <span class="file-arrow" aria-hidden="true">{if outgoing { "↑" } else { "↓" }}</span>
            <span class="file-name text" title=name.to_owned()>
                <span>{start.to_owned()}</span>
                <span>{end.to_owned()}</span>
            </span>
            <span class="file-facts">{facts}</span>
        </div>
    }
}

/// A button: its text, its class, and what it does.
type Action = (K, &'static str, fn(&ChatClient, &str, &str));

/// What can be done with a transfer: answer an offer, stop one under way, let go of a
/// file received. An ended transfer stays as it is, in its place in the conversation.
fn actions(transfer: &Transfer) -> &'static [Action] {
    match transfer.phase {
        TransferPhase::Offered => &[
            (K::Accept, "primary", ChatClient::accept_file),
            (K::Decline, "danger", ChatClient::decline_file),
        ],
        TransferPhase::Waiting | TransferPhase::Sending | TransferPhase::Receiving => {
            &[(K::Cancel, "", ChatClient::cancel_file)]
        }
        TransferPhase::Done if transfer.url.is_some() => {
            &[(K::Remove, "ghost", ChatClient::dismiss_file)]
        }
        _ => &[],
    }
}

/// What is happening, in words: `42% · 35.2 MB/s · 3 s left` while bytes flow.
fn status_text(transfer: &Transfer) -> String {
    let peer = [("peer", transfer.peer.as_str())];
    // Before the end, a note says the link broke, or that the transfer resumed.
    let note = &transfer.note;
    match transfer.phase {
        TransferPhase::Offered | TransferPhase::Waiting if !note.is_empty() => note.clone(),
        TransferPhase::Offered => tf(K::WantsToSendThis, &peer),
        TransferPhase::Waiting => tf(K::WaitingToAccept, &peer),
        TransferPhase::Sending | TransferPhase::Receiving if transfer.done == transfer.size => {
            t(K::CheckingDigest).to_owned()
        }
        TransferPhase::Sending | TransferPhase::Receiving => {
            let percent = transfer.percent().to_string();
            let said = match note.is_empty() {
                true => String::new(),
                false => note.clone() + " · ",
            };
            said + &match transfer.seconds_left() {
                Some(left) => tf(
                    K::TimeLeft,
                    &[
                        ("percent", &percent),
                        ("speed", &human_bytes(transfer.speed as u64)),
                        ("left", &left.to_string()),
                    ],
                ),
                None => percent + "%",
            }
        }
        _ => note.clone(),
    }
}
