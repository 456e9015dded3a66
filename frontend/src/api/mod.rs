//! Talking to the server: one function per request, HTTP status mapped to
//! [`ApiError`].

pub mod cache;
pub mod session;
pub mod tiles;

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::{Boot, ErrorBody, Manifest, TileEntry, BOOT_ELEMENT};
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
    checked(Request::get(url).send().await).await
}

/// The header every request that changes something carries: the server
/// refuses cookie-authenticated changes without it (no other site can set
/// it), see `docs/access.md`.
const CSRF_HEADER: &str = "X-Tvaers-Csrf";

/// Sends a request that changes something: with the CSRF header and,
/// when given, a JSON body.
async fn send(
    request: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<gloo_net::http::Response, ApiError> {
    let request = request.header(CSRF_HEADER, "1");
    let sent = match body {
        Some(body) => {
            request
                .json(body)
                .map_err(|e| ApiError::Decode(e.to_string()))?
                .send()
                .await
        }
        None => request.send().await,
    };
    checked(sent).await
}

/// A JSON answer read as `T`.
async fn json<T: DeserializeOwned>(response: gloo_net::http::Response) -> Result<T, ApiError> {
    response
        .json()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// The response if it is a success, else its error.
async fn checked(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<gloo_net::http::Response, ApiError> {
    let response = sent.map_err(|e| ApiError::Network(e.to_string()))?;
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

/// What the server wrote into the page (see [`Boot`]): the public
/// manifest. Empty when the page has none.
pub fn boot() -> Boot {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(BOOT_ELEMENT))
        .and_then(|element| element.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
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

/// The current manifest with the closed tiles of `scope`, which the
/// caller's own scope covers.
pub async fn manifest_of_scope(scope: &str) -> Result<Manifest, ApiError> {
    checked(
        Request::get("/api/manifest")
            .query([("scope", scope)])
            .send()
            .await,
    )
    .await?
    .json()
    .await
    .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Fetches and decodes one tile.
pub async fn tile(entry: &TileEntry) -> Result<Cube, ApiError> {
    Ok(tile_with_metadata(entry).await?.0)
}

/// Fetches and decodes one tile, with its schema metadata (scope,
/// dictionaries).
pub async fn tile_with_metadata(entry: &TileEntry) -> Result<(Cube, tiles::Metadata), ApiError> {
    let bytes = get(&entry.url)
        .await?
        .binary()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    tiles::decode_with_metadata(&bytes).map_err(|e| ApiError::Decode(e.to_string()))
}
