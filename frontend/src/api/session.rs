//! Signing in and out, and saved reports. The session token lives in an
//! HttpOnly cookie the server sets: this code never sees it.

use gloo_net::http::Request;
use serde::Serialize;
use shared::api::{NewReport, ReportEntry, SessionInfo};

use super::{get, json, send, ApiError};

/// Who is signed in (or the demo users on offer).
pub async fn current() -> Result<SessionInfo, ApiError> {
    json(get("/api/session").await?).await
}

#[derive(Serialize)]
struct DemoSignIn<'a> {
    role: &'a str,
    org: Option<&'a str>,
}

/// Signs in as a demo user.
pub async fn demo(role: &str, org: Option<&str>) -> Result<SessionInfo, ApiError> {
    json(
        send(
            Request::post("/api/session/demo"),
            Some(&DemoSignIn { role, org }),
        )
        .await?,
    )
    .await
}

/// Signs out.
pub async fn sign_out() -> Result<(), ApiError> {
    send(Request::delete("/api/session"), None::<&()>).await?;
    Ok(())
}

/// The signed-in user's reports and those shared with their organisation.
pub async fn reports() -> Result<Vec<ReportEntry>, ApiError> {
    json(get("/api/reports").await?).await
}

/// Saves a report.
pub async fn save(report: &NewReport) -> Result<ReportEntry, ApiError> {
    json(send(Request::post("/api/reports"), Some(report)).await?).await
}

#[derive(Serialize)]
struct Rename<'a> {
    name: &'a str,
}

/// Renames a report.
pub async fn rename(id: &str, name: &str) -> Result<ReportEntry, ApiError> {
    json(
        send(
            Request::patch(&format!("/api/reports/{id}")),
            Some(&Rename { name }),
        )
        .await?,
    )
    .await
}

/// Deletes a report.
pub async fn delete(id: &str) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/reports/{id}")), None::<&()>).await?;
    Ok(())
}
