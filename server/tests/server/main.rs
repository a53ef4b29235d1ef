//! Integration tests: a real server on 127.0.0.1:0 and real WebSocket clients.

mod binary;
mod cluster;
mod common;
mod forwarded;
mod hardening;
mod http;
mod ice;
mod names;
mod protocol;
mod resume;
mod stun;
