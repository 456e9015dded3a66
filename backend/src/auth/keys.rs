//! Trusted keys: JWKS files of external issuers, each key with the one
//! algorithm it may be used with.

use std::path::Path;

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey};

use super::AuthError;

/// The algorithms a key may name: asymmetric only.
pub const ALLOWED_ALGORITHMS: [Algorithm; 3] =
    [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA];

/// One key tokens may be signed with.
#[derive(Clone)]
pub struct TrustedKey {
    /// The issuer whose tokens it signs (`iss`).
    pub issuer: String,
    /// Key id (`kid`).
    pub kid: String,
    /// The only algorithm it is accepted with.
    pub algorithm: Algorithm,
    /// The public key.
    pub key: DecodingKey,
    /// Where it was configured (for messages).
    pub source: String,
}

impl std::fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedKey")
            .field("issuer", &self.issuer)
            .field("kid", &self.kid)
            .field("algorithm", &self.algorithm)
            .field("source", &self.source)
            .finish()
    }
}

impl TrustedKey {
    /// A key from its JWK, which must name its `kid` and an allowed `alg`
    /// matching its key type.
    pub fn from_jwk(issuer: &str, jwk: &Jwk, source: &str) -> Result<TrustedKey, String> {
        let kid = jwk
            .common
            .key_id
            .clone()
            .filter(|k| !k.is_empty())
            .ok_or("a key has no \"kid\"")?;
        let algorithm = jwk
            .common
            .key_algorithm
            .and_then(|a| Algorithm::try_from(a).ok())
            .filter(|a| ALLOWED_ALGORITHMS.contains(a))
            .ok_or(format!(
                "key {kid:?}: \"alg\" must be one of RS256, ES256, EdDSA"
            ))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("key {kid:?}: {e}"))?;
        if key.family() != algorithm.family() {
            return Err(format!(
                "key {kid:?}: its key type does not fit alg {algorithm:?}"
            ));
        }
        Ok(TrustedKey {
            issuer: issuer.to_string(),
            kid,
            algorithm,
            key,
            source: source.to_string(),
        })
    }

    /// Every key of the JWKS file `path`, for tokens of `issuer`.
    pub fn load(issuer: &str, path: &Path) -> Result<Vec<TrustedKey>, AuthError> {
        let source = path.display().to_string();
        let fail = |message: String| AuthError::KeyFile {
            path: source.clone(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let set: JwkSet = serde_json::from_str(&text)
            .map_err(|e| fail(format!("not a JWKS ({{\"keys\": [...]}}): {e}")))?;
        if set.keys.is_empty() {
            return Err(fail("the key set is empty".into()));
        }
        set.keys
            .iter()
            .map(|jwk| TrustedKey::from_jwk(issuer, jwk, &source).map_err(&fail))
            .collect()
    }
}

/// Reads `ISSUER=FILE` (as given to `serve --trust`).
pub fn parse_trust(text: &str) -> Result<(String, std::path::PathBuf), String> {
    let (issuer, file) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("{text:?}: expected ISSUER=JWKS_FILE"))?;
    if issuer.is_empty() || file.is_empty() {
        return Err(format!("{text:?}: expected ISSUER=JWKS_FILE"));
    }
    Ok((issuer.to_string(), file.into()))
}
