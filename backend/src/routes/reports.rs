//! `/api/reports`: reports saved by signed-in users from the advanced
//! tool. A report is private to its owner or shared with the owner's
//! organisation; nobody else learns that it exists (404). See
//! `docs/access.md`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use shared::api::{NewReport, ReportEntry};

use super::{private_json, ApiError};
use crate::auth::request::{check_csrf, Caller};
use crate::auth::{Principal, Role};
use crate::startup::AppState;
use crate::store::{ReportChange, SavedReport};

/// Longest name, description and view, in characters.
const MAX_NAME: usize = 120;
const MAX_DESCRIPTION: usize = 2000;
const MAX_VIEW: usize = 4000;

fn out(report: SavedReport, caller: &Principal) -> ReportEntry {
    ReportEntry {
        mine: report.owner == caller.owner(),
        id: report.id,
        name: report.name,
        description: report.description,
        view: report.view,
        shared: report.shared,
        created_at: report.created_at,
        updated_at: report.updated_at,
    }
}

/// The signed-in caller, or the refusal: 401 without credentials, 403
/// for roles that keep no reports or a cookie request without the CSRF
/// header.
fn signed_in(req: &HttpRequest, state: &AppState) -> Result<Principal, ApiError> {
    let Caller {
        principal,
        via_cookie,
    } = state.auth.caller(req)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "sign_in_required",
            "Sign in to keep reports.",
        )
    })?;
    check_csrf(req, via_cookie)?;
    if principal.role == Role::Ingest {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "no_reports",
            "An ingest token cannot keep reports.",
        ));
    }
    Ok(principal)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal("reports", e)
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_such_report", "No such report.")
}

/// A report the caller may see: its own, or shared with its organisation.
async fn visible(state: &AppState, id: &str, caller: &Principal) -> Result<SavedReport, ApiError> {
    let report = state.store.report(id).await.map_err(internal)?;
    report
        .filter(|r| {
            r.owner == caller.owner() || (r.shared && r.organisation == caller.organisation())
        })
        .ok_or_else(not_found)
}

/// A report the caller owns: 404 if it cannot see it, 403 if it can but
/// does not own it.
async fn owned(state: &AppState, id: &str, caller: &Principal) -> Result<SavedReport, ApiError> {
    let report = visible(state, id, caller).await?;
    if report.owner != caller.owner() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_owner",
            "Only the report's owner can change or delete it.",
        ));
    }
    Ok(report)
}

fn check_text(field: &str, value: &str, max: usize, required: bool) -> Result<(), ApiError> {
    let length = value.chars().count();
    let problem = if required && value.trim().is_empty() {
        Some(format!("{field} must not be empty"))
    } else if length > max {
        Some(format!("{field} is {length} characters; at most {max}"))
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        Some(format!("{field} contains control characters"))
    } else {
        None
    };
    match problem {
        Some(message) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_report",
            message,
        )),
        None => Ok(()),
    }
}

/// A view is an address inside the portal: a path, never another host.
fn check_view(view: &str) -> Result<(), ApiError> {
    check_text("view", view, MAX_VIEW, true)?;
    if !view.starts_with('/') || view.starts_with("//") || view.contains('\\') {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_report",
            "view must be an address inside the portal, starting with a single /",
        ));
    }
    Ok(())
}

/// `GET /api/reports`.
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let caller = signed_in(&req, &state)?;
    let reports = state
        .store
        .reports_visible(&caller.owner(), &caller.organisation())
        .await
        .map_err(internal)?;
    let reports: Vec<_> = reports.into_iter().map(|r| out(r, &caller)).collect();
    Ok(private_json(StatusCode::OK, &reports))
}

/// `POST /api/reports`.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<NewReport>,
) -> Result<HttpResponse, ApiError> {
    let caller = signed_in(&req, &state)?;
    let body = body.into_inner();
    check_text("name", &body.name, MAX_NAME, true)?;
    check_text("description", &body.description, MAX_DESCRIPTION, false)?;
    check_view(&body.view)?;
    let mut id = [0u8; 16];
    getrandom::getrandom(&mut id).map_err(internal)?;
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let report = SavedReport {
        id: hex::encode(id),
        owner: caller.owner(),
        organisation: caller.organisation(),
        name: body.name.trim().to_string(),
        description: body.description.trim().to_string(),
        view: body.view,
        shared: body.shared,
        created_at: now.clone(),
        updated_at: now,
    };
    state.store.insert_report(&report).await.map_err(internal)?;
    Ok(private_json(StatusCode::CREATED, &out(report, &caller)))
}

/// `GET /api/reports/{id}`.
pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = signed_in(&req, &state)?;
    let report = visible(&state, &id, &caller).await?;
    Ok(private_json(StatusCode::OK, &out(report, &caller)))
}

/// `PATCH /api/reports/{id}` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Shared or private.
    pub shared: Option<bool>,
}

/// `PATCH /api/reports/{id}`: rename, describe, share (owner only).
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Change>,
) -> Result<HttpResponse, ApiError> {
    let caller = signed_in(&req, &state)?;
    owned(&state, &id, &caller).await?;
    let body = body.into_inner();
    if let Some(name) = &body.name {
        check_text("name", name, MAX_NAME, true)?;
    }
    if let Some(description) = &body.description {
        check_text("description", description, MAX_DESCRIPTION, false)?;
    }
    let change = ReportChange {
        name: body.name.map(|n| n.trim().to_string()),
        description: body.description.map(|d| d.trim().to_string()),
        shared: body.shared,
    };
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let report = state
        .store
        .update_report(&id, &change, &now)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
    Ok(private_json(StatusCode::OK, &out(report, &caller)))
}

/// `DELETE /api/reports/{id}` (owner only).
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = signed_in(&req, &state)?;
    owned(&state, &id, &caller).await?;
    state.store.delete_report(&id).await.map_err(internal)?;
    Ok(HttpResponse::NoContent().finish())
}
