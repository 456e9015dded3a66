//! `GET /healthz`: the server runs and its store answers; how many tiles
//! it is still compressing in the background, and how many of the
//! bundle's files.

use actix_web::{web, HttpResponse};

use crate::startup::AppState;

/// Liveness and store check.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({
            "status": "ok",
            "store": state.store.engine(),
            "tiles_compressing": state.tiles.pending(),
            "bundle_compressing": state.bundle.pending(),
        })),
        Err(e) => {
            log::error!("health check: {e}");
            super::error_response(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "The database does not answer.",
            )
        }
    }
}
