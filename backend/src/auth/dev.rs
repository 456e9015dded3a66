//! The development issuer: an Ed25519 key generated on first use into
//! the data folder, which signs demo tokens (`tvaers token`, and the
//! portal's "log in as a demo user"). Production turns it off and trusts
//! an external issuer's JWKS instead.

use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sha2::{Digest, Sha256};

use super::{AuthError, Claims, Role, TrustedKey, TOKEN_TYPE};

/// The development issuer's `iss`.
pub const ISSUER: &str = "urn:tvaers:dev-issuer";

/// PKCS#8 v1 prefix of an Ed25519 private key (RFC 8410): the 32-byte
/// seed follows.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The signing key and its public JWK.
#[derive(Clone)]
pub struct DevIssuer {
    key: EncodingKey,
    jwk: Jwk,
    kid: String,
}

impl std::fmt::Debug for DevIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevIssuer").field("kid", &self.kid).finish()
    }
}

fn key_error(path: &Path, message: impl ToString) -> AuthError {
    AuthError::KeyFile {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

fn pem(der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

impl DevIssuer {
    /// The issuer whose key is in `dir` (`private.pem`), generating it on
    /// first use. Also writes the public key set to `dir/jwks.json`.
    pub fn load_or_create(dir: &Path) -> Result<DevIssuer, AuthError> {
        let path = dir.join("private.pem");
        if !path.exists() {
            create(dir, &path)?;
        }
        let text = std::fs::read(&path).map_err(|e| key_error(&path, e))?;
        let key = EncodingKey::from_ed_pem(&text).map_err(|e| key_error(&path, e))?;
        let mut jwk =
            Jwk::from_encoding_key(&key, Algorithm::EdDSA).map_err(|e| key_error(&path, e))?;
        let public = serde_json::to_vec(&jwk.algorithm).expect("a JWK serialises");
        let kid = format!("dev-{}", &hex::encode(Sha256::digest(public))[..16]);
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let set = JwkSet {
            keys: vec![jwk.clone()],
        };
        let jwks = dir.join("jwks.json");
        std::fs::write(
            &jwks,
            serde_json::to_string_pretty(&set).expect("a JWKS serialises"),
        )
        .map_err(|e| key_error(&jwks, e))?;
        Ok(DevIssuer { key, jwk, kid })
    }

    /// Its public key, as trusted by the verifier.
    pub fn trusted_key(&self) -> TrustedKey {
        TrustedKey::from_jwk(ISSUER, &self.jwk, "development issuer")
            .expect("the development key is a valid EdDSA JWK")
    }

    /// Signs a token for `role` and `org`, valid for `ttl_seconds`.
    pub fn sign(
        &self,
        role: Role,
        org: Option<&str>,
        name: Option<&str>,
        audience: &str,
        ttl_seconds: u64,
    ) -> String {
        let now = jsonwebtoken::get_current_timestamp();
        let sub = match org {
            Some(org) => format!("demo:{}:{org}", role.key()),
            None => format!("demo:{}", role.key()),
        };
        let claims = Claims {
            iss: ISSUER.into(),
            sub,
            aud: serde_json::Value::from(audience),
            exp: now + ttl_seconds,
            nbf: now,
            iat: Some(now),
            role: role.key().into(),
            org: org.map(str::to_string),
            name: name.map(str::to_string),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(TOKEN_TYPE.into());
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.key).expect("EdDSA signing cannot fail")
    }
}

/// Generates the key: a random seed, written as PKCS#8 PEM readable by
/// the owner only. Two processes starting at once both end up with the
/// first one's key (the file is linked into place, never overwritten).
fn create(dir: &Path, path: &Path) -> Result<(), AuthError> {
    std::fs::create_dir_all(dir).map_err(|e| key_error(dir, e))?;
    let mut der = ED25519_PKCS8_PREFIX.to_vec();
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| key_error(path, e))?;
    der.extend_from_slice(&seed);
    let mut temp = tempfile::Builder::new()
        .prefix(".private")
        .tempfile_in(dir)
        .map_err(|e| key_error(dir, e))?;
    temp.write_all(pem(&der).as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| key_error(temp.path(), e))?;
    match std::fs::hard_link(temp.path(), path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(key_error(path, e)),
    }
}
