//! What one socket says and is answered: login, relays, and the per-socket limits.

use crate::cluster::Refused;
use crate::hub::{Delivery, Membership, Taken};
use crate::limits::TokenBucket;
use crate::names::{RoomName, UserName};
use crate::outbox::Outbox;
use crate::Shared;
use natter_protocol::{ClientMessage, ErrorCode, ServerMessage, MAX_NAME_CHARS, MAX_ROOM_CHARS};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tracing::{debug, info};

/// What a login or a relay across instances gets while the instances have lost Redis.
const UNAVAILABLE_MESSAGE: &str = "Temporarily unavailable: try again in a few seconds";

/// Why a socket's loop ended.
#[derive(Debug)]
pub(crate) enum End {
    /// The peer closed or the connection broke.
    Gone,
    /// No frame, not even a pong, for two heartbeats.
    Dead,
    /// The outgoing queue overflowed: the peer does not read fast enough.
    TooSlow,
    /// We close with this code after flushing what is queued.
    Close(CloseCode, &'static str),
}

/// Binary frames tolerated (each answered with an error) before the socket is closed.
const MAX_BINARY_FRAMES: u32 = 2;

/// What one socket knows about itself.
pub(crate) struct Session<'a> {
    pub(crate) app: &'a Shared,
    outbox: Outbox,
    /// How the client named this server: its ICE servers name our STUN the same way.
    host: Option<String>,
    pub(crate) membership: Option<Membership>,
    bucket: TokenBucket,
    /// Sockets with relays from this one held, until the messages read together are done.
    held: Vec<Outbox>,
    binary_frames: u32,
    rate_limited: u32,
}

impl<'a> Session<'a> {
    /// A socket that has not logged in yet.
    pub(crate) fn new(app: &'a Shared, outbox: Outbox, host: Option<String>) -> Self {
        Session {
            bucket: TokenBucket::new(app.config.rate_burst, app.config.rate_per_sec),
            app,
            outbox,
            host,
            membership: None,
            held: Vec::new(),
            binary_frames: 0,
            rate_limited: 0,
        }
    }

    pub(crate) fn send(&self, message: &ServerMessage) {
        self.outbox.push(message.to_json().into());
    }

    pub(crate) fn error(&self, code: ErrorCode, message: impl Into<String>) {
        self.send(&ServerMessage::error(code, message));
    }

    /// Charges one message to the rate limit; `Err` holds the end of a persistent flood.
    fn charge(&mut self) -> Result<bool, End> {
        if self.bucket.take(std::time::Instant::now()) {
            return Ok(true);
        }
        self.rate_limited += 1;
        if self.rate_limited >= self.app.config.flood_close_after {
            return Err(End::Close(CloseCode::Policy, "flooding"));
        }
        self.error(ErrorCode::RateLimited, "Too many messages: slow down");
        Ok(false)
    }

    pub(crate) fn on_binary(&mut self) -> Option<End> {
        match self.charge() {
            Err(end) => return Some(end),
            Ok(false) => return None,
            Ok(true) => {}
        }
        self.binary_frames += 1;
        if self.binary_frames > MAX_BINARY_FRAMES {
            self.error(ErrorCode::BinaryFrame, "Binary frames are not supported");
            return Some(End::Close(CloseCode::Policy, "binary frames"));
        }
        self.error(ErrorCode::BinaryFrame, "Binary frames are not supported: send JSON text");
        None
    }

    /// One text frame; with `--redis-url`, a login returns once Redis decided.
    pub(crate) async fn on_text(&mut self, text: &str) -> Option<End> {
        match self.charge() {
            Err(end) => return Some(end),
            Ok(false) => return None,
            Ok(true) => {}
        }
        match ClientMessage::parse(text) {
            Ok(ClientMessage::Login { name, room, resume }) => {
                // Boxed: an idle socket's task carries a pointer, not a login's state.
                Box::pin(self.login(name, room, resume)).await
            }
            Ok(ClientMessage::Ping) => self.send(&ServerMessage::Pong),
            Ok(ClientMessage::IceServers) => self.refresh_ice_servers(),
            Ok(ClientMessage::Offer { name: to, offer }) => {
                self.relay(&to, |from| ServerMessage::Offer { offer, name: from })
            }
            Ok(ClientMessage::Answer { name: to, answer }) => {
                self.relay(&to, |from| ServerMessage::Answer { answer, name: Some(from) })
            }
            Ok(ClientMessage::Candidate { name: to, candidate }) => {
                self.relay(&to, |from| ServerMessage::Candidate { candidate, name: Some(from) })
            }
            Ok(ClientMessage::Leave { name: to }) => {
                self.relay(&to, |from| ServerMessage::Leave { name: Some(from) })
            }
            Err(error) => self.error(error.code(), error.to_string()),
        }
        None
    }

