//! HTTP handlers, one module per resource.

pub mod catalog;
pub mod health;
pub mod ingest;
pub mod manifest;
pub mod spa;
pub mod tiles;

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use shared::api::ErrorBody;

/// A JSON error response with a machine-readable kind and a message.
pub fn error_response(status: StatusCode, error: &str, message: impl Into<String>) -> HttpResponse {
    HttpResponse::build(status).json(ErrorBody {
        error: error.to_string(),
        message: message.into(),
        errors: Vec::new(),
    })
}

/// Unknown API paths answer JSON, not the SPA.
pub async fn not_found() -> HttpResponse {
    error_response(StatusCode::NOT_FOUND, "not_found", "No such API endpoint.")
}
