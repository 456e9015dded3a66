//! HTTP handlers, one module per resource.

pub mod admin;
pub mod catalog;
pub mod encoding;
pub mod health;
pub mod ingest;
pub mod manifest;
pub mod reports;
pub mod session;
pub mod spa;
pub mod tiles;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use shared::api::ErrorBody;

/// A JSON error response with a machine-readable kind and a message.
pub fn error_response(status: StatusCode, error: &str, message: impl Into<String>) -> HttpResponse {
    HttpResponse::build(status).json(ErrorBody {
        error: error.to_string(),
        message: message.into(),
        errors: Vec::new(),
    })
}

/// A JSON answer that depends on the caller: kept by no shared cache,
/// nor by the browser.
pub fn private_json(status: StatusCode, body: &impl serde::Serialize) -> HttpResponse {
    private(HttpResponse::build(status).json(body))
}

/// Marks an answer as depending on the caller (see [`private_json`]).
pub fn private(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::VARY,
        header::HeaderValue::from_static("Cookie, Authorization"),
    );
    response
}

/// Unknown API paths answer JSON, not the SPA.
pub async fn not_found() -> HttpResponse {
    error_response(StatusCode::NOT_FOUND, "not_found", "No such API endpoint.")
}

/// A refused or failed request, answered as [`error_response`] does.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    error: &'static str,
    message: String,
    /// Refused credentials: say so (`WWW-Authenticate`), and remove a
    /// refused session cookie.
    refused_token: Option<bool>,
}

impl ApiError {
    /// An error with a machine-readable kind and a message.
    pub fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error,
            message: message.into(),
            refused_token: None,
        }
    }

    /// 401 for refused credentials; `from_cookie` also removes the
    /// cookie, so the next request is a public one.
    pub fn refused_token(from_cookie: bool, message: impl Into<String>) -> ApiError {
        ApiError {
            refused_token: Some(from_cookie),
            ..ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", message)
        }
    }

    /// 500, with the details in the log only.
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> ApiError {
        log::error!("{context}: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("Something went wrong on the server ({context}); see its log."),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.error, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = error_response(self.status, self.error, self.message.clone());
        if let Some(from_cookie) = self.refused_token {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            if from_cookie {
                let _ = response.add_cookie(&crate::auth::request::removal_cookie());
            }
        }
        response
    }
}
