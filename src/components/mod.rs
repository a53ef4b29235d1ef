//! The UI: small components that wire [`crate::state::ChatState`] signals to the view and
//! hand user actions to [`crate::client::ChatClient`].

mod call_panel;
mod chat;
mod login;
mod message_box;
mod status_bar;
mod toasts;
mod transfers;
mod users_list;

pub use chat::Chat;
pub use login::Login;
pub use status_bar::StatusBar;
pub use toasts::Toasts;
