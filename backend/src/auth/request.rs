//! The caller of a request: a bearer token, or the session cookie the
//! portal signs in with. Bad credentials are refused, never taken for
//! none.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::HttpRequest;

use super::{DevIssuer, Principal, Verifier};
use crate::routes::ApiError;

/// Name of the session cookie.
pub const COOKIE: &str = "tvaers_session";

/// Header every state-changing request made with the cookie must carry.
pub const CSRF_HEADER: &str = "X-Tvaers-Csrf";

/// Authentication as configured for the server.
#[derive(Clone, Debug)]
pub struct Auth {
    /// Trusted keys and audience.
    pub verifier: Verifier,
    /// The development issuer, when it is on.
    pub dev: Option<DevIssuer>,
    /// Whether the cookie is marked `Secure` (HTTPS deployments).
    pub secure_cookie: bool,
}

/// A verified caller and how it proved itself.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub principal: Principal,
    /// Signed in with the session cookie (not a bearer token).
    pub via_cookie: bool,
}

impl Auth {
    /// No trusted keys and no development issuer: every request is public.
    pub fn none() -> Auth {
        Auth {
            verifier: Verifier::new(Vec::new(), "tvaers").expect("no keys, no clash"),
            dev: None,
            secure_cookie: false,
        }
    }

    /// The caller of `req`: `Ok(None)` without credentials, an error
    /// response (401) when credentials are present but refused.
    pub fn caller(&self, req: &HttpRequest) -> Result<Option<Caller>, ApiError> {
        if let Some(value) = req.headers().get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty());
            let Some(token) = token else {
                return Err(ApiError::refused_token(
                    false,
                    "The Authorization header must be `Bearer <token>`.",
                ));
            };
            return self.verify(token, false).map(Some);
        }
        match req.cookie(COOKIE) {
            Some(cookie) if !cookie.value().is_empty() => {
                self.verify(cookie.value(), true).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn verify(&self, token: &str, via_cookie: bool) -> Result<Caller, ApiError> {
        match self.verifier.verify(token) {
            Ok(principal) => Ok(Caller {
                principal,
                via_cookie,
            }),
            Err(e) => {
                log::warn!("refused a token: {e}");
                Err(ApiError::refused_token(
                    via_cookie,
                    "The sign-in token was refused; sign in again.",
                ))
            }
        }
    }

    /// The session cookie holding `token` until `expires` (seconds since
    /// 1970).
    pub fn session_cookie(&self, token: &str, expires: u64) -> Cookie<'static> {
        let now = jsonwebtoken::get_current_timestamp();
        let seconds = i64::try_from(expires.saturating_sub(now)).unwrap_or(i64::MAX);
        Cookie::build(COOKIE, token.to_string())
            .path("/api")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure_cookie)
            .max_age(Duration::seconds(seconds))
            .finish()
    }
}

/// The cookie that removes the session cookie.
pub fn removal_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build(COOKIE, "")
        .path("/api")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish();
    cookie.make_removal();
    cookie
}

/// A state-changing request made with the cookie (`with_cookie`) must
/// carry the CSRF header; 403 when it does not.
pub fn check_csrf(req: &HttpRequest, with_cookie: bool) -> Result<(), ApiError> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let marked = req
        .headers()
        .get(CSRF_HEADER)
        .is_some_and(|v| v.as_bytes() == b"1");
    if !safe && with_cookie && !marked {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            format!("Requests that change something must carry the header {CSRF_HEADER}: 1."),
        ));
    }
    Ok(())
}
