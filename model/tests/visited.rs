//! The rooms this device has been in, as kept and as listed.

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
fn what_is_not_a_record_is_left_out() {
    for record in [
        "",
        "alice",
        "alice\tx\tt\tlast",
        "alice\tx\tt\tlast\tmany",
        "\tx\tt\tl\t1",
        "a\tx\tt\tl\t1\textra",
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
