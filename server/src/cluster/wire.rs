//! What natter keeps in Redis and sends through it: key names, member records, events and
//! relays, all as text. Names and room ids never hold control characters (the protocol
//! refuses them), so a tab separates fields.

use crate::hub::RoomId;
use crate::names::NameKeys;
use crate::roster::Present;
use natter_protocol::User;
use std::sync::Arc;

/// The channel every instance hears joins, leaves and reconnections on.
pub const EVENTS: &str = "natter:events";
/// The counter that orders logins.
pub const SEQ: &str = "natter:seq";
/// The set of instance ids, for the reaper to go through.
pub const INSTANCES: &str = "natter:instances";
/// A room's hash (name key → record, see `scripts`) is this and the room id; the lobby's
/// is [`LOBBY`].
pub const ROOM_PREFIX: &str = "natter:room:";
pub const LOBBY: &str = "natter:lobby";

/// The key that says an instance is alive; it expires unless renewed.
pub fn lease(instance: &str) -> String {
    format!("natter:lease:{instance}")
}

/// An instance's hash of the logins it holds: user id → room and name keys ([`place`]).
pub fn owned(instance: &str) -> String {
    format!("natter:owned:{instance}")
}

/// The channel an instance hears relays for its sockets on.
pub fn relays(instance: &str) -> String {
    format!("natter:relay:{instance}")
}

pub fn room_key(room: &RoomId) -> String {
    match room {
        Some(room) => format!("{ROOM_PREFIX}{room}"),
        None => LOBBY.to_owned(),
    }
}

/// A room id as a field of records and events: the lobby is empty (no room id is).
pub fn room_field(room: &RoomId) -> &str {
    room.as_deref().unwrap_or("")
}

fn parse_room(field: &str) -> RoomId {
    (!field.is_empty()).then(|| field.to_owned())
}

/// Where an instance's login is, in its `owned` hash: `room \t key [\t second key]`.
pub fn place(room: &RoomId, keys: &NameKeys) -> String {
    let mut place = format!("{}\t{}", room_field(room), keys.caseless);
    if let Some(second) = &keys.as_typed {
        place.push('\t');
        place.push_str(second);
    }
    place
}

/// The room and name keys of a [`place`].
pub fn parse_place(place: &str) -> Option<(RoomId, NameKeys)> {
    let mut fields = place.split('\t');
    let room = parse_room(fields.next()?);
    let caseless = fields.next()?.to_owned();
    let as_typed = fields.next().map(str::to_owned);
    Some((room, NameKeys { caseless, as_typed }))
}

/// A member's record in its room's hash: `seq \t instance \t id \t name` (the claim
/// script writes the same).
pub fn record(member: &Present) -> String {
    let Present { seq, user, instance } = member;
    format!("{seq}\t{instance}\t{}\t{}", user.id, user.user_name)
}

/// Reads a record; `intern` gives the instance id's shared copy.
pub fn parse_record(text: &str, intern: &impl Fn(&str) -> Arc<str>) -> Option<Present> {
    let mut fields = text.splitn(4, '\t');
    let seq = fields.next()?.parse().ok()?;
    let instance = intern(fields.next()?);
    let id = fields.next()?.to_owned();
    let user_name = fields.next()?.to_owned();
    Some(Present { seq, user: Arc::new(User { id, user_name }), instance })
}

/// What instances tell each other on [`EVENTS`].
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// `J \t room \t record`: a login.
    Joined(RoomId, Present),
    /// `L \t room \t record`: a login ended (or its instance was reaped).
    Left(RoomId, Present),
    /// `S \t instance`: the instance reconnected and Redis holds all its logins again.
    Settled(String),
}

pub fn settled(instance: &str) -> String {
    format!("S\t{instance}")
}

