//! `/api/admin/…`: the trusted keys, and release builds. `admin` tokens
//! only: 401 without credentials, 403 for every other role.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{private_json, ApiError};
use crate::auth::request::check_csrf;
use crate::auth::Role;
use crate::startup::AppState;

fn admin(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    let caller = state.auth.caller(req)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "sign_in_required",
            "An admin token is required.",
        )
    })?;
    if caller.principal.role != Role::Admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Only the admin role may do this.",
        ));
    }
    check_csrf(req, caller.via_cookie)
}

/// One trusted key.
#[derive(Debug, Serialize)]
struct KeyOut {
    iss: String,
    kid: String,
    alg: String,
    source: String,
}

/// `GET /api/admin/keys`: the issuers and keys tokens are verified with.
pub async fn keys(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    admin(&req, &state)?;
    let keys: Vec<KeyOut> = state
        .auth
        .verifier
        .keys()
        .into_iter()
        .map(|k| KeyOut {
            iss: k.issuer.clone(),
            kid: k.kid.clone(),
            alg: format!("{:?}", k.algorithm),
            source: k.source.clone(),
        })
        .collect();
    Ok(private_json(StatusCode::OK, &keys))
}

/// `POST /api/admin/releases`: aggregates what the store holds and
/// publishes a release (with the default rules).
pub async fn build(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    admin(&req, &state)?;
    let summary = crate::release::build(&state.store)
        .await
        .map_err(|e| ApiError::internal("release build", e))?;
    Ok(private_json(
        StatusCode::OK,
        &serde_json::json!({
            "release": summary.release,
            "published": summary.published,
            "tiles": summary.tiles.len() + summary.closed.len(),
        }),
    ))
}
