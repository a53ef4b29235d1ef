//! Which path a connection took, read from its stats.

use natter_model::link::Route;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::RtcPeerConnection;

/// Reads the selected candidate pair from the stats: relayed if either end is a TURN relay
/// (behind NATs that defeat hole punching, often only one side holds the relay address).
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
    let relayed = |end: &str| {
        let candidate = report.get(&field(&pair, end)?);
        Some(field(&candidate, "candidateType")?.as_string()? == "relay")
    };
    let local = relayed("localCandidateId")?;
    Some(if local || relayed("remoteCandidateId")? { Route::Relayed } else { Route::Direct })
}
