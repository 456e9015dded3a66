//! `GET /api/manifest`: the current release and its tiles.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use shared::api::{Manifest, TileEntry};
use shared::tile::FORMAT_VERSION;

use super::error_response;
use crate::startup::AppState;

/// The newest release. Always revalidated: it changes with every build.
pub async fn manifest(state: web::Data<AppState>) -> HttpResponse {
    match state.store.latest_release().await {
        Ok(Some((release, tiles))) => HttpResponse::Ok()
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .json(Manifest {
                release: release.id,
                created_at: release.created_at,
                format_version: FORMAT_VERSION,
                tiles: tiles
                    .into_iter()
                    .map(|t| TileEntry {
                        url: format!("/api/tiles/{}", t.id),
                        sha256: t.id.clone(),
                        id: t.id,
                        family: t.family,
                        dimension: t.dimension,
                        rows: u64::try_from(t.rows).unwrap_or(0),
                        bytes: u64::try_from(t.size).unwrap_or(0),
                    })
                    .collect(),
            }),
        Ok(None) => error_response(
            StatusCode::NOT_FOUND,
            "no_release",
            "No data release has been built yet: ingest extracts and run `tvaers build`.",
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