pub fn parse_event(text: &str, intern: &impl Fn(&str) -> Arc<str>) -> Option<Event> {
    let (kind, rest) = text.split_once('\t')?;
    if kind == "S" {
        return Some(Event::Settled(rest.to_owned()));
    }
    let (room, record) = rest.split_once('\t')?;
    let member = parse_record(record, intern)?;
    match kind {
        "J" => Some(Event::Joined(parse_room(room), member)),
        "L" => Some(Event::Left(parse_room(room), member)),
        _ => None,
    }
}

/// A relay to `to` in `room`: `room \t to \t length \t frame`, the length in bytes, since
/// the frame is JSON from a client and may hold any character. Relays for one instance
/// queued together are published as one message, one after another.
pub fn relay(room: &RoomId, to: &str, frame: &str) -> String {
    format!("{}\t{to}\t{}\t{frame}", room_field(room), frame.len())
}

/// The relays of one message, until the first that cannot be read.
pub fn parse_relays(mut text: &str) -> impl Iterator<Item = (RoomId, &str, &str)> {
    std::iter::from_fn(move || {
        let mut fields = text.splitn(4, '\t');
        let room = parse_room(fields.next()?);
        let to = fields.next()?;
        let length: usize = fields.next()?.parse().ok()?;
        let rest = fields.next()?;
        let frame = rest.get(..length)?;
        text = &rest[length..];
        Some((room, to, frame))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intern(instance: &str) -> Arc<str> {
        instance.into()
    }

    fn alice() -> Present {
        let user = Arc::new(User { id: "id-1".into(), user_name: "Alice Ünal".into() });
        Present { seq: 42, user, instance: "inst-a".into() }
    }

    #[test]
    fn records_read_back() {
        let text = record(&alice());
        assert_eq!(text, "42\tinst-a\tid-1\tAlice Ünal");
        assert_eq!(parse_record(&text, &intern), Some(alice()));
        assert_eq!(parse_record("x\ta\tb\tc", &intern), None);
        assert_eq!(parse_record("1\ta\tb", &intern), None);
    }

    #[test]
    fn events_read_back() {
        let joined = format!("J\tteam\t{}", record(&alice()));
        assert_eq!(
            parse_event(&joined, &intern),
            Some(Event::Joined(Some("team".into()), alice()))
        );
        let left = format!("L\t\t{}", record(&alice()));
        assert_eq!(parse_event(&left, &intern), Some(Event::Left(None, alice())));
        assert_eq!(parse_event(&settled("inst-b"), &intern), Some(Event::Settled("inst-b".into())));
        assert_eq!(parse_event("X\tteam\t1\ta\tb\tc", &intern), None);
        assert_eq!(parse_event("garbage", &intern), None);
    }

    #[test]
    fn relays_keep_their_frames_whole_one_after_another() {
        let frame = "{\"type\":\"offer\",\t\"offer\":{\"sdp\":\"v=0\\r\\n\"}}";
        let mut batch = relay(&Some("r".into()), "bob", frame);
        batch.push_str(&relay(&None, "ann", "{}"));
        let relays: Vec<_> = parse_relays(&batch).collect();
        assert_eq!(relays, [(Some("r".into()), "bob", frame), (None, "ann", "{}")]);
        // A frame of other characters than it says: nothing past it is read.
        assert_eq!(parse_relays("r\tbob\t9\t{}").count(), 0);
        assert_eq!(parse_relays("r\tbob\tx\t{}").count(), 0);
        assert_eq!(parse_relays("no tabs").count(), 0);
        assert_eq!(parse_relays("").count(), 0);
    }

    #[test]
    fn the_lobby_has_a_key_no_room_has() {
        assert_eq!(room_key(&None), LOBBY);
        assert_eq!(room_key(&Some("lobby".into())), "natter:room:lobby");
        let alice = NameKeys::of("alice");
        assert_eq!(place(&None, &alice), "\talice");
        let bob = NameKeys::of("Bob");
        assert_eq!(place(&Some("r".into()), &bob), "r\tbob\tBob");
        assert_eq!(parse_place(&place(&Some("r".into()), &bob)), Some((Some("r".into()), bob)));
        assert_eq!(parse_place(&place(&None, &alice)), Some((None, alice)));
    }
}
