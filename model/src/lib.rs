//! natter's client models: plain state machines and data the app drives, apart from the
//! browser, so they are tested on the host.

pub mod backoff;
pub mod call;
pub mod conversation;
pub mod emoji;
pub mod grouping;
pub mod i18n;
pub mod identity;
pub mod kept;
pub mod link;
pub mod linkify;
pub mod negotiation;
pub mod notices;
pub mod peer_app;
pub mod people;
pub mod per_peer;
pub mod proof;
pub mod refusals;
pub mod room_call;
pub mod room_name;
pub mod talk;
pub mod time;
pub mod transfer;
pub mod typing;
pub mod visited;