    async fn login(&mut self, name: String, room: Option<String>, resume: Option<String>) {
        if let Some(membership) = &self.membership {
            let message = format!("Already logged in as {}", membership.user.user_name);
            return self.send(&ServerMessage::login_failed(ErrorCode::AlreadyLoggedIn, message));
        }
        let name = match UserName::parse(name) {
            Ok(name) => name,
            Err(problem) => {
                let refusal = ServerMessage::bad_label(ErrorCode::BadName, problem, MAX_NAME_CHARS);
                return self.send(&refusal);
            }
        };
        let room = match room.map(RoomName::parse).transpose() {
            Ok(room) => room,
            Err(problem) => {
                let refusal = ServerMessage::bad_label(ErrorCode::BadRoom, problem, MAX_ROOM_CHARS);
                return self.send(&refusal);
            }
        };
        let ice = self.app.ice.grant(&name.shown, self.host.as_deref());
        let hub = &self.app.hub;
        let outcome = match &self.app.cluster {
            None => {
                hub.login(room, name, resume.as_deref(), ice, &self.outbox).map_err(Refused::Taken)
            }
            Some(cluster) => {
                let id = room.as_ref().map(|room| room.id.clone());
                match hub.take_over(&id, &name, resume.as_deref(), &ice, &self.outbox) {
                    Some(outcome) => outcome.map_err(Refused::Taken),
                    // Nobody here has the name: Redis decides, while the socket waits.
                    None => cluster.login(room, name, ice, self.outbox.clone()).await,
                }
            }
        };
        self.logged_in(outcome);
    }

    /// Answers a login: the membership, or why not.
    fn logged_in(&mut self, outcome: Result<Membership, Refused>) {
        match outcome {
            Ok(membership) => {
                let (name, room) = (&membership.user.user_name, membership.room.as_deref());
                info!(name, room = room.unwrap_or("-"), "logged in");
                self.membership = Some(membership);
            }
            Err(Refused::Taken(Taken::Exactly)) => self.send(&ServerMessage::name_taken()),
            Err(Refused::Taken(Taken::LookAlike(holder))) => {
                self.send(&ServerMessage::name_looks_like(holder))
            }
            Err(Refused::Unavailable) => self.send(&ServerMessage::login_failed(
                ErrorCode::TemporarilyUnavailable,
                UNAVAILABLE_MESSAGE,
            )),
        }
    }

    /// Sends the relays held since the last call: one write per receiving socket for all
    /// the messages of one read.
    pub(crate) fn send_held(&mut self) {
        for outbox in self.held.drain(..) {
            outbox.send_held();
        }
    }

    /// Hands out the ICE servers again, with credentials minted now.
    fn refresh_ice_servers(&self) {
        let Some(membership) = &self.membership else {
            return self.error(ErrorCode::NotLoggedIn, "Log in first");
        };
        let ice = self.app.ice.grant(&membership.user.user_name, self.host.as_deref());
        self.send(&ServerMessage::IceServers { ice_servers: ice.servers, ice_ttl: ice.ttl });
    }

    /// Relays to `to` in the sender's room; `message` gets the sender's name, so it cannot
    /// be forged. Payloads pass through as raw JSON and are never logged above debug.
    fn relay(&mut self, to: &str, message: impl FnOnce(String) -> ServerMessage) {
        let Some(membership) = &self.membership else {
            return self.error(ErrorCode::NotLoggedIn, "Log in first");
        };
        let frame = message(membership.user.user_name.clone()).to_json();
        debug!(from = membership.user.user_name, to, frame, "relay");
        let elsewhere = match self.app.hub.relay(membership, to, frame.into()) {
            Delivery::Held(outbox) => {
                if !self.held.iter().any(|held| held.is(&outbox)) {
                    self.held.push(outbox);
                }
                return;
            }
            Delivery::Nobody => None,
            Delivery::Elsewhere(instance, frame) => Some((instance, frame)),
        };
        match (elsewhere, &self.app.cluster) {
            (Some((instance, frame)), Some(cluster)) => {
                if !cluster.relay(&instance, &membership.room, to, &frame) {
                    self.error(ErrorCode::TemporarilyUnavailable, UNAVAILABLE_MESSAGE);
                }
            }
            _ => self.error(ErrorCode::NoSuchUser, format!("User {to} does not exist!")),
        }
    }
}
