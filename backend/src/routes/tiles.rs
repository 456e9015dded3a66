//! `GET /api/tiles/{id}`: immutable Arrow IPC tiles.
//!
//! Ids are content hashes, so responses are cacheable forever. Each tile is
//! kept in memory raw and gzip-compressed once; the gzip variant has its
//! own strong ETag, as its bytes differ.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, RwLock};

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use flate2::write::GzEncoder;
use flate2::Compression;
use shared::tile::MEDIA_TYPE;

use super::error_response;
use crate::startup::AppState;

/// A tile's bytes in the encodings we serve.
#[derive(Debug)]
pub struct CachedTile {
    raw: web::Bytes,
    gzip: web::Bytes,
}

/// Tiles by id; entries never change.
#[derive(Clone, Debug, Default)]
pub struct TileCache(Arc<RwLock<HashMap<String, Arc<CachedTile>>>>);

impl TileCache {
    fn get(&self, id: &str) -> Option<Arc<CachedTile>> {
        self.0.read().ok()?.get(id).cloned()
    }

    fn insert(&self, id: &str, raw: Vec<u8>) -> std::io::Result<Arc<CachedTile>> {
        let mut gz = GzEncoder::new(Vec::with_capacity(raw.len() / 4), Compression::best());
        gz.write_all(&raw)?;
        let tile = Arc::new(CachedTile {
            gzip: gz.finish()?.into(),
            raw: raw.into(),
        });
        if let Ok(mut map) = self.0.write() {
            map.insert(id.to_string(), tile.clone());
        }
        Ok(tile)
    }
}

fn is_tile_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| {
            let mut parts = token.trim().split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// One tile, with `ETag`, `If-None-Match` and gzip negotiation.
pub async fn tile(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let id = id.into_inner();
    if !is_tile_id(&id) {
        return error_response(
            StatusCode::NOT_FOUND,
            "no_such_tile",
            "Tile ids are 64 hex digits.",
        );
    }
    let cached = match state.tiles.get(&id) {
        Some(t) => t,
        None => match state.store.tile_bytes(&id).await {
            Ok(Some(bytes)) => match state.tiles.insert(&id, bytes) {
                Ok(t) => t,
                Err(e) => {
                    log::error!("tile {id}: compressing: {e}");
                    return error_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "Could not read the tile.",
                    );
                }
            },
            Ok(None) => {
                return error_response(
                    StatusCode::NOT_FOUND,
                    "no_such_tile",
                    "No tile has this id.",
                )
            }
            Err(e) => {
                log::error!("tile {id}: {e}");
                return error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Could not read the tile.",
                );
            }
        },
    };

    let gzip = accepts_gzip(&req);
    let etag = if gzip {
        format!("\"{id}.gz\"")
    } else {
        format!("\"{id}\"")
    };
    let not_modified = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == etag || t.trim() == "*");
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if not_modified {
        return response.finish();
    }
    response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE)));
    if gzip {
        response
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(cached.gzip.clone())
    } else {
        response.body(cached.raw.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn tile_ids_are_sha256_hex() {
        assert!(is_tile_id(&"a1".repeat(32)));
        assert!(!is_tile_id(&"A1".repeat(32)));
        assert!(!is_tile_id("../etc/passwd"));
    }

    #[test]
    fn gzip_is_negotiated_with_q_values() {
        let req = |v: &str| {
            TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, v))
                .to_http_request()
        };
        assert!(accepts_gzip(&req("gzip, deflate, br")));
        assert!(accepts_gzip(&req("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepts_gzip(&req("gzip;q=0")));
        assert!(!accepts_gzip(&req("br")));
        assert!(!accepts_gzip(&TestRequest::default().to_http_request()));
    }
}
