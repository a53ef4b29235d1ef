//! Names are unique in a room without regard to case, compatibility forms, invisible
//! characters and look-alike letters of other scripts; others see each name exactly as
//! typed. Room ids fold case and compatibility forms as names do.

use crate::common::{start, Client, TestServer};
use serde_json::{json, Value};

/// Longer than the 50 ms a broadcast may linger: an `updateUsers` would show.
const SILENCE_MS: u64 = 300;

/// Opens a socket and tries to log in under `name` in `room` (the lobby for `None`), with
/// `resume` if given; returns the socket and the reply, whatever it is.
async fn try_login(
    server: &TestServer,
    name: &str,
    room: Option<&str>,
    resume: Option<&str>,
) -> (Client, Value) {
    let mut client = Client::open(server).await;
    let mut login = json!({"type": "login", "name": name});
    if let Some(room) = room {
        login["room"] = room.into();
    }
    if let Some(resume) = resume {
        login["resume"] = resume.into();
    }
    client.send(&login.to_string()).await;
    let reply = client.recv_json().await;
    assert_eq!(reply["type"], "login", "{reply}");
    (client, reply)
}

/// The reply to a login of a name too like `holder`'s.
fn looks_like(holder: &str) -> Value {
    let message =
        format!("Username is unavailable: it looks like “{holder}”, a name already in use here");
    json!({"type": "login", "success": false, "message": message, "code": "name_taken", "looksLike": holder})
}

#[tokio::test]
async fn a_name_differing_only_in_case_is_refused() {
    let server = start(&[]).await;
    let mut alice = Client::login_in(&server, "alice", "team").await;
    for name in ["Alice", "ALICE", "aLiCe"] {
        let (_, reply) = try_login(&server, name, Some("team"), None).await;
        assert_eq!(reply, looks_like("alice"), "{name}");
    }
    // The exact name keeps the classic answer.
    let (_, reply) = try_login(&server, "alice", Some("team"), None).await;
    assert_eq!(reply["message"], "Username is unavailable");
    assert_eq!(reply["code"], "name_taken");
    // The room heard of none of them, and alice is still in it.
    alice.expect_silence(SILENCE_MS).await;
    alice.assert_alive().await;
}

#[tokio::test]
async fn fullwidth_and_other_look_alike_forms_are_refused() {
    let server = start(&[]).await;
    let _alice = Client::login_in(&server, "Alice", "team").await;
    for name in [
        "ａｌｉｃｅ",    // fullwidth
        "Ａｌｉｃｅ",    // fullwidth capitals
        "al\u{200D}ice", // a zero-width joiner inside
        "Alice\u{FE0F}", // a variation selector after
        "𝐀𝐥𝐢𝐜𝐞",         // mathematical bold
    ] {
        let (_, reply) = try_login(&server, name, Some("team"), None).await;
        assert_eq!(reply, looks_like("Alice"), "{name:?}");
    }
    let _ada = Client::login_in(&server, "Ada Lovelace", "team").await;
    let (_, reply) = try_login(&server, "ada\u{3000}\u{3000}LOVELACE", Some("team"), None).await;
    assert_eq!(reply, looks_like("Ada Lovelace"));
}

#[tokio::test]
async fn the_name_shown_is_the_one_typed() {
    let server = start(&[]).await;
    let mut bob = Client::login_in(&server, "bob", "team").await;
    let (_alice, reply) = try_login(&server, "Ａlice Ünal", Some("team"), None).await;
    assert_eq!(reply["success"], true, "{reply}");
    let joined = bob.recv_json().await;
    assert_eq!(
        (&joined["type"], &joined["user"]["userName"]),
        (&json!("updateUsers"), &json!("Ａlice Ünal"))
    );
    let (_carol, reply) = try_login(&server, "carol", Some("team"), None).await;
    let names: Vec<_> = reply["users"].as_array().unwrap().iter().map(|u| &u["userName"]).collect();
    assert_eq!(names, ["bob", "Ａlice Ünal"]);
}

#[tokio::test]
async fn the_same_name_in_another_room_is_fine() {
    let server = start(&[]).await;
    let _alice = Client::login_in(&server, "alice", "team").await;
    for room in [Some("other"), None] {
        let (_, reply) = try_login(&server, "Alice", room, None).await;
        assert_eq!(reply["success"], true, "{room:?}: {reply}");
    }
    let (_, reply) = try_login(&server, "ａｌｉｃｅ", Some("elsewhere"), None).await;
    assert_eq!(reply["success"], true, "{reply}");
}

