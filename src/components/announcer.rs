//! What a screen reader says of its own accord: messages as they come (never the history
//! as it loads: nothing written before the page was; the app's own notes have their
//! notices), the call's start and end, and files at their milestones (a quarter at a
//! time, not every percent).

use crate::context::use_state;
use crate::i18n::{tf, K};
use leptos::prelude::*;
use natter_model::call::CallPhase;
use natter_model::conversation::Message;
use natter_model::per_peer::PerPeer;
use natter_model::talk::Talk;
use natter_model::transfer::TransferPhase;

/// More new messages at once than this are said as a count.
const AT_ONCE: usize = 3;
/// How much older than the page a message may be and still be news (ms): a peer's clock
/// a little behind ours.
const SKEW_MS: f64 = 2_000.0;

/// A polite live region, out of sight, that the app's news is added to.
#[component]
pub fn Announcer() -> impl IntoView {
    let state = use_state();
    let lines = RwSignal::new(Vec::<(u32, String)>::new());
    let said = StoredValue::new(0u32);
    let say = move |text: String| {
        said.update_value(|n| *n += 1);
        let n = said.get_value();
        lines.update(|lines| {
            lines.push((n, text));
            let extra = lines.len().saturating_sub(4);
            lines.drain(..extra);
        });
    };

    // Messages: where the news starts in each conversation; none written before this page was
    // (the history, loaded into a conversation whenever it comes, is not news).
    // (A small list by conversation, as the state's: no hash map in the download.)
    let heard = StoredValue::new(Vec::<(Talk, u64)>::new());
    let since = js_sys::Date::now() - SKEW_MS;
    Effect::new(move || {
        let mut news = Vec::new();
        state.conversations.with(|all| {
            for (talk, conversation) in all.iter() {
                let messages = conversation.messages();
                // Messages from `seq` on are news.
                let next = messages.last().map_or(0, |m| m.seq + 1);
                let from = heard.try_update_value(|heard| {
                    match heard.iter_mut().find(|(known, _)| known == talk) {
                        Some((_, seen)) => std::mem::replace(seen, next),
                        None => {
                            heard.push((talk.clone(), next));
                            0
                        }
                    }
                });
                let from = from.unwrap_or(0);
                // From the end: a conversation may hold ten thousand.
                let mut new: Vec<&Message> = messages
                    .iter()
                    .rev()
                    .take_while(|m| m.seq >= from)
                    // The app's notes, and a missed call, are said by their notices.
                    .filter(|m| !m.outgoing && !m.notice && m.missed_call.is_none())
                    .filter(|m| js_sys::Date::parse(&m.time) >= since)
                    .collect();
                new.reverse();
                match (new.len(), talk) {
                    (0, _) => {}
                    (n, Talk::Room) if n > AT_ONCE => {
                        news.push(tf(K::NewToEveryone, &[("n", &n.to_string())]))
                    }
                    (n, Talk::With(name)) if n > AT_ONCE => {
                        news.push(tf(K::NewFrom, &[("n", &n.to_string()), ("name", name)]))
                    }
                    _ => news.extend(new.into_iter().map(|m| words(m, talk.is_room()))),
                }
            }
        });
        news.into_iter().for_each(say);
    });

    // The call: when it starts and when it ends (its ringing says itself).
    Effect::new(move |before: Option<Option<(String, CallPhase)>>| {
        let now = state.call.with(|call| call.as_ref().map(|c| (c.peer.clone(), c.phase)));
        match (before.flatten(), &now) {
            (Some((_, was)), Some((peer, CallPhase::Active))) if was != CallPhase::Active => {
                say(tf(K::CallStarted, &[("peer", peer)]));
            }
            (Some((peer, _)), None) => say(tf(K::CallEnded, &[("peer", &peer)])),
            _ => {}
        }
        now
    });

    // Files: each phase, and each quarter of the bytes.
    let files = StoredValue::new(PerPeer::<(TransferPhase, u64)>::default());
    Effect::new(move || {
        let all: Vec<_> = state.transfers.with(|all| {
            all.iter()
                .map(|entry| {
                    entry.view.with(|t| {
                        let key = format!("{}\n{}", t.peer, t.id);
                        (key, t.phase, t.percent() / 25, t.name.clone(), t.outgoing, t.peer.clone())
                    })
                })
                .collect()
        });
        for (key, phase, quarter, name, outgoing, peer) in all {
            let before = files.with_value(|files| files.get(&key).copied());
            files.update_value(|files| {
                files.insert(&key, (phase, quarter));
            });
            let Some((was, was_quarter)) = before else { continue };
            let flowing = matches!(phase, TransferPhase::Sending | TransferPhase::Receiving);
            let news = match phase {
                _ if phase == was
                    && flowing
                    && quarter != was_quarter
                    && (1..4).contains(&quarter) =>
                {
                    Some(format!("{name}: {}%", quarter * 25))
                }
                _ if phase == was => None,
                TransferPhase::Sending => Some(tf(K::SendingFile, &[("name", &name)])),
                TransferPhase::Receiving => Some(tf(K::ReceivingFile, &[("name", &name)])),
                TransferPhase::Done if outgoing => Some(tf(K::SaidFileSent, &[("name", &name)])),
                TransferPhase::Done => Some(tf(K::SaidFileReceived, &[("name", &name)])),
                TransferPhase::Declined => {
                    Some(tf(K::FileDeclinedBy, &[("peer", &peer), ("name", &name)]))
                }
                TransferPhase::Cancelled => Some(tf(K::SaidFileCancelled, &[("name", &name)])),
                TransferPhase::Failed => Some(tf(K::FileFailed, &[("name", &name)])),
                TransferPhase::Offered | TransferPhase::Waiting => None,
            };
            news.into_iter().for_each(say);
        }
    });

    view! {
        <div class="visually-hidden announcer" aria-live="polite" aria-relevant="additions">
            <For each=move || lines.get() key=|(n, _)| *n let:line>
                <p>{line.1}</p>
            </For>
        </div>
    }
}

/// A new message, in the room's conversation or a person's, as said.
fn words(message: &Message, in_room: bool) -> String {
    let from = &message.from;
    match (&message.file, in_room) {
        (Some(_), _) => tf(K::OffersFile, &[("from", from), ("text", &message.text)]),
        (None, true) => tf(K::ToEveryone, &[("from", from), ("text", &message.text)]),
        (None, false) => format!("{from}: {}", message.text),
    }
}
