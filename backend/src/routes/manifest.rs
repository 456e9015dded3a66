//! `GET /api/manifest`: the current release and its tiles;
//! `GET /api/releases/{id}`: the manifest of any release built here (kept,
//! so that an old link still reproduces its numbers). Both say what
//! changed since the release before. Both take `?scope=…`: a caller whose
//! scope covers another (the national scope covers every scope) may ask
//! for that scope's closed tiles instead of its own — the cluster pages of
//! a national user read one GP cluster's detail tile, not the whole
//! country's.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use shared::api::{Manifest, TileChange, TileEntry};
use shared::tile::FORMAT_VERSION;

use super::error_response;
use crate::auth::Scope;
use crate::startup::AppState;
use crate::store::{Release, StoredTile, Tiles};

/// The newest release. Always revalidated: it changes with every build.
pub async fn manifest(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    answer(&req, &state, None, CacheDirective::NoCache).await
}

/// One release by id. A release never changes, so it may be cached.
pub async fn release(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> HttpResponse {
    answer(&req, &state, Some(&id), CacheDirective::MaxAge(3600)).await
}

/// The manifest lists the public tiles and the closed tiles of the
/// caller's own scope; an answer with closed tiles is private.
async fn answer(
    req: &HttpRequest,
    state: &AppState,
    id: Option<&str>,
    cache: CacheDirective,
) -> HttpResponse {
    let caller = match state.auth.caller(req) {
        Ok(caller) => caller.map(|c| c.principal),
        Err(refused) => return refused.error_response(),
    };
    let signed_in = caller.is_some();
    let asked =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("scope").cloned());
    let scope = match asked {
        None => caller.and_then(|c| c.scope).map(|s| s.to_string()),
        Some(text) => {
            let Some(asked) = Scope::parse(&text) else {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    "unknown_scope",
                    format!("Not a scope: {text:?} (e.g. gp_cluster:12, municipality:0751)."),
                );
            };
            if !caller.is_some_and(|c| c.covers(&asked)) {
                return error_response(
                    StatusCode::FORBIDDEN,
                    "scope_not_covered",
                    format!("Your sign-in does not cover the scope {asked}."),
                );
            }
            Some(asked.to_string())
        }
    };
    match manifest_for(state, id, scope.as_deref()).await {
        Ok(Some(manifest)) => {
            let cache = if signed_in {
                vec![CacheDirective::Private, CacheDirective::NoStore]
            } else {
                vec![CacheDirective::Public, cache]
            };
            HttpResponse::Ok()
                .insert_header(CacheControl(cache))
                .insert_header(("Vary", "Cookie, Authorization"))
                .json(manifest)
        }
        Ok(None) if id.is_none() => error_response(
            StatusCode::NOT_FOUND,
            "no_release",
            "No data release has been built yet: ingest extracts and run `tvaers build`.",
        ),
        Ok(None) => error_response(
            StatusCode::NOT_FOUND,
            "no_such_release",
            "No release has this id.",
        ),
        Err(e) => {
            log::error!("manifest: {e}");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Could not read the manifest.",
            )
        }
    }
}

/// The manifest of release `id` (`None`: the current one) with the public
/// tiles and the closed tiles of `scope`; `None` when there is no such
/// release.
pub async fn manifest_for(
    state: &AppState,
    id: Option<&str>,
    scope: Option<&str>,
) -> Result<Option<Manifest>, crate::store::StoreError> {
    Ok(state
        .store
        .release_with(id, Tiles::PublicAnd(scope))
        .await?
        .map(to_manifest))
}

fn to_manifest(release: Release) -> Manifest {
    let pairs = |tiles: &[StoredTile]| -> Vec<(String, String)> {
        tiles
            .iter()
            .map(|t| match &t.scope {
                Some(scope) => (format!("{}@{scope}", t.family), t.id.clone()),
                None => (t.family.clone(), t.id.clone()),
            })
            .collect()
    };
    let changes = TileChange::between(&pairs(&release.previous_tiles), &pairs(&release.tiles));
    Manifest {
        release: release.record.id,
        created_at: release.record.created_at,
        format_version: FORMAT_VERSION,
        tiles: release
            .tiles
            .into_iter()
            .map(|t| TileEntry {
                url: format!("/api/tiles/{}", t.id),
                sha256: t.id.clone(),
                id: t.id,
                family: t.family,
                dimension: t.dimension,
                scope: t.scope,
                rows: u64::try_from(t.rows).unwrap_or(0),
                bytes: u64::try_from(t.size).unwrap_or(0),
            })
            .collect(),
        previous: release.previous,
        changes,
    }
}
