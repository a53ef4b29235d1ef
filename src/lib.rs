//! natter: a peer-to-peer chat in the browser over WebRTC.
//!
//! Layers, each importing only those below it: `components` (the UI) → `context` →
//! `client` (the engine and its parts) → `state` and `web` (signals; the browser's
//! objects) and `i18n` (the language in use) → the `natter_model` and `natter_protocol`
//! crates.

mod app;
mod client;
pub mod components;
pub mod config;
pub mod context;
pub mod i18n;
pub mod state;
mod web;

// Public for its browser tests (tests/store.rs).
pub use web::store;

pub use app::App;
