//! `ChatClient`, the engine: a thin dispatcher over parts that each own their state (the
//! signaling socket, the peer links, the chat, calls, files). Components call its verbs;
//! everything the browser reports arrives as an [`Event`] and goes to the part that owns
//! it; what a part reports back is routed on here. Parts never call each other.

mod calls;
mod chat;
mod events;
mod files;
mod links;
mod outlet;
mod routing;
mod signaling;

use calls::{Calls, LinkMedia, MediaOrder};
use chat::Chat;
use events::Dispatch;
use files::Files;
use links::Links;
use signaling::Signaling;

use crate::state::ChatState;
use crate::web::page::mark;
use leptos::prelude::*;
use natter_model::call::CallKind;
use natter_protocol::ClientMessage;
use std::rc::{Rc, Weak};
use web_sys::FileList;

/// The chat's engine; shared as `Rc`, browser callbacks hold it weakly.
pub struct ChatClient {
    state: ChatState,
    signaling: Signaling,
    links: Links,
    chat: Chat,
    calls: Calls,
    files: Files,
}

impl ChatClient {
    /// An engine writing into `state`; idle until [`Self::login`].
    pub fn new(state: ChatState) -> Rc<Self> {
        Rc::new_cyclic(|this: &Weak<ChatClient>| {
            let dispatch = Dispatch::new(this.clone());
            ChatClient {
                state,
                signaling: Signaling::new(state, dispatch.clone()),
                links: Links::new(state, dispatch.clone()),
                chat: Chat::new(state, dispatch.clone()),
                calls: Calls::new(state, dispatch.clone()),
                files: Files::new(state, dispatch),
            }
        })
    }

    /// Logs in under `name` (checked here first, then by the server).
    pub fn login(&self, name: String) {
        self.signaling.login(name);
    }

    /// Shows the conversation with `peer` and starts connecting to them.
    pub fn select(&self, peer: &str) {
        mark(&format!("natter:select:{peer}"));
        self.state.selected.set(Some(peer.to_owned()));
        self.chat.mark_read(peer);
        self.open_chat(peer);
    }

    /// Sends `text` to the selected peer; queued until the channel is open.
    pub fn send(&self, text: &str) {
        let (Some(peer), Some(me)) = (self.state.selected.get_untracked(), self.state.me()) else {
            return;
        };
        if self.chat.write(&peer, me, text) {
            self.open_chat(&peer);
            self.chat.flush(&peer, false, &self.links);
        }
    }

    /// Sends a message that failed again.
    pub fn retry(&self, peer: &str, id: &str) {
        self.chat.retry(peer, id);
        self.open_chat(peer);
        self.chat.flush(peer, false, &self.links);
    }

    /// Starts the connection to `peer` afresh (after it could not be reached).
    pub fn reconnect_peer(&self, peer: &str) {
        self.close_peer(peer);
        self.open_chat(peer);
    }

    /// The page is going away: ends a call and tells every peer, over the server and by
    /// closing each connection, so that their transfers end at once instead of when ICE
    /// notices the silence seconds later.
    pub fn leave_page(&self) {
        self.hang_up();
        for peer in self.links.peers() {
            self.signaling.send_now(&ClientMessage::Leave { name: peer.clone() });
            self.close_peer(&peer);
        }
    }

    /// Rings `peer` for a call.
    pub fn start_call(&self, peer: &str, kind: CallKind) {
        self.calls.start(peer, kind, &self.links);
    }

    /// Accepts the incoming call.
    pub fn accept_call(&self) {
        self.calls.accept(&self.links);
    }

    /// Declines the incoming call, or cancels or ends the current one.
    pub fn hang_up(&self) {
        self.apply(self.calls.hang_up(&self.links));
    }

    /// Mutes or unmutes the microphone.
    pub fn toggle_mute(&self) {
        self.calls.toggle_mute(&self.links);
    }

    /// Turns the camera off or on.
    pub fn toggle_camera(&self) {
        self.calls.toggle_camera(&self.links);
    }

    /// Shows the screen instead of the camera, or goes back to the camera.
    pub fn toggle_screen(&self) {
        self.apply(self.calls.toggle_screen(&self.links));
    }

    /// Offers every file in `files` to `peer`.
    pub fn send_files(&self, peer: &str, files: FileList) {
        self.files.offer(peer, files, &self.links);
    }

    /// Takes the file `peer` offers.
    pub fn accept_file(&self, peer: &str, id: &str) {
        self.files.accept(peer, id, &self.links);
    }

    /// Refuses the file `peer` offers.
    pub fn decline_file(&self, peer: &str, id: &str) {
        self.files.decline(peer, id, &self.links);
    }

    /// Stops a transfer, ours or the peer's, offered or under way.
    pub fn cancel_file(&self, peer: &str, id: &str) {
        self.files.cancel(peer, id, &self.links);
    }

    /// Removes an ended transfer from the list, freeing the received file.
    pub fn dismiss_file(&self, peer: &str, id: &str) {
        self.files.dismiss(peer, id);
    }

    fn open_chat(&self, peer: &str) {
        if let Err(problem) = self.links.open_chat(peer) {
            self.state.notify(problem);
        }
    }

    fn close_peer(&self, peer: &str) {
        self.apply(self.calls.peer_gone(peer));
        self.files.peer_gone(peer);
        self.links.close(peer);
    }

    /// Carries out what the calls part asks of a connection.
    fn apply(&self, order: MediaOrder) {
        let Some((peer, media)) = order else { return };
        self.links.with_existing(&peer, |link| match media {
            LinkMedia::Add(stream) => link.add_media(&stream),
            LinkMedia::SendVideo(track, stream) => link.send_video(&track, stream.as_ref()),
            LinkMedia::StopVideo => link.stop_video(),
            LinkMedia::Remove => link.remove_media(),
        });
    }
}