#[tokio::test]
async fn once_alice_leaves_alice_in_capitals_can_log_in() {
    let server = start(&[]).await;
    let alice = Client::login_in(&server, "alice", "team").await;
    let mut bob = Client::login_in(&server, "bob", "team").await;
    let (mut refused, reply) = try_login(&server, "ALICE", Some("team"), None).await;
    assert_eq!(reply, looks_like("alice"));

    drop(alice);
    assert_eq!(bob.recv_json().await["type"], "removeUser");
    // The socket refused before may try again, and now gets the name.
    refused.send(r#"{"type":"login","name":"ALICE","room":"team"}"#).await;
    let reply = refused.recv_json().await;
    assert_eq!(reply["success"], true, "{reply}");
    let joined = bob.recv_json().await;
    assert_eq!(joined["user"]["userName"], "ALICE");
    // And now lowercase alice is the look-alike.
    let (_, reply) = try_login(&server, "alice", Some("team"), None).await;
    assert_eq!(reply, looks_like("ALICE"));
}

#[tokio::test]
async fn a_resume_token_takes_over_only_the_exact_name() {
    let server = start(&[]).await;
    let (mut alice, first) = try_login(&server, "alice", Some("team"), None).await;
    let token = first["resume"].as_str().unwrap();
    // Her token does not make "Alice" hers: it is still a look-alike, and she keeps her login.
    let (_, reply) = try_login(&server, "Alice", Some("team"), Some(token)).await;
    assert_eq!(reply, looks_like("alice"));
    alice.assert_alive().await;
    // Under her own name the token works as ever.
    let (_new, reply) = try_login(&server, "alice", Some("team"), Some(token)).await;
    assert_eq!(reply["id"], first["id"], "{reply}");
    assert_eq!(alice.expect_close().await, Some(4000));
}

#[tokio::test]
async fn relays_still_need_the_exact_name() {
    let server = start(&[]).await;
    let _alice = Client::login_in(&server, "alice", "team").await;
    let mut bob = Client::login_in(&server, "bob", "team").await;
    bob.send(r#"{"type":"leave","name":"ALICE"}"#).await;
    assert_eq!(bob.recv_error().await.0, "no_such_user");
}

#[tokio::test]
async fn invisible_and_direction_characters_are_refused() {
    let server = start(&[]).await;
    let hidden = "Name must not contain invisible characters or text-direction marks";
    let visible = "Name must contain a visible character";
    for (name, message, problem) in [
        ("\u{202E}ecila", hidden, "hidden"),      // shows as "alice"
        ("alice\u{200B}", hidden, "hidden"),      // zero-width space
        ("\u{3164}", hidden, "hidden"),           // Hangul filler, a blank name
        ("\u{200D}", visible, "nothing_visible"), // only a joiner
        ("\u{FE0F}\u{200C}", visible, "nothing_visible"),
    ] {
        let (mut client, reply) = try_login(&server, name, None, None).await;
        let expected = json!({"type": "login", "success": false, "message": message, "code": "bad_name", "problem": problem});
        assert_eq!(reply, expected, "{name:?}");
        client.assert_alive().await;
    }
    // Emoji sequences with joiners are names like any other.
    let (_, reply) = try_login(&server, "👩\u{200D}💻 Ada", None, None).await;
    assert_eq!(reply["success"], true, "{reply}");
}

#[tokio::test]
async fn names_that_look_alike_in_other_scripts_are_refused() {
    let server = start(&[]).await;
    let mut alice = Client::login_in(&server, "Alice", "team").await;
    for name in [
        "\u{410}lice", // Cyrillic capital A
        "\u{391}lice", // Greek capital alpha
        "al\u{456}ce", // Cyrillic small i
        "alic\u{435}", // Cyrillic small ie
        "aIice",       // capital I for small l
    ] {
        let (_, reply) = try_login(&server, name, Some("team"), None).await;
        assert_eq!(reply, looks_like("Alice"), "{name:?}");
    }
    // Names wholly in another script are names like any other.
    let mut others = Vec::new();
    for name in ["вася", "小明"] {
        let (other, reply) = try_login(&server, name, Some("team"), None).await;
        assert_eq!(reply["success"], true, "{name}: {reply}");
        others.push(other);
    }
    let (_, reply) = try_login(&server, "ВАСЯ", Some("team"), None).await;
    assert_eq!(reply, looks_like("вася"), "in capitals");
    for _ in 0..2 {
        assert_eq!(alice.recv_json().await["type"], "updateUsers");
    }
    alice.expect_silence(SILENCE_MS).await;
}

#[tokio::test]
async fn a_look_alike_cannot_take_over_with_the_holders_token() {
    let server = start(&[]).await;
    let (mut alice, first) = try_login(&server, "alice", Some("team"), None).await;
    let token = first["resume"].as_str().unwrap();
    let (_, reply) = try_login(&server, "\u{430}lice", Some("team"), Some(token)).await;
    assert_eq!(reply, looks_like("alice"));
    alice.assert_alive().await;
}

#[tokio::test]
async fn rooms_are_one_in_any_case_and_keep_their_first_spelling() {
    let server = start(&[]).await;
    let (mut alice, first) = try_login(&server, "alice", Some("Book Club"), None).await;
    assert_eq!(first["room"], "Book Club", "{first}");
    let (_bob, reply) = try_login(&server, "bob", Some("book  CLUB"), None).await;
    assert_eq!(reply["room"], "Book Club", "{reply}");
    let names: Vec<_> = reply["users"].as_array().unwrap().iter().map(|u| &u["userName"]).collect();
    assert_eq!(names, ["alice"]);
    assert_eq!(alice.recv_json().await["user"]["userName"], "bob");
    // The lobby has no name to show; a room of nothing visible is refused.
    let (_, lobby) = try_login(&server, "carol", None, None).await;
    assert_eq!(lobby.get("room"), None, "{lobby}");
    let (_, blank) = try_login(&server, "dave", Some("\u{200D}"), None).await;
    assert_eq!(
        (&blank["code"], &blank["problem"]),
        (&json!("bad_room"), &json!("nothing_visible"))
    );
}

#[tokio::test]
async fn a_room_emptied_and_opened_again_takes_the_new_spelling() {
    let server = start(&[]).await;
    let (alice, _) = try_login(&server, "alice", Some("Book Club"), None).await;
    drop(alice);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (_, reply) = try_login(&server, "bob", Some("BOOK CLUB"), None).await;
        if reply["room"] == "BOOK CLUB" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the old spelling stayed: {reply}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
