//! Talking to the server: one function per request, HTTP status mapped to
//! [`ApiError`].

pub mod cache;
pub mod tiles;

use gloo_net::http::Request;
use shared::api::{ErrorBody, Manifest, TileEntry};
use shared::cube::Cube;

/// Why data could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The request did not reach the server.
    #[error("network: {0}")]
    Network(String),
    /// The server answered with an error.
    #[error("{status}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The answer could not be read.
    #[error("unreadable answer: {0}")]
    Decode(String),
}

async fn get(url: &str) -> Result<gloo_net::http::Response, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.message,
        Err(_) => response.status_text(),
    };
    Err(ApiError::Status { status, message })
}

/// The manifest of release `id`, or of the current release.
pub async fn manifest(id: Option<&str>) -> Result<Manifest, ApiError> {
    let url = id.map_or_else(
        || "/api/manifest".to_string(),
        |id| format!("/api/releases/{id}"),
    );
    get(&url)
        .await?
        .json()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Fetches and decodes one tile.
pub async fn tile(entry: &TileEntry) -> Result<Cube, ApiError> {
    let bytes = get(&entry.url)
        .await?
        .binary()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    tiles::decode(&bytes).map_err(|e| ApiError::Decode(e.to_string()))
}
