//! `GET /api/tiles/{id}`: immutable Arrow IPC tiles.
//!
//! Ids are content hashes, so responses are cacheable forever. Each tile is
//! compressed once (brotli and gzip, public tiles at their best quality) and kept in
//! memory raw and compressed; the server warms this cache with the latest
//! release's base tiles before it listens, and with its split tiles in
//! the background after (`/healthz` says how many are left). Brotli is preferred when the client accepts
//! it, then gzip (see [`super::encoding`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use shared::tile::MEDIA_TYPE;

use super::encoding::Compressed;
pub use super::encoding::Effort;
use super::ApiError;
use crate::auth::Scope;
use crate::startup::AppState;

/// A tile's bytes in the encodings we serve.
#[derive(Debug)]
pub struct CachedTile {
    /// The scope of a closed tile; `None` for a public one.
    scope: Option<Scope>,
    body: Compressed,
}

/// One tile's place in the cache: filled once, by whoever comes first;
/// requests for the same tile meanwhile wait for that compression instead
/// of starting their own.
type Slot = Arc<OnceLock<Arc<CachedTile>>>;

/// Tiles by id; entries never change.
#[derive(Clone, Debug, Default)]
pub struct TileCache {
    tiles: Arc<RwLock<HashMap<String, Slot>>>,
    /// Tiles handed to [`TileCache::warm_in_background`] and not yet
    /// compressed.
    pending: Arc<AtomicUsize>,
}

impl TileCache {
    fn get(&self, id: &str) -> Option<Arc<CachedTile>> {
        self.tiles.read().ok()?.get(id)?.get().cloned()
    }

    /// Compresses `tiles` (public ones, by id) into the cache on a thread
    /// of their own, and logs `done` when all are.
    pub fn warm_in_background(&self, tiles: Vec<(String, Vec<u8>)>, done: String) {
        self.pending.fetch_add(tiles.len(), Ordering::SeqCst);
        let cache = self.clone();
        std::thread::spawn(move || {
            for (id, bytes) in tiles {
                cache.insert(&id, bytes, None, Effort::Best);
                cache.pending.fetch_sub(1, Ordering::SeqCst);
            }
            log::info!("{done}");
        });
    }

    /// How many tiles are still being compressed in the background (a
    /// benchmark waits for 0: compression takes both cores for a while).
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }

    fn slot(&self, id: &str) -> Slot {
        if let Some(slot) = self.tiles.read().ok().and_then(|m| m.get(id).cloned()) {
            return slot;
        }
        match self.tiles.write() {
            Ok(mut map) => map.entry(id.to_string()).or_default().clone(),
            Err(_) => Slot::default(),
        }
    }

    /// Compresses and keeps a tile (of `scope`, if closed); blocks while
    /// another thread compresses the same tile. A tile kept already is
    /// kept as it is.
    pub fn insert(
        &self,
        id: &str,
        raw: Vec<u8>,
        scope: Option<Scope>,
        effort: Effort,
    ) -> Arc<CachedTile> {
        self.slot(id)
            .get_or_init(|| Arc::new(CachedTile::compress(raw, scope, effort)))
            .clone()
    }
}

impl CachedTile {
    /// A public tile is compressed once for every visitor, at the best
    /// quality when there is time; a closed one for the few of its scope,
    /// and there are thousands: quickly.
    fn compress(raw: Vec<u8>, scope: Option<Scope>, effort: Effort) -> CachedTile {
        let effort = if scope.is_none() {
            effort
        } else {
            Effort::Quick
        };
        CachedTile {
            body: Compressed::new(raw, effort),
            scope,
        }
    }
}

fn is_tile_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Compresses a tile into the cache. Brotli at its best quality takes a
/// while, so it runs on the blocking pool: the workers go on answering
/// other requests.
async fn compress(
    state: &web::Data<AppState>,
    id: &str,
    bytes: Vec<u8>,
    scope: Option<Scope>,
) -> Result<Arc<CachedTile>, String> {
    let (state, id) = (state.clone(), id.to_string());
    web::block(move || state.tiles.insert(&id, bytes, scope, Effort::Quick))
        .await
        .map_err(|e| e.to_string())
}

/// The scope a stored tile names. A scope that cannot be read opens the
/// tile to national callers only.
fn stored_scope(id: &str, scope: Option<String>) -> Option<Scope> {
    let text = scope?;
    Some(Scope::parse(&text).unwrap_or_else(|| {
        log::error!("tile {id}: unreadable scope {text:?}");
        Scope::National
    }))
}

fn no_such_tile() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_such_tile",
        "No tile has this id.",
    )
}

/// One tile, with `ETag`, `If-None-Match` and gzip negotiation. A closed
/// tile outside the caller's scope answers exactly as a tile that does
/// not exist.
pub async fn tile(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if !is_tile_id(&id) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_tile",
            "Tile ids are 64 hex digits.",
        ));
    }
    let caller = state.auth.caller(&req)?.map(|c| c.principal);
    let allowed = |scope: &Option<Scope>| match scope {
        None => true,
        Some(scope) => caller.as_ref().is_some_and(|c| c.covers(scope)),
    };
    let read_error = |e| ApiError::internal("reading a tile", e);
    let cached = match state.tiles.get(&id) {
        Some(t) if allowed(&t.scope) => t,
        Some(_) => return Err(no_such_tile()),
        None => {
            // The scope first: refusing costs no read of the bytes.
            let scope = state.store.tile_scope(&id).await.map_err(read_error)?;
            let scope = stored_scope(&id, scope.ok_or_else(no_such_tile)?);
            if !allowed(&scope) {
                return Err(no_such_tile());
            }
            let bytes = state.store.tile_bytes(&id).await.map_err(read_error)?;
            compress(&state, &id, bytes.ok_or_else(no_such_tile)?, scope)
                .await
                .map_err(|e| ApiError::internal("compressing a tile", e))?
        }
    };

    // A closed tile is for its caller only: not kept by shared caches,
    // nor by the browser once the session ends.
    let (cache, vary) = match cached.scope {
        None => ("public, max-age=31536000, immutable", "Accept-Encoding"),
        Some(_) => (
            "private, no-store",
            "Accept-Encoding, Cookie, Authorization",
        ),
    };
    Ok(cached.body.respond(&req, &id, MEDIA_TYPE, cache, vary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_are_sha256_hex() {
        assert!(is_tile_id(&"a1".repeat(32)));
        assert!(!is_tile_id(&"A1".repeat(32)));
        assert!(!is_tile_id("../etc/passwd"));
    }

    #[test]
    fn brotli_round_trips() {
        use std::io::Read;
        let raw: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 97).to_le_bytes())
            .collect();
        let packed = crate::tile::brotli(&raw).expect("compresses");
        assert!(packed.len() < raw.len() / 4);
        let mut back = Vec::new();
        brotli::Decompressor::new(packed.as_slice(), 4096)
            .read_to_end(&mut back)
            .expect("decompresses");
        assert_eq!(back, raw);
    }
}
