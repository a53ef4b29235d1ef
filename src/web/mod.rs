//! The web-sys layer: small Rust types with Rust-shaped APIs over the browser's objects
//! (the signaling socket, peer connections and data channels, media devices, file bytes,
//! the clock). Components never touch these; the engine drives them.

pub mod acted;
pub mod attention;
pub mod certificate;
pub mod clock;
pub mod devices;
pub mod file_channel;
pub mod file_data;
pub mod file_job;
pub mod focus;
pub mod kept_transfers;
pub mod line_key;
mod listener;
pub mod next_task;
pub mod page;
pub mod peer_link;
pub mod ring_tone;
pub mod session_memory;
pub mod signaling_socket;
pub mod speaking;
pub mod store;
pub mod support;
pub mod visited_rooms;

pub use listener::{drop_later, Listener};
