//! natter: a peer-to-peer chat in the browser over WebRTC.

mod app;
mod browser;
pub mod call;
mod client;
mod components;
pub mod config;
pub mod conversation;
pub mod negotiation;
mod net;
pub mod peer_app;
mod per_peer;
mod state;
pub mod transfer;

pub use app::App;
