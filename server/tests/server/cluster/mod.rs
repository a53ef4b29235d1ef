//! Several natter-server processes sharing one real Redis (`--redis-url`): users on
//! different instances see each other, relay to each other and cannot share a name; an
//! instance killed outright and Redis lost and restarted leave no wrong lists behind.

mod harness;

use futures_util::{SinkExt, StreamExt};
use harness::{free_port, set, try_login, url, Instance, Managed, Peer, Redis, NATTER_COMMANDS};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// Longer than a broadcast may linger and a relay may take: anything due would show.
const SETTLE: Duration = Duration::from_millis(500);

/// How long a list may take to show a change on a busy machine (met at once when quiet).
const PROMPTLY: Duration = Duration::from_secs(3);

fn kind(kind: &'static str) -> impl Fn(&Value) -> bool {
    move |frame| frame["type"] == kind
}

fn offer_with(sdp: &str) -> impl Fn(&Value) -> bool + '_ {
    move |frame| frame["type"] == "offer" && frame["offer"]["sdp"] == sdp
}

async fn three(redis: &Redis) -> [Instance; 3] {
    let (a, b, c) =
        tokio::join!(Instance::start(redis), Instance::start(redis), Instance::start(redis));
    [a, b, c]
}

#[tokio::test]
async fn users_on_different_instances_list_and_reach_each_other() {
    let redis = Redis::start().await;
    let [a, b, c] = three(&redis).await;
    let mut alice = Peer::login(&a, "alice", Some("team")).await;
    let mut bob = Peer::login(&b, "bob", Some("team")).await;
    assert_eq!(bob.list(), set(&["alice"]), "bob's login lists alice, on another instance");
    alice.until(PROMPTLY, "bob joined", |h| h.list == set(&["bob"])).await;
    let (_, carol) = try_login(&c, "carol", Some("team")).await;
    let names: Vec<&str> = carol["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "bob"], "oldest first, across instances");

    // Relays both ways, with the sender's name set by its own instance.
    alice.offer("bob", "sdp-a").await;
    let offer = bob.expect("alice's offer", offer_with("sdp-a")).await;
    assert_eq!(offer["name"], "alice");
    bob.send(
        json!({"type": "answer", "name": "alice", "answer": {"type": "answer", "sdp": "sdp-b"}}),
    )
    .await;
    let answer = alice.expect("bob's answer", kind("answer")).await;
    assert_eq!(
        (answer["name"].as_str(), answer["answer"]["sdp"].as_str()),
        (Some("bob"), Some("sdp-b"))
    );
    alice.send(json!({"type": "candidate", "name": "bob", "candidate": {"candidate": "c1"}})).await;
    let candidate = bob.expect("alice's candidate", kind("candidate")).await;
    assert_eq!(candidate["candidate"]["candidate"], "c1");
    bob.send(json!({"type": "leave", "name": "alice"})).await;
    assert_eq!(alice.expect("bob's leave", kind("leave")).await["name"], "bob");

    // Rooms stay apart across instances.
    let mut dave = Peer::login(&c, "dave", Some("elsewhere")).await;
    assert!(dave.list().is_empty());
    dave.offer("alice", "sdp-d").await;
    let error = dave.expect("no such user", kind("error")).await;
    assert_eq!(error["code"], "no_such_user");
    assert!(alice.frames(offer_with("sdp-d")).is_empty());

    // A closed socket leaves every instance's lists; relays to it are refused after.
    bob.close().await;
    alice.until(Duration::from_secs(5), "bob left", |h| h.list.is_empty()).await;
    alice.offer("bob", "sdp-late").await;
    assert_eq!(alice.expect("no such user", kind("error")).await["code"], "no_such_user");
    alice.assert_consistent();
    dave.assert_consistent();
}

#[tokio::test]
async fn a_name_is_held_once_across_instances() {
    let redis = Redis::start().await;
    let [a, b, c] = three(&redis).await;
    let alice = Peer::login(&a, "alice", Some("team")).await;
    let (_, same) = try_login(&b, "alice", Some("team")).await;
    assert_eq!(
        same,
        json!({"type": "login", "success": false, "message": "Username is unavailable", "code": "name_taken"})
    );
    for name in ["ＡＬＩＣＥ", "\u{410}lice", "aIice"] {
        let (_, look_alike) = try_login(&c, name, Some("team")).await;
        assert_eq!(look_alike["code"], "name_taken", "{name}");
        assert_eq!(look_alike["looksLike"], "alice", "{name}");
        assert_eq!(
            look_alike["message"],
            "Username is unavailable: it looks like “alice”, a name already in use here"
        );
    }
    // A name that looks like another in its own spelling only ("aIex": capital I) holds
    // that look across instances, until it leaves.
    let alex = Peer::login(&a, "aIex", Some("team")).await;
    let (_, reply) = try_login(&b, "alex", Some("team")).await;
    assert_eq!(reply["looksLike"], "aIex", "{reply}");
    alex.close().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while try_login(&b, "alex", Some("team")).await.1["success"] != true {
        assert!(Instant::now() < deadline, "aIex's look still held");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Another room, or the lobby, is another namespace.
    Peer::login(&b, "alice", Some("other")).await;
    Peer::login(&c, "alice", None).await;
    // Once alice has gone, her name is free on any instance.
    alice.close().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, reply) = try_login(&b, "alice", Some("team")).await;
        if reply["success"] == true {
            break;
        }
        assert!(Instant::now() < deadline, "alice's name still held: {reply}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn rooms_fold_across_instances_and_show_their_first_spelling() {
    let redis = Redis::start().await;
    let [a, b, _c] = three(&redis).await;
    let (alice, first) = try_login(&a, "alice", Some("Book Club")).await;
    assert_eq!(first["room"], "Book Club", "{first}");
    let (_bob, reply) = try_login(&b, "bob", Some("BOOK club")).await;
    assert_eq!(reply["room"], "Book Club", "{reply}");
    let names: Vec<_> = reply["users"].as_array().unwrap().iter().map(|u| &u["userName"]).collect();
    assert_eq!(names, ["alice"]);
    drop(alice);
    drop(_bob);
    // Emptied, the room forgets its name: the next to open it names it.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_carol, reply) = try_login(&b, "carol", Some("book CLUB")).await;
        if reply["room"] == "book CLUB" {
            break;
        }
        assert!(Instant::now() < deadline, "the old name stayed: {reply}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn users_of_a_killed_instance_leave_every_list_within_15_s() {
    let redis = Redis::start().await;
    let [a, b, mut c] = three(&redis).await;
    let alice = Peer::login(&a, "alice", Some("team")).await;
    let bob = Peer::login(&b, "bob", Some("team")).await;
    let _carol = Peer::login(&c, "carol", Some("team")).await;
    let _dave = Peer::login(&c, "dave", Some("team")).await;
    let everyone = set(&["bob", "carol", "dave"]);
    alice.until(PROMPTLY, "everyone listed", |h| h.list == everyone).await;
    let killed = Instant::now();
    c.kill().await;
    for peer in [&alice, &bob] {
        peer.until(Duration::from_secs(15), "carol and dave gone", |h| {
            !h.list.contains("carol") && !h.list.contains("dave")
        })
        .await;
    }
    println!("users of a killed instance gone from the lists after {:?}", killed.elapsed());
    // Their names are free again.
    Peer::login(&a, "carol", Some("team")).await;
    Peer::login(&b, "dave", Some("team")).await;
    bob.until(PROMPTLY, "carol and dave back", |h| h.list == set(&["alice", "carol", "dave"]))
        .await;
    alice.assert_consistent();
    bob.assert_consistent();
}

#[tokio::test]
async fn sigterm_closes_sockets_as_going_away_and_frees_names_at_once() {
    let redis = Redis::start().await;
    let [a, mut b, _c] = three(&redis).await;
    let alice = Peer::login(&a, "alice", Some("team")).await;
    let bob = Peer::login(&b, "bob", Some("team")).await;
    assert!(b.terminate().await.success());
    bob.until(PROMPTLY, "closed", |h| h.closed.is_some()).await;
    assert_eq!(bob.heard.lock().unwrap().closed, Some(Some(1001)));
    // No lease to wait for (that would take 5 s and more): bob is gone from alice's list
    // and his name is free.
    alice.until(PROMPTLY, "bob left", |h| h.list.is_empty()).await;
    Peer::login(&a, "bob", Some("team")).await;
}

/// The issue's outage: 100 users on three instances, Redis killed and restarted empty.
#[tokio::test]
async fn losing_redis_keeps_sockets_refuses_logins_and_heals_the_lists() {
    let redis = Redis::start().await;
    let instances = three(&redis).await;
    // 10 rooms of 10; user i is on instance i % 3, so every room spans the three.
    let mut peers = Vec::new();
    for i in 0..100 {
        let room = format!("room-{}", i % 10);
        peers.push(Peer::login(&instances[i % 3], &format!("user-{i}"), Some(&room)).await);
    }
    let members = |room: usize, gone: &[usize]| -> Vec<usize> {
        (0..100).filter(|i| i % 10 == room && !gone.contains(i)).collect()
    };
    let expected = |i: usize, gone: &[usize]| {
        let names: Vec<String> = members(i % 10, gone)
            .into_iter()
            .filter(|j| *j != i)
            .map(|j| format!("user-{j}"))
            .collect();
        names.into_iter().collect::<std::collections::BTreeSet<_>>()
    };
    for (i, peer) in peers.iter().enumerate() {
        peer.until(Duration::from_secs(5), "the room listed", |h| h.list == expected(i, &[])).await;
    }

    let port = redis.stop().await;
    let stopped = Instant::now();
    // Logins are refused with a clear code while Redis is away (once the loss is seen).
    loop {
        let (_, reply) = try_login(&instances[0], "newcomer", Some("room-0")).await;
        if reply["code"] == "temporarily_unavailable" {
            assert_eq!(reply["success"], false);
            break;
        }
        assert!(stopped.elapsed() < Duration::from_secs(5), "login during the outage: {reply}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Relays within an instance still go; across instances they are refused, not lost
    // silently. user-0 and user-30 are both on instance 0, user-10 on instance 1.
    peers[0].offer("user-30", "outage-local").await;
    peers[30].expect("a relay within an instance", offer_with("outage-local")).await;
    peers[0].offer("user-10", "outage-remote").await;
    let error = peers[0].expect("the refusal", kind("error")).await;
    assert_eq!(error["code"], "temporarily_unavailable");
    // Ten users leave during the outage; every socket stays up.
    let gone: Vec<usize> = (0..10).map(|room| 90 + room).collect();
    for i in gone.iter().rev() {
        peers.remove(*i).close().await;
    }
    for peer in &peers {
        assert!(peer.heard.lock().unwrap().closed.is_none(), "{} was dropped", peer.name);
    }

    let _redis = Redis::start_on(port).await;
    let restarted = Instant::now();
    for (i, peer) in peers.iter().enumerate() {
        peer.until(
            Duration::from_secs(5).saturating_sub(restarted.elapsed()),
            "the room's list after the outage",
            |h| h.list == expected(i, &gone),
        )
        .await;
    }
    println!("lists correct {:?} after Redis restarted", restarted.elapsed());
    let mut instances = instances;
    for instance in &mut instances {
        instance.connected(2).await;
    }
    // Logins work again, names are still held, and each relay arrives once.
    let (_, reply) = try_login(&instances[1], "user-0", Some("room-0")).await;
    assert_eq!(reply["code"], "name_taken", "{reply}");
    Peer::login(&instances[1], "newcomer", Some("room-0")).await;
    for (i, peer) in peers.iter_mut().enumerate() {
        let to = format!("user-{}", (i + 10) % 90);
        peer.offer(&to, &format!("after-{i}")).await;
    }
    tokio::time::sleep(SETTLE).await;
    for (i, peer) in peers.iter().enumerate() {
        let from = (i + 80) % 90;
        let got = peer.frames(offer_with(&format!("after-{from}")));
        assert_eq!(got.len(), 1, "{}: relays from user-{from}: {got:?}", peer.name);
    }
    for peer in &peers {
        assert_eq!(peer.frames(offer_with("outage-remote")).len(), 0, "never sent late");
        peer.assert_consistent();
    }
}

#[tokio::test]
async fn a_bad_redis_url_is_refused_before_serving() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_natter-server"))
        .args(["--port", "0", "--no-stun", "--redis-url", "http://example.org/"])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--redis-url"), "{stderr}");
    assert!(
        stderr.contains("expected redis[s]://[[user]:password@]host[:port][/database]"),
        "{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "it never served: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[tokio::test]
async fn an_instance_without_its_redis_serves_sockets_and_refuses_logins_until_it_comes() {
    let port = free_port();
    let instance = Instance::serving(&url(port)).await;
    let (mut socket, reply) = try_login(&instance, "alice", None).await;
    assert_eq!(
        reply,
        json!({"type": "login", "success": false, "code": "temporarily_unavailable",
               "message": "Temporarily unavailable: try again in a few seconds"})
    );
    // The socket stays up.
    socket.send(Message::text(r#"{"type":"ping"}"#)).await.unwrap();
    let pong = loop {
        match socket.next().await.unwrap().unwrap() {
            Message::Text(text) => break text,
            _ => continue,
        }
    };
    assert_eq!(pong.as_str(), r#"{"type":"pong"}"#);
    let _redis = Redis::start_on(port).await;
    let started = Instant::now();
    loop {
        let (_, reply) = try_login(&instance, "alice", None).await;
        if reply["success"] == true {
            break;
        }
        assert_eq!(reply["code"], "temporarily_unavailable");
        assert!(started.elapsed() < Duration::from_secs(5), "still refused: {reply}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_resume_token_takes_a_login_over_on_its_own_instance_only() {
    let redis = Redis::start().await;
    let [a, b, _c] = three(&redis).await;
    let (old, reply) = try_login(&a, "alice", Some("team")).await;
    let token = reply["resume"].as_str().unwrap().to_owned();
    let bob = Peer::login(&b, "bob", Some("team")).await;
    let resume = |instance: &Instance| {
        let url = instance.url();
        let login = json!({"type": "login", "name": "alice", "room": "team", "resume": token});
        async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
            ws.next().await.unwrap().unwrap(); // the greeting
            ws.send(Message::text(login.to_string())).await.unwrap();
            let reply = loop {
                if let Message::Text(text) = ws.next().await.unwrap().unwrap() {
                    break serde_json::from_str::<serde_json::Value>(&text).unwrap();
                }
            };
            (ws, reply)
        }
    };
    // Elsewhere the token means nothing: the name is held.
    let (_, elsewhere) = resume(&b).await;
    assert_eq!(elsewhere["code"], "name_taken", "{elsewhere}");
    // On its own instance it takes the login over, same id, and nobody hears of it.
    let (new, taken_over) = resume(&a).await;
    assert_eq!(taken_over["success"], true, "{taken_over}");
    assert_eq!(taken_over["id"], reply["id"]);
    let names: Vec<&str> = taken_over["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bob"]);
    drop(old);
    tokio::time::sleep(SETTLE).await;
    assert_eq!(bob.list(), set(&["alice"]), "no removeUser, no updateUsers");
    bob.assert_consistent();
    // Relays from the other instance reach the new socket.
    let mut bob = bob;
    bob.offer("alice", "to-the-new-socket").await;
    let (_, mut stream) = new.split();
    let offer = loop {
        if let Message::Text(text) = stream.next().await.unwrap().unwrap() {
            break serde_json::from_str::<serde_json::Value>(&text).unwrap();
        }
    };
    assert_eq!((offer["type"].as_str(), offer["name"].as_str()), (Some("offer"), Some("bob")));
    assert_eq!(offer["offer"]["sdp"], "to-the-new-socket");
}

#[tokio::test]
async fn a_hung_redis_is_noticed_and_its_data_reconciled_when_it_answers_again() {
    let redis = Redis::start().await;
    let [mut a, mut b, _c] = three(&redis).await;
    let mut alice = Peer::login(&a, "alice", Some("team")).await;
    let mut bob = Peer::login(&b, "bob", Some("team")).await;
    let carol = Peer::login(&a, "carol", Some("team")).await;
    bob.until(PROMPTLY, "everyone listed", |h| h.list == set(&["alice", "carol"])).await;

    // No reset, no answer: the instances notice by their commands' timeouts.
    redis.signal("-STOP").await;
    let hung = Instant::now();
    loop {
        let (_, reply) = try_login(&b, "dave", Some("team")).await;
        if reply["code"] == "temporarily_unavailable" {
            break;
        }
        assert!(hung.elapsed() < Duration::from_secs(10), "login while Redis hangs: {reply}");
    }
    println!("a hung Redis refused logins after {:?}", hung.elapsed());
    carol.close().await;
    tokio::time::sleep(Duration::from_secs(1)).await;

    redis.signal("-CONT").await;
    let resumed = Instant::now();
    a.connected(2).await;
    b.connected(2).await;
    alice.until(Duration::from_secs(5), "carol gone, bob kept", |h| h.list == set(&["bob"])).await;
    bob.until(Duration::from_secs(5), "carol gone, alice kept", |h| h.list == set(&["alice"]))
        .await;
    println!("lists right {:?} after Redis answered again", resumed.elapsed());
    // carol's name is free, relays pass both ways, and nobody heard nonsense.
    Peer::login(&b, "carol", Some("team")).await;
    alice.offer("bob", "after-the-hang").await;
    bob.expect("alice's offer", offer_with("after-the-hang")).await;
    bob.offer("alice", "and-back").await;
    alice.expect("bob's offer", offer_with("and-back")).await;
    alice.assert_consistent();
    bob.assert_consistent();
}

#[tokio::test]
async fn a_join_is_heard_before_the_newcomers_first_offer_across_instances() {
    let redis = Redis::start().await;
    let [a, b, _c] = three(&redis).await;
    for round in 0..20 {
        let room = format!("order-{round}");
        let (mut bob, _) = try_login(&b, "bob", Some(&room)).await;
        let mut alice = Peer::login(&a, "alice", Some(&room)).await;
        alice.offer("bob", "first").await;
        let mut texts = Vec::new();
        while texts.len() < 2 {
            if let Message::Text(text) = bob.next().await.unwrap().unwrap() {
                texts.push(serde_json::from_str::<serde_json::Value>(&text).unwrap());
            }
        }
        assert_eq!(texts[0]["type"], "updateUsers", "round {round}: {texts:?}");
        assert_eq!(
            (texts[1]["type"].as_str(), texts[1]["name"].as_str()),
            (Some("offer"), Some("alice"))
        );
    }
}

#[tokio::test]
async fn instances_share_a_room_through_a_managed_redis_over_tls_with_an_acl_user() {
    let managed = Managed::new(NATTER_COMMANDS);
    let redis = Redis::start_managed(&managed).await;
    let url = redis.managed_url("secret");
    let ca = managed.ca_file();
    let mut a = Instance::serving_with(&url, &["--redis-ca-file", &ca]).await;
    let mut b = Instance::serving_with(&url, &["--redis-ca-file", &ca]).await;
    a.connected(1).await;
    b.connected(1).await;
    let mut alice = Peer::login(&a, "alice", Some("team")).await;
    let bob = Peer::login(&b, "bob", Some("team")).await;
    bob.until(PROMPTLY, "alice listed", |h| h.list == set(&["alice"])).await;
    alice.until(PROMPTLY, "bob listed", |h| h.list == set(&["bob"])).await;
    alice.offer("bob", "sdp-over-tls").await;
    bob.expect("alice's offer", offer_with("sdp-over-tls")).await;
    let (_, look_alike) = try_login(&b, "\u{410}lice", Some("team")).await;
    assert_eq!(look_alike["looksLike"], "alice", "{look_alike}");
    alice.close().await;
    bob.until(PROMPTLY, "alice left", |h| h.list.is_empty()).await;
}

/// Starts natter-server for Redis at `url` with `more` flags; its exit status and stderr,
/// once it exits (within the test's patience: it must not hang).
async fn refused_at_start(url: &str, more: &[&str]) -> (Option<i32>, String) {
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_natter-server"))
        .args(["--port", "0", "--no-stun", "--static-dir", "/nonexistent", "--redis-url", url])
        .args(more)
        .output();
    let output =
        tokio::time::timeout(Duration::from_secs(10), run).await.expect("no hang").unwrap();
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("serving"),
        "it never served: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn a_wrong_password_certificate_or_user_is_a_clear_error_at_start() {
    let managed = Managed::new(NATTER_COMMANDS);
    let redis = Redis::start_managed(&managed).await;
    let ca = managed.ca_file();
    let (code, stderr) =
        refused_at_start(&redis.managed_url("wrong"), &["--redis-ca-file", &ca]).await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("Redis refused the user name or password"), "{stderr}");
    let (code, stderr) = refused_at_start(&redis.managed_url("secret"), &[]).await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("certificate is not trusted"), "{stderr}");
    assert!(stderr.contains("--redis-ca-file"), "{stderr}");
    let (code, stderr) =
        refused_at_start(&redis.managed_url("secret"), &["--redis-ca-file", "/nonexistent.pem"])
            .await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot read --redis-ca-file /nonexistent.pem"), "{stderr}");

    // A user that may not publish: said at start, not at the first login.
    let narrow = Managed::new("-@all +ping +exists +get +set +del +eval +evalsha +script|load");
    let redis = Redis::start_managed(&narrow).await;
    let ca = narrow.ca_file();
    let (code, stderr) =
        refused_at_start(&redis.managed_url("secret"), &["--redis-ca-file", &ca]).await;
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("may not do what natter needs"), "{stderr}");
}
