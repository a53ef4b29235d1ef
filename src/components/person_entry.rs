//! One entry of the people list, drawn once and kept while it is listed: what it shows is
//! worked out anew on each change and written into its texts and attributes, never by
//! drawing the entry again (a click or the focus on it survives whatever arrives meanwhile).

use super::avatar::avatar;
use super::conversation_head::room_title;
use super::listed::last_line;
use super::reach::reach_of;
use crate::context::{use_client, use_state};
use crate::i18n::{lang, plural, t, tf, K};
use crate::state::ChatState;
use leptos::prelude::*;
use natter_model::conversation::Conversation;
use natter_model::link::PeerStatus;
use natter_model::people::Last;
use natter_model::talk::Talk;

/// What an entry shows, worked out at once; each field follows it through one closure type
/// per kind of value (see [`field`]).
#[derive(Clone, PartialEq, Default)]
struct Shown {
    title: String,
    /// Whether the person can be reached, in words; who the room's conversation goes to.
    about: &'static str,
    /// The same as a stable word ("room" for the room's entry: no dot, no colour).
    reach: &'static str,
    preview: String,
    when: String,
    unread: usize,
    unread_words: String,
    /// The connection's key and words ([`PeerStatus::key`], [`PeerStatus::describe`]).
    link: &'static str,
    link_words: String,
    selected: bool,
}

impl Shown {
    /// What the entry of `talk` shows now (tracked).
    fn of(state: ChatState, talk: &Talk) -> Shown {
        let (title, about, reach) = match talk {
            Talk::Room => (room_title(state), t(K::EveryoneHere), "room"),
            Talk::With(name) => {
                let reach = reach_of(state, name);
                (name.clone(), reach.words(lang()), reach.key())
            }
        };
        let Last { preview, when, .. } = last_line(state, talk.as_deref()).unwrap_or_default();
        let unread = state
            .conversations
            .with(|all| all.get(talk.as_deref()).map_or(0, Conversation::unread));
        let status = talk.person().and_then(|p| state.peers.with(|all| all.get(p).copied()));
        Shown {
            title,
            about,
            reach,
            preview,
            when,
            unread,
            unread_words: match unread {
                0 => String::new(),
                n => plural(K::UnreadOne, K::UnreadOther, n),
            },
            link: PeerStatus::key(status.as_ref()),
            link_words: PeerStatus::describe(status.as_ref(), lang()),
            selected: state.selected.with(|selected| selected.as_ref() == Some(talk)),
        }
    }
}

/// The entry of the conversation `talk` (a person, or the room): avatar, title, whether
/// they can be reached, the last message's first words and time, the connection as a small
/// icon (its state in the tooltip, none before there is one), the unread count.
#[component]
pub fn PersonEntry(talk: Talk) -> impl IntoView {
    let state = use_state();
    let client = use_client();
    // An entry is found by its person's name (focus, tests); the room's has an empty one.
    let name = talk.person().unwrap_or_default().to_owned();
    let icon = avatar(talk.as_deref());
    let talk = StoredValue::new(talk);
    let shown = Memo::new(move |_| talk.with_value(|talk| Shown::of(state, talk)));
    let text = move |get: fn(&Shown) -> String| field(shown, get);
    let word = move |get: fn(&Shown) -> &'static str| field(shown, get);
    let selected = field(shown, |shown| shown.selected);
    let unread = field(shown, |shown| shown.unread);
    view! {
        <li>
            <button
                class="user"
                class:selected=selected
                aria-current=word(|s| if s.selected { "true" } else { "false" })
                data-presence=word(|s| s.reach)
                data-name=name
                on:click=move |_| talk.with_value(|talk| client.get_value().select(talk.as_deref()))
            >
                {icon}
                <span class="user-name">{text(|s| s.title.clone())}</span>
                <time class="when">{text(|s| s.when.clone())}</time>
                <span class="about">
                    <span class="presence">{word(|s| s.about)}</span>
                    <span class="preview">{text(|s| s.preview.clone())}</span>
                </span>
                <span class="link-state" data-state=word(|s| s.link)
                    title=text(|s| tf(K::ConnectionIs, &[("state", &s.link_words)]))
                    hidden=field(shown, |s| s.link == "none")>
                    <span class="visually-hidden">{text(|s| s.link_words.clone())}</span>
                </span>
                {move || (unread() > 0).then(|| view! {
                    <span class="badge" aria-hidden="true">{text(|s| s.unread.to_string())}</span>
                    <span class="visually-hidden">{text(|s| s.unread_words.clone())}</span>
                })}
            </button>
        </li>
    }
}

/// One field of `shown`, live. The reader is a plain `fn`, so every live field of one kind
/// of value is the same closure type, drawn by one copy of Leptos's code.
fn field<T: 'static>(shown: Memo<Shown>, get: fn(&Shown) -> T) -> impl Fn() -> T + Copy {
    move || shown.with(get)
}
