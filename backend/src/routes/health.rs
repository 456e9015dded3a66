//! `GET /healthz`: the server runs and its store answers.

use actix_web::{web, HttpResponse};

use crate::startup::AppState;

/// Liveness and store check.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({
            "status": "ok",
            "store": state.store.engine(),
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
