//! The built app: files from the static dir, precompressed when possible, SPA fallback.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use tracing::warn;

/// Hashed asset names change with their content, so browsers may keep them for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Anything else is revalidated on every load: index.html above all, and sw.js, whose new
/// bytes are how browsers learn of a new build.
const REVALIDATE: &str = "no-cache";

/// The static file service for one directory.
#[derive(Debug, Clone)]
pub struct StaticFiles {
    dir: PathBuf,
    files: ServeDir<ServeFile>,
}

impl StaticFiles {
    /// Serves `dir`; unknown paths get `index.html` so client-side routes survive a reload.
    pub fn new(dir: &Path) -> Self {
        if let Some(plain) = uncompressed_wasm(dir) {
            warn!(
                file = %plain.display(),
                "no .br beside the app's wasm: it goes out uncompressed (build with make build)"
            );
        }
        let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
        let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
        Self { dir: dir.to_owned(), files }
    }

    /// Answers one GET or HEAD request.
    pub async fn respond(&self, request: Request) -> Response {
        let hashed = is_hashed_asset(request.uri().path());
        let Ok(response) = self.files.clone().oneshot(request).await;
        if response.status() == StatusCode::NOT_FOUND {
            let text = format!(
                "Not found (and no app: {} has no index.html; build it first)\n",
                self.dir.join("index.html").display()
            );
            return (StatusCode::NOT_FOUND, text).into_response();
        }
        let mut response = response.map(Body::new);
        let is_html = response
            .headers()
            .get(CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
        let cache = if hashed && !is_html { IMMUTABLE } else { REVALIDATE };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
        // The same path is sent br, gzip or plain: caches must key on what was asked for.
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        response
    }
}

/// A `.wasm` in `dir` with no precompressed copy beside it, if there is one.
fn uncompressed_wasm(dir: &Path) -> Option<PathBuf> {
    let mut files = std::fs::read_dir(dir).ok()?.flatten().map(|entry| entry.path());
    files.find(|path| {
        path.extension() == Some("wasm".as_ref()) && !path.with_extension("wasm.br").exists()
    })
}

/// Whether the file name carries a content hash as scripts/build-app.mjs writes it:
/// `name-<hex, 8 or more>` followed by `.` or `_` (`app-1a2b3c4d5e6f7a8b_bg.wasm`).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    file.match_indices('-').any(|(at, _)| {
        let rest = &file[at + 1..];
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        hex >= 8 && matches!(rest.as_bytes().get(hex), Some(b'.' | b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_build_hashes() {
        assert!(is_hashed_asset("/natter-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/natter-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/assets/style-0123abcd.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/my-file.js"));
        assert!(!is_hashed_asset("/room-deadbeef"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
    }
}
