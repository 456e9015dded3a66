//! `/api/session`: who is signed in, signing in with a token (kept in an
//! HttpOnly cookie), demo sign-in through the development issuer, and
//! signing out. See `docs/access.md`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use shared::api::{DemoUser, SessionInfo};
use shared::{geography, Lang};

use super::{private, ApiError};
use crate::auth::request::{check_csrf, removal_cookie, Caller};
use crate::auth::{dev, Principal, Role, Scope};
use crate::startup::AppState;

/// How long a demo session lasts.
const DEMO_TTL_SECONDS: u64 = 8 * 3600;

fn info(principal: &Principal) -> SessionInfo {
    SessionInfo {
        signed_in: true,
        role: Some(principal.role.key().to_string()),
        org: principal.org.clone(),
        scope: principal.scope.as_ref().map(Scope::to_string),
        scope_label: principal.scope.as_ref().map(Scope::label),
        scope_label_en: principal.scope.as_ref().map(|s| s.label_in(Lang::En)),
        name: principal.name.clone(),
        expires: Some(principal.expires),
        demo: principal.issuer == dev::ISSUER,
        demo_users: Vec::new(),
    }
}

/// The users a demo visitor may sign in as: an example of each role
/// that opens closed tiles, around Aarhus, the practice and its GP
/// cluster taken from the provider register when the release has their
/// closed tiles.
async fn demo_users(state: &AppState) -> Vec<DemoUser> {
    let aarhus = 751;
    let cluster = geography::municipality(aarhus).map_or(1, |m| u16::from(m.health_cluster));
    let mut users = vec![
        (Role::Municipality, Some(format!("{aarhus:04}")), None),
        (Role::Region, Some("1082".to_string()), None),
        (Role::HealthCluster, Some(cluster.to_string()), None),
    ];
    // Offered only when the current release has their closed tiles.
    let has = |scope: Scope| async move {
        let scope = scope.to_string();
        state
            .store
            .current_release_has_scope(&scope)
            .await
            .unwrap_or(false)
    };
    if let Ok(Some((number, name, gp_cluster))) = state.store.first_practice_in(aarhus).await {
        if has(Scope::GpPractice(number.clone())).await {
            users.push((
                Role::GpPractice,
                Some(number.clone()),
                Some(format!("{name} ({number})")),
            ));
        }
        if let Some(k) = gp_cluster.and_then(|c| u16::try_from(c).ok()) {
            if has(Scope::GpCluster(k)).await {
                users.push((Role::GpCluster, Some(k.to_string()), None));
            }
        }
    }
    users.push((Role::National, None, None));
    users
        .into_iter()
        .filter_map(|(role, org, label)| {
            let scope = Scope::of(role, org.as_deref()).ok()??;
            Some(DemoUser {
                role: role.key().to_string(),
                label_en: label.clone().unwrap_or_else(|| scope.label_in(Lang::En)),
                label: label.unwrap_or_else(|| scope.label()),
                org,
            })
        })
        .collect()
}

/// `GET /api/session`.
pub async fn current(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(match state.auth.caller(&req)? {
        Some(Caller { principal, .. }) => private(HttpResponse::Ok().json(info(&principal))),
        None => {
            let demo_users = if state.auth.dev.is_some() {
                demo_users(&state).await
            } else {
                Vec::new()
            };
            private(HttpResponse::Ok().json(SessionInfo {
                demo_users,
                ..SessionInfo::default()
            }))
        }
    })
}

/// `POST /api/session` body.
#[derive(Debug, Deserialize)]
pub struct SignIn {
    /// A token from a trusted issuer.
    pub token: String,
}

/// `POST /api/session`: verifies the token and keeps it in the cookie.
///
/// Sign-in requests come from the portal's own script: the CSRF header is
/// required even without a session, so no other site can sign a visitor
/// in as somebody else.
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignIn>,
) -> Result<HttpResponse, ApiError> {
    check_csrf(&req, true)?;
    let token = body.token.trim();
    let principal = state.auth.verifier.verify(token).map_err(|e| {
        log::warn!("sign-in refused: {e}");
        ApiError::refused_token(false, "The sign-in token was refused.")
    })?;
    Ok(signed_in(&state, token, &principal))
}

/// The session answer, with the cookie holding `token`.
fn signed_in(state: &AppState, token: &str, principal: &Principal) -> HttpResponse {
    let cookie = state.auth.session_cookie(token, principal.expires);
    let mut response = HttpResponse::Ok().json(info(principal));
    let _ = response.add_cookie(&cookie);
    private(response)
}

/// `POST /api/session/demo` body.
#[derive(Debug, Deserialize)]
pub struct DemoSignIn {
    /// Role.
    pub role: String,
    /// Organisation.
    #[serde(default)]
    pub org: Option<String>,
}

/// `POST /api/session/demo`: signs a demo token with the development
/// issuer; 404 when it is off.
pub async fn demo(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<DemoSignIn>,
) -> Result<HttpResponse, ApiError> {
    let issuer = state.auth.dev.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Demo sign-in is off on this server.",
        )
    })?;
    check_csrf(&req, true)?;
    let role = Role::from_key(&body.role)
        .filter(|r| !matches!(r, Role::Ingest | Role::Admin))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_role",
                format!("{:?} is not a role a demo user can have.", body.role),
            )
        })?;
    let scope = Scope::of(role, body.org.as_deref())
        .map_err(|message| ApiError::new(StatusCode::BAD_REQUEST, "bad_org", message))?;
    let name = scope.as_ref().map(|s| format!("Demo: {}", s.label()));
    let token = issuer.sign(
        role,
        body.org.as_deref(),
        name.as_deref(),
        state.auth.verifier.audience(),
        DEMO_TTL_SECONDS,
    );
    let principal = state
        .auth
        .verifier
        .verify(&token)
        .map_err(|e| ApiError::internal("demo sign-in", e))?;
    Ok(signed_in(&state, &token, &principal))
}

/// `DELETE /api/session`: removes the cookie.
pub async fn sign_out() -> HttpResponse {
    let mut response = HttpResponse::NoContent().finish();
    let _ = response.add_cookie(&removal_cookie());
    response
}
