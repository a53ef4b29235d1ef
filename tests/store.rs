//! The IndexedDB store in a real browser: round trips, prefix ranges, writes in one
//! transaction, clearing, a structured-cloned certificate, and failures that end (never
//! hang, never panic).
//! Tests share the database: each writes under a room of its own.

use js_sys::{Array, Object, Promise, Reflect, JSON};
use natter::store::{Store, StoreError, Table, Write};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{DomException, RtcConfiguration, RtcPeerConnection};

wasm_bindgen_test_configure!(run_in_browser);

const TABLES: [Table; 5] =
    [Table::Identity, Table::Contacts, Table::Names, Table::Conversations, Table::Messages];

async fn open() -> Store {
    Store::open().await.expect("the database opens")
}

fn text(value: &str) -> JsValue {
    value.into()
}

fn message_key(room: &str, fingerprint: &str, seq: u32) -> [JsValue; 3] {
    [text(room), text(fingerprint), seq.into()]
}

fn is_failed<T>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Failed(why)) if !why.is_empty())
}

/// Waits for a database request to succeed; `Err` if it fails or is blocked.
fn settled(request: &web_sys::IdbOpenDbRequest) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
        request.set_onblocked(Some(&reject));
    }))
}

#[wasm_bindgen_test]
async fn put_get_delete_round_trip() {
    let store = open().await;
    let key = [text("round trip"), text("fp")];
    assert_eq!(store.get(Table::Conversations, &key).await.unwrap(), None);
    store.put(Table::Conversations, &key, &text(r#"{"v":1}"#)).await.unwrap();
    assert_eq!(store.get(Table::Conversations, &key).await.unwrap(), Some(text(r#"{"v":1}"#)));
    store.put(Table::Conversations, &key, &text(r#"{"v":2}"#)).await.unwrap();
    // Committed: another connection reads it too.
    let other = open().await;
    assert_eq!(other.get(Table::Conversations, &key).await.unwrap(), Some(text(r#"{"v":2}"#)));
    // The same key in another table is another record.
    assert_eq!(store.get(Table::Contacts, &key).await.unwrap(), None);
    let delete = || [Write::Delete(Table::Conversations, key.to_vec())];
    store.write(&delete()).await.unwrap();
    assert_eq!(store.get(Table::Conversations, &key).await.unwrap(), None);
    store.write(&delete()).await.unwrap();
}

#[wasm_bindgen_test]
async fn operations_run_in_call_order_awaited_or_not() {
    let store = open().await;
    let key = [text("order"), text("fp")];
    let other = [text("order"), text("fp2")];
    // Dropped unawaited, yet written, and before the writes called after them.
    drop(store.put(Table::Conversations, &key, &text("first")));
    drop(store.put(Table::Conversations, &other, &text("other")));
    let second = store.put(Table::Conversations, &key, &text("second"));
    let read = store.get(Table::Conversations, &key);
    second.await.unwrap();
    assert_eq!(read.await.unwrap(), Some(text("second")));
    assert_eq!(store.get(Table::Conversations, &other).await.unwrap(), Some(text("other")));
}

#[wasm_bindgen_test]
async fn range_is_one_prefix_in_seq_order() {
    let store = open().await;
    let (room, fp) = ("range", "ab");
    // Out of order; 10 must come after 2 (numbers, not text), and a fingerprint that merely
    // starts with "ab", another room and a shorter fingerprint must stay out.
    let written = [(room, fp, 10), (room, "ab0", 1), (room, fp, 2), ("range2", fp, 1)];
    for (room, fp, seq) in written.into_iter().chain([(room, fp, 1), (room, "a", 5)]) {
        let value = text(&format!("{room}/{fp}/{seq}"));
        store.put(Table::Messages, &message_key(room, fp, seq), &value).await.unwrap();
    }
    let records = store.range(Table::Messages, &[text(room), text(fp)]).await.unwrap();
    let mut seqs = Vec::new();
    for (key, value) in records {
        let key: &Array = key.dyn_ref().expect("an array key");
        assert_eq!((key.get(0), key.get(1)), (text(room), text(fp)));
        let seq = key.get(2).as_f64().unwrap();
        assert_eq!(value, text(&format!("{room}/{fp}/{seq}")));
        seqs.push(seq);
    }
    assert_eq!(seqs, [1.0, 2.0, 10.0]);
    assert!(store.range(Table::Messages, &[text(room), text("nobody")]).await.unwrap().is_empty());
}

/// How many records of `table` have a key that starts with `prefix`.
async fn count(store: &Store, table: Table, prefix: &[JsValue]) -> usize {
    store.range(table, prefix).await.unwrap().len()
}

#[wasm_bindgen_test]
async fn a_write_is_all_or_nothing_in_order() {
    let store = open().await;
    let (room, fp) = ("write", "fp");
    let puts = [message_key(room, fp, 1), message_key(room, fp, 2), message_key(room, fp, 3)]
        .into_iter()
        .chain([message_key(room, "fp2", 1), message_key("write2", fp, 1)])
        .map(|key| Write::Put(Table::Messages, key.to_vec(), text("{}")));
    // Puts, then a delete of one of them, in one transaction: the later one wins.
    let mut writes: Vec<Write> = puts.collect();
    writes.push(Write::Delete(Table::Messages, message_key(room, fp, 2).to_vec()));
    store.write(&writes).await.unwrap();
    let prefix = [text(room), text(fp)];
    assert_eq!(count(&store, Table::Messages, &prefix).await, 2);
    assert_eq!(count(&store, Table::Messages, &[text(room)]).await, 3);
    store.write(&[Write::DeleteRange(Table::Messages, prefix.to_vec())]).await.unwrap();
    assert_eq!(count(&store, Table::Messages, &prefix).await, 0);
    let neighbours = [[text(room), text("fp2")], [text("write2"), text(fp)]];
    for prefix in neighbours {
        assert_eq!(count(&store, Table::Messages, &prefix).await, 1);
    }
    // One bad write undoes the whole transaction.
    let kept = [text(room), text("kept")];
    let failing = [
        Write::Put(Table::Conversations, kept.to_vec(), text("{}")),
        Write::Put(Table::Conversations, vec![text(room), Object::new().into()], text("{}")),
    ];
    assert!(is_failed(store.write(&failing).await));
    assert_eq!(store.get(Table::Conversations, &kept).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn clear_empties_every_table() {
    let store = open().await;
    for table in TABLES {
        store.put(table, &[text("clear"), text("fp")], &text("{}")).await.unwrap();
    }
    store.clear().await.unwrap();
    for table in TABLES {
        assert_eq!(count(&store, table, &[]).await, 0);
    }
}

#[wasm_bindgen_test]
async fn certificate_survives_a_round_trip() {
    let algorithm = Object::new();
    Reflect::set(&algorithm, &text("name"), &text("ECDSA")).unwrap();
    Reflect::set(&algorithm, &text("namedCurve"), &text("P-256")).unwrap();
    let made = RtcPeerConnection::generate_certificate_with_object(&algorithm).unwrap();
    let certificate = JsFuture::from(made).await.unwrap();
    let store = open().await;
    let key = [text("identity test")];
    store.put(Table::Identity, &key, &certificate).await.unwrap();
    let back = store.get(Table::Identity, &key).await.unwrap().expect("the certificate");
    assert_eq!(fingerprints(&back), fingerprints(&certificate));
    // Still a certificate a connection accepts, not a plain object.
    let config = RtcConfiguration::new();
    Reflect::set(&config, &text("certificates"), &Array::of1(&back)).unwrap();
    RtcPeerConnection::new_with_configuration(&config).expect("the certificate is usable").close();
}

fn fingerprints(certificate: &JsValue) -> String {
    let get: js_sys::Function =
        Reflect::get(certificate, &text("getFingerprints")).unwrap().unchecked_into();
    let list = get.call0(certificate).unwrap();
    assert!(Array::from(&list).length() > 0);
    JSON::stringify(&list).unwrap().into()
}

#[wasm_bindgen_test]
async fn uncloneable_value_fails_and_writes_nothing() {
    let store = open().await;
    let key = [text("uncloneable"), text("fp")];
    let function = Closure::<dyn Fn()>::new(|| ()).into_js_value();
    assert!(is_failed(store.put(Table::Conversations, &key, &function).await));
    // The transaction was aborted, and the store goes on working.
    assert_eq!(store.get(Table::Conversations, &key).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn bad_keys_fail_without_panicking() {
    let store = open().await;
    // An object is no key.
    let bad = [text("bad keys"), Object::new().into()];
    assert!(is_failed(store.get(Table::Names, &bad).await));
    assert!(is_failed(store.put(Table::Names, &bad, &text("{}")).await));
    assert!(is_failed(store.range(Table::Names, &bad).await));
    for write in
        [Write::Delete(Table::Names, bad.to_vec()), Write::DeleteRange(Table::Names, bad.to_vec())]
    {
        assert!(is_failed(store.write(&[write]).await));
    }
}

#[wasm_bindgen_test]
async fn deleting_the_database_is_not_held_up() {
    let store = open().await;
    let key = [text("deleted"), text("fp")];
    store.put(Table::Contacts, &key, &text("{}")).await.unwrap();
    // As a newer version in another tab, or "clear site data", would: our connection closes
    // rather than block it (a `blocked` event fails this).
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    settled(&factory.delete_database("natter").unwrap()).await.expect("deleted, not blocked");
    assert!(is_failed(store.get(Table::Contacts, &key).await));
    let fresh = open().await;
    assert_eq!(fresh.get(Table::Contacts, &key).await.unwrap(), None);
}

#[wasm_bindgen_test]
fn browser_errors_are_sorted_out() {
    let error = |name: &str| {
        let exception = DomException::new_with_message_and_name("why", name).unwrap();
        StoreError::from(JsValue::from(exception))
    };
    assert!(matches!(error("QuotaExceededError"), StoreError::QuotaExceeded));
    assert!(matches!(error("InvalidStateError"), StoreError::Failed(why) if why == "why"));
    assert_eq!(StoreError::QuotaExceeded.message(), "Storage is full: new messages are not saved");
    let private = StoreError::Unavailable("private browsing".into()).message();
    assert_eq!(private, "This browser keeps no history here: private browsing");
}
