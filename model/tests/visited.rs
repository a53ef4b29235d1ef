//! The rooms this device has been in, as kept and as listed.

use natter_model::room_name::RoomName;
use natter_model::visited::{newest_first, Visited};

fn visited(room: &str, at: &str) -> Visited {
    Visited { room: room.into(), me: "alice".into(), at: at.into(), ..Visited::default() }
}

#[test]
fn a_room_is_kept_as_one_line_and_read_back() {
    let club = Visited {
        room: "book club".into(),
        me: "alice".into(),
        shown: "Book Club".into(),
        at: "2026-12-04T10:00:00.000Z".into(),
        last: "bob: see\tyou\nsoon".into(),
        unread: 3,
        named: None,
    };
    let record = club.to_record();
    assert!(!record.contains('\n'));
    let back = Visited::from_record("book club", &record).unwrap();
    assert_eq!(back, Visited { last: "bob: see you soon".into(), ..club });
    // The lobby is the empty room; its shown name is empty too.
    let lobby = Visited { room: String::new(), ..visited("", "t") };
    assert_eq!(Visited::from_record("", &lobby.to_record()), Some(lobby));
}

#[test]
fn a_name_given_to_the_room_is_kept_and_shown_as_its_title() {
    let room =
        Visited { shown: "0123456789abcdef0123".into(), ..visited("0123456789abcdef0123", "t") };
    assert_eq!(room.title(), "0123456789abcdef0123");
    let named = RoomName { text: "Book\tclub".into(), by: "bob".into(), at: 1_764_900_000_000 };
    let room = Visited { named: Some(named), ..room };
    let back = Visited::from_record(&room.room, &room.to_record()).unwrap();
    assert_eq!(back.title(), "Book club");
    assert_eq!(back.named.map(|n| (n.by, n.at)), Some(("bob".into(), 1_764_900_000_000)));
    // A record kept before rooms had names still reads.
    let old = Visited::from_record("r", "alice\tr\tt\tlast\t2").unwrap();
    assert_eq!((old.unread, old.named), (2, None));
}

#[test]
fn what_is_not_a_record_is_left_out() {
    for record in [
        "",
        "alice",
        "alice\tx\tt\tlast",
        "alice\tx\tt\tlast\tmany",
        "\tx\tt\tl\t1",
        "a\tx\tt\tl\t1\textra",
        "a\tx\tt\tl\t1\tname\tbob",
        "a\tx\tt\tl\t1\tname\tbob\tsoon",
        "a\tx\tt\tl\t1\tname\tbob\t1\tmore",
    ] {
        assert_eq!(Visited::from_record("r", record), None, "{record:?}");
    }
}

#[test]
fn the_newest_come_first() {
    let mut rooms = vec![
        visited("a", "2026-12-01T10:00:00.000Z"),
        visited("b", "2026-12-03T10:00:00.000Z"),
        visited("c", "2026-12-02T10:00:00.000Z"),
    ];
    newest_first(&mut rooms);
    let order: Vec<_> = rooms.iter().map(|r| r.room.as_str()).collect();
    assert_eq!(order, ["b", "c", "a"]);
}
