//! The engine's verbs for calls and files: each goes straight to the part that owns it.

use super::ChatClient;
use natter_model::call::CallKind;
use natter_model::talk::Talk;
use web_sys::FileList;

impl ChatClient {
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

    /// Offers every file in `files` in the conversation `talk`: to the person, or to
    /// everyone in the room (connecting to each); each offer goes in the conversation.
    pub fn send_files(&self, talk: Talk<&str>, files: FileList) {
        let Some(me) = self.state.me() else { return };
        let messaging = &self.messaging;
        let log = |name, file| messaging.offer_file(talk, me.clone(), name, file);
        match talk {
            Talk::With(peer) => self.files.offer(peer, files, &self.links, log),
            Talk::Room => {
                let present = self.present();
                for peer in &present {
                    self.open_chat(peer);
                }
                self.files.offer_room(&present, files, &self.links, log);
            }
        }
        self.persist();
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

    /// Lets go of a received file (its place in the conversation stays).
    pub fn dismiss_file(&self, peer: &str, id: &str) {
        self.files.dismiss(peer, id);
        self.history.drop_file(peer, id);
    }
}
