//! What the messaging, calls and files parts may do with a peer connection, without knowing
//! the part that owns the connections.

use crate::web::peer_link::SendError;
use natter_model::peer_app::PeerApp;
use natter_protocol::PeerMessage;

/// Sends to peers over their chat channels.
pub trait PeerOutlet {
    /// What the app of `peer` has shown it understands.
    fn app(&self, peer: &str) -> PeerApp;

    /// Who `peer` is on its current connection (its certificate fingerprint), once known.
    fn identity(&self, peer: &str) -> Option<String>;

    /// Sends a chat line's JSON text.
    fn send_line(&self, peer: &str, text: &str) -> Result<(), SendError>;

    /// Sends a typed message; `false` if no chat channel is open, or if the peer is not
    /// known to be natter (an old client would show it as a chat line).
    fn send(&self, peer: &str, message: &PeerMessage) -> bool;
}
