use base64::Engine as _;

use super::*;
use shared::Lang;

fn issuer() -> (tempfile::TempDir, DevIssuer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let issuer = DevIssuer::load_or_create(dir.path()).expect("creates a key");
    (dir, issuer)
}

fn verifier(issuer: &DevIssuer) -> Verifier {
    Verifier::new(vec![issuer.trusted_key()], "tvaers").expect("one key")
}

#[test]
fn a_development_token_verifies_with_its_role_and_scope() {
    let (_dir, issuer) = issuer();
    let token = issuer.sign(Role::Municipality, Some("0751"), Some("Demo"), "tvaers", 60);
    let principal = verifier(&issuer).verify(&token).expect("valid");
    assert_eq!(principal.role, Role::Municipality);
    assert_eq!(principal.scope, Some(Scope::Municipality(751)));
    assert_eq!(
        principal.scope.as_ref().map(Scope::to_string).as_deref(),
        Some("municipality:0751")
    );
    assert!(principal.covers(&Scope::Municipality(751)));
    assert!(!principal.covers(&Scope::Municipality(101)));
    assert!(!principal.covers(&Scope::Region(1082)));
}

#[test]
fn the_key_is_kept_across_loads() {
    let (dir, first) = issuer();
    let second = DevIssuer::load_or_create(dir.path()).expect("loads");
    let token = first.sign(Role::National, None, None, "tvaers", 60);
    assert!(verifier(&second).verify(&token).is_ok());
}

#[test]
fn tokens_for_another_audience_or_key_or_with_a_changed_payload_are_refused() {
    let (_dir, issuer) = issuer();
    let (_other_dir, other) = self::issuer();
    let verifier = verifier(&issuer);
    let elsewhere = issuer.sign(Role::National, None, None, "tvaers-staging", 60);
    assert!(verifier.verify(&elsewhere).is_err());
    // Another key claiming to be ours: same kid, wrong signature.
    let forged = other.sign(Role::National, None, None, "tvaers", 60);
    let mut parts: Vec<String> = forged.split('.').map(str::to_string).collect();
    parts[0] = issuer
        .sign(Role::National, None, None, "tvaers", 60)
        .split('.')
        .next()
        .expect("a header")
        .to_string();
    assert!(verifier.verify(&parts.join(".")).is_err());
    // A municipality token turned national.
    let token = issuer.sign(Role::Municipality, Some("0751"), None, "tvaers", 60);
    let mut parts: Vec<&str> = token.split('.').collect();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = String::from_utf8(b64.decode(parts[1]).expect("base64")).expect("utf-8");
    let changed = b64.encode(payload.replace("\"municipality\"", "\"national\""));
    parts[1] = &changed;
    assert!(verifier.verify(&parts.join(".")).is_err());
}

#[test]
fn roles_need_an_organisation_of_their_kind() {
    assert!(Scope::of(Role::Municipality, None).is_err());
    assert!(Scope::of(Role::Municipality, Some("1082")).is_err());
    assert!(Scope::of(Role::Region, Some("0751")).is_err());
    assert!(Scope::of(Role::GpPractice, Some("12a")).is_err());
    assert_eq!(Scope::of(Role::Admin, None), Ok(None));
    let (_dir, issuer) = issuer();
    let token = issuer.sign(Role::Ingest, Some("nonsense"), None, "tvaers", 60);
    assert!(verifier(&issuer).verify(&token).is_err());
}

#[test]
fn scopes_round_trip_through_text() {
    for scope in [
        Scope::National,
        Scope::Region(1085),
        Scope::Municipality(101),
        Scope::HealthCluster(3),
        Scope::GpCluster(12),
        Scope::GpPractice("012345".into()),
    ] {
        assert_eq!(Scope::parse(&scope.to_string()), Some(scope));
    }
    assert_eq!(Scope::parse("municipality:9999"), None);
    assert_eq!(Scope::parse("admin"), None);
}

#[test]
fn symmetric_and_unnamed_keys_are_not_trusted() {
    let hmac: jsonwebtoken::jwk::Jwk =
        serde_json::from_str(r#"{"kty":"oct","kid":"k","alg":"HS256","k":"c2VjcmV0"}"#)
            .expect("a JWK");
    assert!(TrustedKey::from_jwk("iss", &hmac, "test").is_err());
    let set = r#"{"kty":"OKP","crv":"Ed25519","x":"xJL3kj6CQbxHDwQezcpSOzY4j0bsgLt2WEIFv8lzxrw"}"#;
    let unnamed: jsonwebtoken::jwk::Jwk = serde_json::from_str(set).expect("a JWK");
    let named = set.replace("{", r#"{"kid":"k","alg":"EdDSA","#);
    let named: jsonwebtoken::jwk::Jwk = serde_json::from_str(&named).expect("a JWK");
    assert!(TrustedKey::from_jwk("iss", &named, "test").is_ok());
    assert!(TrustedKey::from_jwk("iss", &unnamed, "test").is_err());
}

#[test]
fn an_organisation_is_named_in_either_language() {
    let names = |scope: Scope| (scope.label_in(Lang::Da), scope.label_in(Lang::En));
    let both = |da: &str, en: &str| (da.to_string(), en.to_string());
    assert_eq!(
        names(Scope::Municipality(751)),
        both("Aarhus Kommune", "Aarhus Municipality")
    );
    assert_eq!(names(Scope::National), both("Hele landet", "Whole country"));
    assert_eq!(
        names(Scope::GpCluster(3)),
        both("Lægeklynge 3", "GP cluster 3")
    );
    assert_eq!(
        names(Scope::GpPractice("443224".to_string())),
        both("Ydernummer 443224", "Provider number 443224")
    );
    // A region's name is the same in both.
    assert_eq!(
        names(Scope::Region(1082)),
        both("Region Midtjylland", "Region Midtjylland")
    );
    assert_eq!(Scope::National.label(), "Hele landet");
}
