//! The UI: small components that wire [`crate::state::ChatState`] signals to the view and
//! hand user actions to the engine (`crate::client::ChatClient`).

mod announcer;
mod avatar;
mod call_buttons;
mod call_panel;
mod chat;
mod composer;
mod conversation_head;
mod identity_panel;
mod leaving;
mod listed;
mod login;
mod menu;
mod message_box;
mod message_item;
mod message_list;
mod person_entry;
mod reach;
mod room_call;
mod room_view;
mod settings;
mod status_bar;
mod toasts;
mod transfers;
mod typing_note;
mod users_list;
mod visited_list;

pub use announcer::Announcer;
pub use chat::Chat;
pub use login::Login;
pub use message_box::MessageBox;
pub use settings::Settings;
pub use status_bar::StatusBar;
pub use toasts::Toasts;
pub use users_list::UsersList;
