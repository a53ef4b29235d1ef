//! Which path a connection took, read from its stats.

use natter_model::link::Route;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::RtcPeerConnection;

/// Reads the selected candidate pair from the stats: relayed if our end is a TURN relay.
pub(super) async fn selected_route(connection: &RtcPeerConnection) -> Option<Route> {
    let report: js_sys::Map = JsFuture::from(connection.get_stats()).await.ok()?.unchecked_into();
    let field = |stat: &JsValue, key: &str| js_sys::Reflect::get(stat, &key.into()).ok();
    let mut pair_id = None;
    report.for_each(&mut |stat, _| {
        if field(&stat, "type").and_then(|t| t.as_string()).as_deref() == Some("transport") {
            pair_id = field(&stat, "selectedCandidatePairId").filter(|id| id.is_string());
        }
    });
    let pair = report.get(&pair_id?);
    let local = report.get(&field(&pair, "localCandidateId")?);
    let kind = field(&local, "candidateType")?.as_string()?;
    Some(if kind == "relay" { Route::Relayed } else { Route::Direct })
}
