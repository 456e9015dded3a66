//! Who is asking: JSON Web Tokens verified against trusted keys, the
//! roles and organisations they name, and the scope of closed tiles each
//! opens. The rules are written down in `docs/access.md`.
//!
//! Nothing here trusts the token's own choices: the key comes from the
//! configured key sets by `kid`, the algorithm must be the one that key
//! names, and headers that point at other keys (`jku`, `x5u`, `jwk`,
//! `x5c`) or demand extensions (`crit`) are refused.

pub mod dev;
pub mod keys;
pub mod request;
pub mod scope;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use dev::DevIssuer;
pub use keys::TrustedKey;
pub use scope::{Principal, Role, Scope};

/// The `typ` every accepted token carries: an OAuth access token (RFC 9068).
pub const TOKEN_TYPE: &str = "at+jwt";

/// Clock skew allowed on `exp` and `nbf`, in seconds.
pub const CLOCK_SKEW_SECONDS: u64 = 30;

/// Why a token was refused. The client is told only that it was; the
/// reason goes to the log.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The token's header or signature or claims did not verify.
    #[error("token refused: {0}")]
    Refused(String),
    /// A key file could not be read or is not a usable key set.
    #[error("{path}: {message}")]
    KeyFile {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

fn refused(reason: impl Into<String>) -> AuthError {
    AuthError::Refused(reason.into())
}

/// The claims Tværs reads.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Subject: the user.
    pub sub: String,
    /// Audience (a string or a list).
    pub aud: serde_json::Value,
    /// Expiry (seconds since 1970).
    pub exp: u64,
    /// Not before (seconds since 1970).
    pub nbf: u64,
    /// Issued at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Role (see [`Role`]).
    pub role: String,
    /// Organisation, for the roles that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Tokens verified recently, by the SHA-256 of their text: the portal
/// sends the same session token with every tile request, and a signature
/// check costs far more than a lookup. An entry is used only while its
/// token has not expired; the map is emptied when it grows large.
type Verified = Arc<Mutex<HashMap<[u8; 32], Principal>>>;

/// Entries kept in [`Verified`] before it is emptied.
const VERIFIED_CAPACITY: usize = 10_000;

/// Verifies tokens against the trusted keys, by `kid`.
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: HashMap<String, TrustedKey>,
    audience: String,
    verified: Verified,
}

impl Verifier {
    /// A verifier trusting `keys` for tokens meant for `audience`. Two
    /// keys may not share a `kid`.
    pub fn new(keys: Vec<TrustedKey>, audience: &str) -> Result<Verifier, AuthError> {
        let mut by_kid = HashMap::new();
        for key in keys {
            let kid = key.kid.clone();
            if let Some(old) = by_kid.insert(kid.clone(), key) {
                return Err(AuthError::KeyFile {
                    path: old.source.clone(),
                    message: format!("key id {kid:?} is trusted twice"),
                });
            }
        }
        Ok(Verifier {
            keys: by_kid,
            audience: audience.to_string(),
            verified: Verified::default(),
        })
    }

    /// The trusted keys, sorted by issuer and key id.
    pub fn keys(&self) -> Vec<&TrustedKey> {
        let mut keys: Vec<_> = self.keys.values().collect();
        keys.sort_by(|a, b| (&a.issuer, &a.kid).cmp(&(&b.issuer, &b.kid)));
        keys
    }

    /// The audience tokens must name.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Verifies `token` and returns who it speaks for. A token verified
    /// before is taken from memory while it has not expired (the same
    /// bytes verify the same way; only time changes the answer).
    pub fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let now = jsonwebtoken::get_current_timestamp();
        let fresh = |p: &Principal| p.expires + CLOCK_SKEW_SECONDS > now;
        if let Some(principal) = self.remembered(&digest).filter(fresh) {
            return Ok(principal);
        }
        let principal = self.verify_signed(token)?;
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
            verified.insert(digest, principal.clone());
        }
        Ok(principal)
    }

    fn remembered(&self, digest: &[u8; 32]) -> Option<Principal> {
        self.verified.lock().ok()?.get(digest).cloned()
    }

    /// Checks header, signature and claims.
    fn verify_signed(&self, token: &str) -> Result<Principal, AuthError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| refused(format!("unreadable header: {e}")))?;
        if header.jku.is_some()
            || header.x5u.is_some()
            || header.jwk.is_some()
            || header.x5c.is_some()
            || header.crit.is_some()
        {
            return Err(refused("the header names its own key or extensions"));
        }
        if !header
            .typ
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(TOKEN_TYPE))
        {
            return Err(refused(format!("typ {:?} is not {TOKEN_TYPE}", header.typ)));
        }
        let kid = header.kid.as_deref().ok_or_else(|| refused("no kid"))?;
        let key = self
            .keys
            .get(kid)
            .ok_or_else(|| refused(format!("unknown kid {kid:?}")))?;
        if header.alg != key.algorithm {
            return Err(refused(format!(
                "alg {:?} is not the {:?} of key {kid:?}",
                header.alg, key.algorithm
            )));
        }
        let claims = decode(token, &key.key, key.algorithm, &key.issuer, &self.audience)?;
        Principal::from_claims(claims)
    }
}

/// Checks signature and registered claims with one key and algorithm.
fn decode(
    token: &str,
    key: &DecodingKey,
    algorithm: Algorithm,
    issuer: &str,
    audience: &str,
) -> Result<Claims, AuthError> {
    let mut validation = Validation::new(algorithm);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    validation.validate_nbf = true;
    validation.leeway = CLOCK_SKEW_SECONDS;
    jsonwebtoken::decode::<Claims>(token, key, &validation)
        .map(|data| data.claims)
        .map_err(|e| refused(e.to_string()))
}

#[cfg(test)]
mod tests;
