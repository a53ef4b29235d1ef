//! What components reach through context: the state they read and the engine they act
//! through.

use crate::client::ChatClient;
use crate::state::ChatState;
use leptos::prelude::*;
use std::rc::Rc;

/// The chat engine, as components reach it.
pub type ClientHandle = StoredValue<Rc<ChatClient>, LocalStorage>;

/// Puts `state` and an engine writing into it in context, for the components below.
pub fn provide_chat(state: ChatState) -> ClientHandle {
    provide_context(state);
    let client: ClientHandle = StoredValue::new_local(ChatClient::new(state));
    provide_context(client);
    client
}

/// The state every component reads.
pub fn use_state() -> ChatState {
    expect_context()
}

/// The engine every component acts through.
pub fn use_client() -> ClientHandle {
    expect_context()
}
