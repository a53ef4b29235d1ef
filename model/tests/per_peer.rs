//! A value per peer name.

use natter_model::per_peer::PerPeer;

#[test]
fn values_are_found_replaced_and_removed_by_name() {
    let mut peers = PerPeer::default();
    assert!(peers.is_empty());
    peers.insert("bob", 1);
    peers.insert("carol", 2);
    peers.insert("bob", 3);
    assert_eq!((peers.len(), peers.get("bob")), (2, Some(&3)));
    *peers.get_or_default("dave") += 4;
    assert_eq!(peers.names().collect::<Vec<_>>(), ["bob", "carol", "dave"]);
    assert_eq!(peers.values().collect::<Vec<_>>(), [&3, &2, &4]);
    assert_eq!(peers.remove("carol"), Some(2));
    assert_eq!(peers.get("carol"), None);
    assert_eq!(peers.remove("carol"), None);
}
