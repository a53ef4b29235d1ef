//! The web-sys layer: small Rust types over the browser's WebSocket and WebRTC objects.
//! Components never touch these directly; `crate::client` drives them.

pub mod file_channel;
pub mod file_data;
mod listener;
pub mod media;
pub mod next_task;
pub mod peer;
pub mod signaling;

pub use listener::Listener;
