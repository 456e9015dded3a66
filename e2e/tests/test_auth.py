"""Sign-in, roles, closed tiles and saved reports (docs/access.md), tested
from outside: tokens are minted here with PyJWT (or by hand, for the ones
no honest library would make), from the keys of a test issuer that
`keys.py` writes, and from the development issuer's key in the data
folder. Tiles are read with pyarrow; what an organisation may see is
decided from the geography CSV and the generated extracts, never from the
project's code.

The server runs with `--trust https://issuer.test.tvaers=DIR/jwks.json`
and the tests find DIR in `TVAERS_TEST_KEYS`. The release the server
serves first is exact (`tvaers build --exact`, the data is synthetic), so
a closed tile must equal the public rows of its scope."""

import base64
import csv
import datetime
import hashlib
import hmac
import http.client
import json
import os
import sqlite3
import subprocess
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import pyarrow as pa
import pyarrow.ipc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from keys import ES256_KID, ISSUER, RS256_KID, b64url

URL = os.environ["TVAERS_URL"]
AUDIENCE = "tvaers"
DEV_ISSUER = "urn:tvaers:dev-issuer"
# The clock skew the server allows on `exp` and `nbf`, in seconds.
SKEW = 30
CSRF = {"X-Tvaers-Csrf": "1"}
SESSION_COOKIE = "tvaers_session"

# The roles whose token opens a scope (`role:org`), and the families whose
# tiles are cut by municipality.
SCOPED_ROLES = ("municipality", "region", "health_cluster", "gp_cluster", "gp_practice")
MUNICIPALITY_FAMILIES = ("geography", "hospital", "municipal_care", "sectors")
DIMENSION_OF_FAMILY = {
    "geography": "municipality",
    "hospital": "municipality",
    "municipal_care": "municipality",
    "sectors": "municipality",
    "by_hospital": "hospital",
    "by_diagnosis": "diagnosis_group",
    "by_specialty": "specialty",
    "by_department": "department_type",
    "by_practice": "practice",
    "prescriptions": "practice",
    "prescriptions_geo": "municipality",
    "prescription_detail": "practice",
}
# The codes of the groups of hospital contacts: the ICD-10 chapters and
# codes outside them, the specialties and the department types of LPR. Their
# tiles are the country's: closed only for the national scope, whole.
GROUP_CODES = {
    "diagnosis_group": set(range(1, 24)),
    "specialty": set(range(1, 18)),
    "department_type": set(range(1, 8)),
}
# Families with closed tiles only (no public tile): prescriptions by
# practice. The prescriptions tile holds the whole country as one more
# practice (the detail tile does not), and a practice's prescriptions
# tile the other practices of its GP cluster, unnamed; a practice's detail
# tile holds its cluster summed, as one more practice.
CLOSED_ONLY = {"prescriptions", "prescription_detail"}
ALL_PRACTICES = 10000
CLUSTER_PRACTICES = 10001
# The key columns of the detail tile (the others are sums).
DETAIL_KEYS = [
    "year",
    "practice",
    "drug_group",
    "medicine",
    "consumption",
    "treatment",
    "package_size",
    "age_band",
    "sex",
]


# --- HTTP -------------------------------------------------------------------

_TARGET = urlsplit(URL)
_local = threading.local()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)

    def error(self):
        """The `error` of a JSON error body, or None."""
        try:
            body = self.json()
        except ValueError:
            return None
        return body.get("error") if isinstance(body, dict) else None

    def header(self, name):
        return self.headers.get(name) or ""

    def set_cookies(self):
        return self.headers.get_all("Set-Cookie") or []

    def describe(self):
        return f"{self.status} {self.body[:300]!r}"


def _connect():
    kind = http.client.HTTPSConnection if _TARGET.scheme == "https" else http.client.HTTPConnection
    return kind(_TARGET.hostname, _TARGET.port, timeout=120)


def call(method, path, token=None, body=None, headers=None, cookie=None, data=None):
    """One request. GETs reuse a kept-alive connection per thread (the
    matrix makes tens of thousands); every other method gets a fresh one,
    so that it is never retried. A server that does not answer fails the
    test."""
    sent = {}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if cookie is not None:
        sent["Cookie"] = cookie
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    path = _TARGET.path.rstrip("/") + path
    if method != "GET":
        connection = _connect()
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
    for attempt in range(2):
        connection = getattr(_local, "connection", None) or _connect()
        _local.connection = connection
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A kept-alive connection the server had closed: once more on a
            # new one.
            connection.close()
            _local.connection = None
            if attempt:
                raise
            continue
        if response.will_close:
            connection.close()
            _local.connection = None
        return answer
    raise AssertionError("unreachable")


def session_cookie(answer):
    """(value, {attribute: value}) of the session cookie the answer sets,
    or None; attribute names lower-cased."""
    for line in answer.set_cookies():
        first, *attributes = [part.strip() for part in line.split(";")]
        name, _, value = first.partition("=")
        if name.strip() != SESSION_COOKIE:
            continue
        parsed = {}
        for attribute in attributes:
            key, _, val = attribute.partition("=")
            parsed[key.strip().lower()] = val.strip()
        return value.strip(), parsed
    return None


def sets_session(answer):
    """Whether the answer sets a session cookie (rather than clearing it)."""
    cookie = session_cookie(answer)
    if cookie is None:
        return False
    value, attributes = cookie
    cleared = attributes.get("max-age") == "0" or "1970" in attributes.get("expires", "")
    return bool(value) and not cleared


# --- Tokens -------------------------------------------------------------------


def keys_dir():
    value = os.environ.get("TVAERS_TEST_KEYS")
    assert value, (
        "TVAERS_TEST_KEYS is not set: run `python tests/keys.py DIR`, serve with "
        f"`--trust {ISSUER}=DIR/jwks.json` and set TVAERS_TEST_KEYS=DIR"
    )
    return Path(value)


def dev_issuer_dir():
    """The development issuer's folder; its key is made on first use, so
    the server is asked to use it (a demo sign-in) if it is not there."""
    folder = Path(os.environ["TVAERS_DATA"]) / "dev-issuer"
    if not ((folder / "private.pem").is_file() and (folder / "jwks.json").is_file()):
        answer = call(
            "POST", "/api/session/demo", body={"role": "municipality", "org": "0751"}, headers=CSRF
        )
        assert answer.status < 300, f"demo sign-in: {answer.describe()}"
    assert (folder / "private.pem").is_file(), f"no development issuer key in {folder.name}/"
    return folder


@dataclass(frozen=True)
class Signer:
    key: object
    alg: str
    kid: str
    iss: str


@lru_cache(maxsize=None)
def signer(name):
    """The private key `name` signs with: "rs256" and "es256" (the trusted
    test issuer), "other" (a P-256 key nobody trusts) or "dev" (the
    development issuer)."""
    if name == "dev":
        folder = dev_issuer_dir()
        key = serialization.load_pem_private_key((folder / "private.pem").read_bytes(), None)
        jwks = json.loads((folder / "jwks.json").read_text(encoding="utf-8"))
        assert len(jwks["keys"]) >= 1 and jwks["keys"][0]["kid"], jwks
        return Signer(key, "EdDSA", jwks["keys"][0]["kid"], DEV_ISSUER)
    file, alg, kid = {
        "rs256": ("rs256.pem", "RS256", RS256_KID),
        "es256": ("es256.pem", "ES256", ES256_KID),
        "other": ("other-es256.pem", "ES256", ES256_KID),
    }[name]
    key = serialization.load_pem_private_key((keys_dir() / file).read_bytes(), None)
    return Signer(key, alg, kid, ISSUER)


def now():
    return int(time.time())


def default_claims(**overrides):
    """The claims of a municipality user of 0751 of the test issuer, valid
    for 10 minutes."""
    t = now()
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "e2e-user",
        "role": "municipality",
        "org": "0751",
        "iat": t,
        "nbf": t - 5,
        "exp": t + 600,
    }
    claims.update(overrides)
    return claims


def mint(claims_overrides=None, key="rs256", alg=None, headers=None):
    """A token signed with `key`. Claims default to a municipality user of
    0751 of the key's issuer, valid for 10 minutes; the header to typ
    `at+jwt` and the key's kid. An override of None leaves the claim (or
    header parameter) out."""
    s = signer(key)
    claims = default_claims(iss=s.iss)
    claims.update(claims_overrides or {})
    claims = {k: v for k, v in claims.items() if v is not None}
    header = {"typ": "at+jwt", "kid": s.kid}
    header.update(headers or {})
    # PyJWT leaves `typ` out when it is None; every other None is dropped here.
    header = {k: v for k, v in header.items() if v is not None or k == "typ"}
    return jwt.encode(claims, s.key, algorithm=alg or s.alg, headers=header)


def token_for(role, org=None, sub="e2e-user", key="rs256", ttl=3600):
    return mint({"role": role, "org": org, "sub": sub, "exp": now() + ttl}, key=key)


def unb64(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64json(value):
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def hand_made(header, claims, signature=b""):
    return f"{b64json(header)}.{b64json(claims)}.{b64url(signature)}"


def hmac_token(secret, kid):
    """HS256 with a public key's bytes as the secret: the key-confusion
    attack on a verifier that lets the token choose the algorithm."""
    signing_input = f"{b64json({'alg': 'HS256', 'typ': 'at+jwt', 'kid': kid})}.{b64json(default_claims())}"
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def public_pem(key, form=serialization.PublicFormat.SubjectPublicKeyInfo):
    return signer(key).key.public_key().public_bytes(serialization.Encoding.PEM, form)


def tampered(token, changes):
    """The token with its payload changed and its signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return f"{header}.{b64json(claims)}.{signature}"


def public_jwk(key, kid):
    numbers = signer(key).key.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "kid": kid,
        "alg": "ES256",
        "x": b64url(numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.y.to_bytes(32, "big")),
    }


def self_signed_certificate(key):
    """A certificate for `key`, signed by itself, base64 DER (for `x5c`)."""
    private = signer(key).key
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer.test.tvaers")])
    t = now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.datetime.fromtimestamp(t - 3600, datetime.timezone.utc))
        .not_valid_after(datetime.datetime.fromtimestamp(t + 86400, datetime.timezone.utc))
        .sign(private, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode("ascii")


ATTACKER_JKU = "http://127.0.0.1:1/jwks.json"

# Tokens every rule of docs/access.md refuses, each made when its test runs.
ATTACKS = {
    "garbage": lambda: "not-a-token",
    "two_segments": lambda: ".".join(mint().split(".")[:2]),
    "alg_none": lambda: hand_made({"alg": "none", "typ": "at+jwt", "kid": RS256_KID}, default_claims()),
    "alg_none_capitalised": lambda: hand_made(
        {"alg": "None", "typ": "at+jwt", "kid": RS256_KID}, default_claims()
    ),
    "signature_stripped": lambda: ".".join(mint().split(".")[:2]) + ".",
    "hs256_rsa_public_key_pem": lambda: hmac_token(public_pem("rs256"), RS256_KID),
    "hs256_rsa_public_key_pkcs1": lambda: hmac_token(
        public_pem("rs256", serialization.PublicFormat.PKCS1), RS256_KID
    ),
    "hs256_ec_public_key_pem": lambda: hmac_token(public_pem("es256"), ES256_KID),
    "hs256_jwks_as_secret": lambda: hmac_token((keys_dir() / "jwks.json").read_bytes(), RS256_KID),
    "wrong_audience": lambda: mint({"aud": "another-service"}),
    "audience_list_without_ours": lambda: mint({"aud": ["another-service", "tvaers-admin"]}),
    "missing_audience": lambda: mint({"aud": None}),
    "wrong_issuer": lambda: mint({"iss": "https://login.attacker.example"}),
    "test_key_claims_dev_issuer": lambda: mint({"iss": DEV_ISSUER}),
    "dev_key_claims_test_issuer": lambda: mint({"iss": ISSUER}, key="dev"),
    "typ_jwt": lambda: mint(headers={"typ": "JWT"}),
    "typ_missing": lambda: mint(headers={"typ": None}),
    "expired": lambda: mint({"iat": now() - 7200, "nbf": now() - 7200, "exp": now() - SKEW - 120}),
    "not_yet_valid": lambda: mint({"nbf": now() + SKEW + 120, "exp": now() + 3600}),
    "missing_exp": lambda: mint({"exp": None}),
    "missing_nbf": lambda: mint({"nbf": None}),
    "missing_sub": lambda: mint({"sub": None}),
    "unknown_role": lambda: mint({"role": "superuser", "org": None}),
    "municipality_without_org": lambda: mint({"org": None}),
    "unknown_kid": lambda: mint(headers={"kid": "test-unknown"}),
    "missing_kid": lambda: mint(headers={"kid": None}),
    "tampered_role": lambda: tampered(mint({"org": "0101"}), {"role": "national", "org": None}),
    "tampered_org": lambda: tampered(mint({"org": "0101"}), {"org": "0751"}),
    "tampered_exp": lambda: tampered(
        mint({"iat": now() - 7200, "nbf": now() - 7200, "exp": now() - 3600}), {"exp": now() + 3600}
    ),
    "another_environment": lambda: mint(key="other"),
    "jku_attacker_key": lambda: mint(key="other", headers={"jku": ATTACKER_JKU}),
    "jku_trusted_signature": lambda: mint(key="es256", headers={"jku": ATTACKER_JKU}),
    "x5u_trusted_signature": lambda: mint(headers={"x5u": "http://127.0.0.1:1/certificate.pem"}),
    "jwk_attacker_key": lambda: mint(key="other", headers={"jwk": public_jwk("other", ES256_KID)}),
    "jwk_trusted_signature": lambda: mint(key="es256", headers={"jwk": public_jwk("es256", ES256_KID)}),
    "x5c_attacker_certificate": lambda: mint(
        key="other", headers={"x5c": [self_signed_certificate("other")]}
    ),
    "x5c_trusted_signature": lambda: mint(key="es256", headers={"x5c": [self_signed_certificate("es256")]}),
    "crit_header": lambda: mint(headers={"crit": ["tvaers-extension"], "tvaers-extension": True}),
    "rs256_signature_under_es256_kid": lambda: mint(key="rs256", headers={"kid": ES256_KID}),
    "es256_signature_under_rs256_kid": lambda: mint(key="es256", headers={"kid": RS256_KID}),
    "ps256_with_the_rs256_key": lambda: mint(key="rs256", alg="PS256"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_forged_or_invalid_tokens_are_refused(attack):
    token = ATTACKS[attack]()
    for path in ("/api/session", "/api/manifest"):
        answer = call("GET", path, token)
        assert answer.status == 401, f"{attack}: GET {path} answered {answer.describe()}"
        assert answer.error() == "invalid_token", f"{attack}: GET {path}: {answer.describe()}"
    # Nor does it open a session.
    answer = call("POST", "/api/session", body={"token": token}, headers=CSRF)
    assert answer.status == 401, f"{attack}: POST /api/session answered {answer.describe()}"
    assert not sets_session(answer), f"{attack}: a session cookie was set: {answer.set_cookies()}"


VALID = {
    "rs256": lambda: (mint({"role": "municipality", "org": "0751"}, key="rs256"), "municipality", "0751"),
    "es256": lambda: (mint({"role": "region", "org": "1082"}, key="es256"), "region", "1082"),
    "dev_eddsa": lambda: (mint({"role": "municipality", "org": "0101"}, key="dev"), "municipality", "0101"),
    "audience_list": lambda: (mint({"aud": ["another-service", AUDIENCE]}), "municipality", "0751"),
    "expired_within_skew": lambda: (mint({"exp": now() - SKEW // 3}), "municipality", "0751"),
    "not_before_within_skew": lambda: (mint({"nbf": now() + SKEW // 3}), "municipality", "0751"),
    "with_a_name": lambda: (mint({"name": "Test User"}), "municipality", "0751"),
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_tokens_are_accepted(kind):
    token, role, org = VALID[kind]()
    answer = call("GET", "/api/session", token)
    assert answer.status == 200, f"{kind}: {answer.describe()}"
    session = answer.json()
    assert session["signed_in"] is True, session
    assert session.get("role") == role, session
    assert session.get("org") == org, session
    if "scope" in session:
        assert session["scope"] == f"{role}:{org}", session
    answer = call("GET", "/api/manifest", token)
    assert answer.status == 200, f"{kind}: {answer.describe()}"


def test_without_a_token_the_session_is_anonymous():
    answer = call("GET", "/api/session")
    assert answer.status == 200, answer.describe()
    session = answer.json()
    assert session["signed_in"] is False, session
    assert isinstance(session.get("demo_users"), list), session


def test_the_cli_token_is_a_standard_jwt_of_the_development_issuer():
    """`tvaers token` signs with the development issuer: PyJWT verifies its
    token with the published JWKS, and the server accepts it."""
    folder = dev_issuer_dir()
    done = subprocess.run(
        [
            os.environ["TVAERS_BIN"],
            "--data-dir",
            os.environ["TVAERS_DATA"],
            "token",
            "--role",
            "municipality",
            "--org",
            "0751",
            "--ttl",
            "1h",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().split()[-1]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "at+jwt", header
    jwks = json.loads((folder / "jwks.json").read_text(encoding="utf-8"))
    jwk = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert jwk.get("alg") == "EdDSA", jwk
    claims = jwt.decode(
        token,
        jwt.PyJWK(jwk).key,
        algorithms=["EdDSA"],
        audience=AUDIENCE,
        issuer=DEV_ISSUER,
        options={"require": ["exp", "nbf", "sub"]},
    )
    assert claims["role"] == "municipality" and claims["org"] == "0751", claims
    assert 3600 - 120 <= claims["exp"] - now() <= 3600 + 5, claims
    answer = call("GET", "/api/session", token)
    assert answer.status == 200 and answer.json()["signed_in"] is True, answer.describe()


def test_demo_sign_in_sets_the_session_cookie():
    answer = call(
        "POST", "/api/session/demo", body={"role": "municipality", "org": "0751"}, headers=CSRF
    )
    assert answer.status < 300, answer.describe()
    cookie = session_cookie(answer)
    assert cookie and sets_session(answer), answer.set_cookies()
    session = call("GET", "/api/session", cookie=f"{SESSION_COOKIE}={cookie[0]}")
    assert session.status == 200, session.describe()
    assert session.json()["signed_in"] is True and session.json().get("role") == "municipality"


# --- The store, the geography and the extracts --------------------------------


@dataclass
class Tile:
    id: str
    family_key: str
    dimension: str
    scope: str | None
    data: bytes

    @property
    def table(self):
        if not hasattr(self, "_table"):
            assert hashlib.sha256(self.data).hexdigest() == self.id, f"tile {self.id} is not its hash"
            self._table = pa.ipc.open_stream(self.data).read_all()
        return self._table

    def meta(self, key):
        value = (self.table.schema.metadata or {}).get(key.encode())
        return None if value is None else value.decode()

    @property
    def kind(self):
        """(family, split or None), from the tile's own metadata."""
        return self.meta("tvaers.family"), self.meta("tvaers.split")


@dataclass
class Store:
    release: str
    tiles: list

    @property
    def public(self):
        return [t for t in self.tiles if t.scope is None]

    @property
    def whole(self):
        """The public tiles without the parts of split tiles
        ("geography.quarter=2"), which repeat their tile's rows."""
        return [t for t in self.public if "=" not in t.family_key]

    @property
    def closed(self):
        return [t for t in self.tiles if t.scope is not None]


@lru_cache(maxsize=None)
def store():
    """The current release's tiles, straight from the store (the bytes the
    server sends: their SHA-256 is their id)."""
    db = (Path(os.environ["TVAERS_DATA"]) / "tvaers.db").resolve()
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        (release,) = con.execute("SELECT id FROM releases ORDER BY seq DESC LIMIT 1").fetchone()
        rows = con.execute(
            "SELECT t.id, t.family, t.dimension, s.scope, t.bytes FROM release_tiles rt "
            "JOIN tiles t ON t.id = rt.tile_id LEFT JOIN tile_scopes s ON s.tile_id = t.id "
            "WHERE rt.release_id = ? ORDER BY rt.position",
            (release,),
        ).fetchall()
    finally:
        con.close()
    tiles = [Tile(i, family, dimension, scope, bytes(data)) for i, family, dimension, scope, data in rows]
    current = Store(release, tiles)
    assert current.public, "the current release has public tiles"
    assert current.closed, "the current release has closed tiles"
    return current


def split_scope(scope):
    role, _, org = scope.partition(":")
    return role, org or None


@dataclass(frozen=True)
class Geography:
    region: dict  # municipality code -> region code (text, e.g. "1084")
    cluster: dict  # municipality code -> health-cluster name


@lru_cache(maxsize=None)
def geography():
    with open(os.environ["TVAERS_GEOGRAPHY"], newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["er_kommune"] == "ja"]
    assert len(rows) == 98
    for r in rows:
        assert r["komkode4"] == f"{int(r['komkode']):04d}", r
    return Geography(
        {int(r["komkode"]): r["regionskode"] for r in rows},
        {int(r["komkode"]): r["sundhedsklynge"] for r in rows},
    )


@lru_cache(maxsize=None)
def extract(name):
    with open(Path(os.environ["TVAERS_EXTRACTS"]) / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=None)
def practices():
    """Provider number -> (municipality, GP cluster or 0), from YDR."""
    return {
        p["provider_number"]: (int(p["municipality"]), int(p["gp_cluster"] or 0))
        for p in extract("ydr.csv")
    }


@lru_cache(maxsize=None)
def hospital_regions():
    """SOR id -> region code (text), from SOR."""
    return {h["sor_id"]: h["region"] for h in extract("sor.csv")}


def hospital_municipalities():
    """SOR id -> municipality code of the address, from SOR."""
    return {h["sor_id"]: int(h["municipality"]) for h in extract("sor.csv")}


# --- Callers ------------------------------------------------------------------


# The by-hospital tiles' code of Region Sjælland counted as one hospital.
SJAELLAND_AS_ONE = 1000


@dataclass(frozen=True)
class Caller:
    name: str
    role: str | None = None
    org: str | None = None

    @property
    def scope(self):
        if self.role == "national":
            return "national"
        if self.role in SCOPED_ROLES:
            return f"{self.role}:{self.org}"
        return None

    @property
    def token(self):
        if self.role is None:
            return None
        return caller_token(self.role, self.org, f"matrix-{self.name}")

    def may_read(self, tile):
        return tile.scope is None or self.role == "national" or tile.scope == self.scope


@lru_cache(maxsize=None)
def caller_token(role, org, sub):
    return token_for(role, org, sub=sub, ttl=3 * 3600)


def spread(values, n):
    """Up to n values spread over the sorted list."""
    values = sorted(values, key=lambda v: (len(v), v))
    if len(values) <= n:
        return values
    return [values[round(i * (len(values) - 1) / (n - 1))] for i in range(n)]


@lru_cache(maxsize=None)
def callers():
    """Several organisations of every role, taken from the scopes the store
    holds, and the callers with no scope."""
    orgs = defaultdict(set)
    for t in store().closed:
        role, org = split_scope(t.scope)
        orgs[role].add(org)
    for role in SCOPED_ROLES:
        assert orgs[role], f"no closed tile of any {role}"
    assert orgs["national"] == {None}, f"national scopes: {orgs['national']}"
    assert orgs["region"] == {"1081", "1082", "1083", "1084", "1085"}, orgs["region"]
    preferred = [m for m in ("0751", "0101", "0825", "0147") if m in orgs["municipality"]]
    municipalities = preferred + [m for m in spread(orgs["municipality"], 6) if m not in preferred]
    chosen = [Caller(f"municipality {m}", "municipality", m) for m in municipalities[:4]]
    chosen += [Caller(f"region {r}", "region", r) for r in sorted(orgs["region"])]
    for role in ("health_cluster", "gp_cluster", "gp_practice"):
        chosen += [Caller(f"{role} {o}", role, o) for o in spread(orgs[role], 3)]
    chosen += [
        Caller("national", "national"),
        Caller("ingest lpr", "ingest", "lpr"),
        Caller("admin", "admin"),
        Caller("no token"),
    ]
    return tuple(chosen)


# --- Closed tiles ---------------------------------------------------------------


def test_closed_tiles_open_only_inside_the_callers_scope():
    """Every caller asks for every closed tile of the current release: 200
    inside its scope (national: everywhere), else 404 as for a tile that
    does not exist. Public tiles are 200 for everybody."""
    current = store()
    everyone = callers()
    missing_tile = "0" * 64
    for caller in everyone:
        caller.token  # minted once, before the threads share them
    not_found_error = {}
    for caller in everyone:
        answer = call("GET", f"/api/tiles/{missing_tile}", caller.token)
        assert answer.status == 404, f"{caller.name}: missing tile: {answer.describe()}"
        not_found_error[caller] = answer.error()

    def fetch(job):
        caller, tile = job
        answer = call("GET", f"/api/tiles/{tile.id}", caller.token)
        return (
            caller,
            tile,
            answer.status,
            answer.header("Cache-Control"),
            answer.status == 200 and hashlib.sha256(answer.body).hexdigest() == tile.id,
            answer.error() if answer.status != 200 else None,
        )

    jobs = [(c, t) for c in everyone for t in current.tiles]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(fetch, jobs))

    outside, refused_inside, wrong_refusal = [], [], []
    wrong_bytes, not_private, public_refused = [], [], []
    read = Counter()
    for caller, tile, status, cache, same_bytes, error in results:
        allowed = caller.may_read(tile)
        if status == 200:
            read[caller.name] += 1
            if not same_bytes:
                wrong_bytes.append((caller.name, tile.id))
            if tile.scope is not None and not allowed:
                outside.append((caller.name, tile.scope, tile.id))
            if tile.scope is not None and "private" not in cache.lower():
                not_private.append((caller.name, tile.id, cache))
        elif tile.scope is None:
            public_refused.append((caller.name, tile.id, status))
        elif allowed:
            refused_inside.append((caller.name, tile.scope, tile.id, status))
        elif status != 404 or error != not_found_error[caller]:
            wrong_refusal.append((caller.name, tile.scope, status, error))
    for caller in everyone:
        print(f"{caller.name}: {read[caller.name]} of {len(current.tiles)} tiles read")
    assert len(outside) == 0, f"{len(outside)} reads outside the caller's scope: {outside[:10]}"
    assert refused_inside == [], f"{len(refused_inside)} in-scope reads failed: {refused_inside[:10]}"
    assert public_refused == [], f"public tiles refused: {public_refused[:10]}"
    assert wrong_refusal == [], f"not refused as a missing tile: {wrong_refusal[:10]}"
    assert wrong_bytes == [], f"bytes that are not the tile: {wrong_bytes[:10]}"
    assert not_private == [], f"closed tiles without Cache-Control private: {not_private[:10]}"
    for caller in everyone:
        own = [t for t in current.closed if caller.may_read(t)]
        assert read[caller.name] == len(current.public) + len(own), caller.name
        if caller.scope is not None:
            assert own, f"{caller.name} has no closed tile"


def test_the_manifest_lists_public_tiles_and_the_callers_own_closed_tiles():
    current = store()
    scope_of = {t.id: t.scope for t in current.tiles}
    public_ids = {t.id for t in current.public}
    anonymous = call("GET", "/api/manifest")
    assert anonymous.status == 200, anonymous.describe()
    # Closed tiles are whole: the parts of split tiles ("geography.quarter=2")
    # are public only, and a part's closed rows come from the whole tile.
    public_families = {e["family"] for e in anonymous.json()["tiles"] if "=" not in e["family"]}
    assert not [e for e in anonymous.json()["tiles"] if e.get("scope")], "closed tiles for no token"
    for caller in callers():
        answer = call("GET", "/api/manifest", caller.token)
        assert answer.status == 200, f"{caller.name}: {answer.describe()}"
        manifest = answer.json()
        assert manifest["release"] == current.release, caller.name
        listed = {e["id"]: e for e in manifest["tiles"]}
        own = {t.id for t in current.closed if t.scope == caller.scope}
        extra = [scope_of.get(i, "not in the release") for i in set(listed) - public_ids - own]
        assert extra == [], f"{caller.name}: the manifest lists tiles of {sorted(set(map(str, extra)))}"
        assert set(listed) == public_ids | own, f"{caller.name}: tiles missing from the manifest"
        for entry in listed.values():
            assert entry.get("scope") == scope_of[entry["id"]], (caller.name, entry)
            assert entry["url"] == f"/api/tiles/{entry['id']}", entry
        if caller.role is not None:
            assert "private" in answer.header("Cache-Control").lower(), (
                f"{caller.name}: the manifest's Cache-Control is {answer.header('Cache-Control')!r}"
            )
        own_families = {e["family"] for e in listed.values() if e.get("scope")}
        if caller.role in ("municipality", "region", "health_cluster"):
            needed = {f for f in public_families if f.split(".")[0] in MUNICIPALITY_FAMILIES}
            assert needed and needed <= own_families, (
                f"{caller.name}: no closed tile of {sorted(needed - own_families)}"
            )
        if caller.role in ("region", "health_cluster"):
            # Every health cluster has its acute hospital in one of its
            # municipalities (SOR gives the address).
            assert "by_hospital" in own_families, f"{caller.name}: no closed by_hospital tile"
        if caller.role in ("municipality", "gp_cluster", "gp_practice"):
            assert "by_hospital" not in own_families, f"{caller.name}: a closed by_hospital tile"
        if caller.role in ("gp_cluster", "gp_practice"):
            assert own_families == {"by_practice"} | CLOSED_ONLY, f"{caller.name}: {sorted(own_families)}"
        if caller.role == "national":
            assert own_families == public_families | CLOSED_ONLY, (
                f"national: {sorted(own_families ^ (public_families | CLOSED_ONLY))}"
            )
        assert not CLOSED_ONLY & public_families, f"public tiles of {sorted(CLOSED_ONLY & public_families)}"


def test_closed_tile_contents_stay_in_scope():
    """Every closed tile is exact, names its scope, and holds rows of the
    scope only: municipalities by the geography CSV, practices by YDR,
    hospitals by SOR."""
    geo = geography()
    providers = practices()
    hospital_region = hospital_regions()
    hospital_municipality = hospital_municipalities()
    problems = []
    closed = store().closed
    # The dictionaries of the public tiles: a closed tile's code means the
    # same practice or hospital as in the public tile it is laid over.
    public_dictionaries = {}
    for t in store().public:
        for key in ("tvaers.practices", "tvaers.hospitals"):
            if t.meta(key):
                public_dictionaries[key] = {e["code"]: e for e in json.loads(t.meta(key))}

    # First the health clusters: each is the municipalities sharing one
    # `sundhedsklynge` name.
    cluster_names = defaultdict(set)
    for t in closed:
        role, org = split_scope(t.scope)
        if role == "health_cluster" and t.dimension == "municipality":
            codes = json.loads(t.meta("tvaers.scope_codes") or "[]")
            cluster_names[org] |= {geo.cluster.get(c) for c in codes}
    for org, names in cluster_names.items():
        if len(names) != 1 or None in names:
            problems.append(f"health_cluster:{org} spans clusters {sorted(map(str, names))}")
    named = {org: next(iter(names)) for org, names in cluster_names.items() if len(names) == 1}
    for t in closed:
        role, org = split_scope(t.scope)
        if role == "health_cluster" and org not in cluster_names:
            problems.append(f"{t.scope} has no municipality tile")
            cluster_names[org] = set()
    if len(set(named.values())) != len(named):
        problems.append(f"health clusters share a name: {named}")

    def municipality_in_scope(role, org, m):
        if role == "national":
            return m in geo.region
        if role == "municipality":
            return m == int(org)
        if role == "region":
            return geo.region.get(m) == org
        if role == "health_cluster":
            return org in named and geo.cluster.get(m) == named[org]
        return False

    def practice_in_scope(role, org, provider_number, family=None):
        municipality, gp_cluster = providers[provider_number]
        if role == "gp_cluster":
            return gp_cluster == int(org)
        if role == "gp_practice":
            # A practice compares its prescriptions with its cluster's.
            own_cluster = providers[org][1]
            same_cluster = family == "prescriptions" and own_cluster != 0 and gp_cluster == own_cluster
            return provider_number == org or same_cluster
        return municipality_in_scope(role, org, municipality)

    checked = Counter()
    for t in closed:
        role, org = split_scope(t.scope)
        where = f"{t.scope} {t.family_key} {t.id[:12]}"
        if role == "municipality" and not (org and len(org) == 4 and org.isdigit()):
            problems.append(f"{where}: municipality scope not written with 4 digits")
        if role not in SCOPED_ROLES + ("national",) or (role == "national") != (org is None):
            problems.append(f"{where}: not a scope")
            continue
        if t.meta("tvaers.scope") != t.scope:
            problems.append(f"{where}: tvaers.scope is {t.meta('tvaers.scope')!r}")
        if t.meta("tvaers.disclosure") != "exact":
            problems.append(f"{where}: tvaers.disclosure is {t.meta('tvaers.disclosure')!r}")
        family, _ = t.kind
        column = DIMENSION_OF_FAMILY.get(family)
        if column is None or column != t.dimension:
            problems.append(f"{where}: family {family} with dimension {t.dimension}")
            continue
        try:
            scope_codes = set(json.loads(t.meta("tvaers.scope_codes")))
        except (TypeError, ValueError):
            problems.append(f"{where}: tvaers.scope_codes is {t.meta('tvaers.scope_codes')!r}")
            continue
        rows = set(t.table.column(column).to_pylist())
        if not rows <= scope_codes:
            problems.append(f"{where}: rows of {sorted(rows - scope_codes)[:10]} outside its scope codes")
        if column == "municipality":
            if role in ("gp_cluster", "gp_practice"):
                problems.append(f"{where}: a municipality tile in a practice scope")
                continue
            covered = {m for m in geo.region if municipality_in_scope(role, org, m)}
            if scope_codes != covered:
                problems.append(
                    f"{where}: scope codes {sorted(scope_codes)[:10]} are not the scope's "
                    f"municipalities {sorted(covered)[:10]}"
                )
        elif column == "practice":
            dictionary = json.loads(t.meta("tvaers.practices") or "[]")
            by_code = {p["code"]: p for p in dictionary}
            # Codes mean what the public by-practice tile's dictionary says.
            public_practices = public_dictionaries.get("tvaers.practices", {})
            country = {ALL_PRACTICES} if family == "prescriptions" else set()
            if family == "prescription_detail" and role == "gp_practice" and providers[org][1] != 0:
                country = {CLUSTER_PRACTICES}
            for code in by_code:
                if code not in public_practices or public_practices[code] != by_code[code]:
                    problems.append(f"{where}: practice {code} differs from the public tile's")
            for code in scope_codes - country:
                p = public_practices.get(code)
                if p is None or p["provider_number"] not in providers:
                    problems.append(f"{where}: practice {code} is not a known practice")
                    continue
                if (p["municipality"], p["gp_cluster"]) != providers[p["provider_number"]]:
                    problems.append(f"{where}: practice {p} differs from YDR")
                if not practice_in_scope(role, org, p["provider_number"], family):
                    problems.append(f"{where}: practice {p['provider_number']} is outside the scope")
            expected = country | {
                c
                for c, p in public_practices.items()
                if p["provider_number"] in providers and practice_in_scope(role, org, p["provider_number"], family)
            }
            if scope_codes != expected:
                problems.append(
                    f"{where}: scope codes {sorted(scope_codes ^ expected)[:10]} differ from the scope's practices"
                )
            # The dictionary names every practice of the tile, but a
            # practice's prescription tile names the practice only.
            if role == "gp_practice" and family in CLOSED_ONLY:
                names = {c for c, p in public_practices.items() if p["provider_number"] == org}
            else:
                names = scope_codes - country
            if set(by_code) != names:
                problems.append(f"{where}: the dictionary names {sorted(by_code)[:10]}, not {sorted(names)[:10]}")
        elif column in GROUP_CODES:
            if role != "national":
                problems.append(f"{where}: a tile by {column} in a {role} scope")
            elif scope_codes != GROUP_CODES[column]:
                problems.append(f"{where}: scope codes {sorted(scope_codes)} are not every {column}")
        elif column == "hospital":
            if role not in ("region", "national", "health_cluster"):
                problems.append(f"{where}: a by-hospital tile in a {role} scope")
                continue
            dictionary = {h["code"]: h for h in json.loads(t.meta("tvaers.hospitals") or "[]")}
            public_hospitals = public_dictionaries.get("tvaers.hospitals", {})
            # Code 1000 is Region Sjælland counted as one hospital (see the
            # catalogue): in no dictionary, and Region Sjælland's own.
            as_one = {SJAELLAND_AS_ONE} if role == "national" or org == "1085" else set()
            for code in rows - as_one:
                if code not in public_hospitals or public_hospitals[code] != dictionary.get(code):
                    problems.append(f"{where}: hospital {code} differs from the public tile's")
            for code in scope_codes - as_one:
                h = dictionary.get(code)
                region = hospital_region.get(h["sor_id"]) if h else None
                if region is None:
                    problems.append(f"{where}: hospital {code} is not a known hospital")
                    continue
                if str(h["region"]) != region:
                    problems.append(f"{where}: hospital {h} differs from SOR ({region})")
                if role == "region" and region != org:
                    problems.append(f"{where}: hospital {h['name']} of region {region}")
                at = hospital_municipality.get(h["sor_id"])
                if role == "health_cluster" and not municipality_in_scope(role, org, at):
                    problems.append(f"{where}: hospital {h['name']} stands in municipality {at}")

            def hospital_in_scope(sor_id):
                if role == "health_cluster":
                    return municipality_in_scope(role, org, hospital_municipality.get(sor_id))
                return role == "national" or hospital_region[sor_id] == org

            expected = as_one | {
                c
                for c, h in dictionary.items()
                if hospital_region.get(h["sor_id"]) is not None and hospital_in_scope(h["sor_id"])
            }
            if scope_codes != expected:
                problems.append(f"{where}: scope codes miss hospitals {sorted(expected - scope_codes)[:10]}")
        checked[role] += 1
    print(f"closed tiles checked: {dict(checked)}")
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    assert all(checked[r] for r in SCOPED_ROLES + ("national",)), checked


def row_tuples(table, names):
    columns = [table.column(n).to_pylist() for n in names]
    return sorted(zip(*columns))


def cluster_summed(practice_tile, national, names):
    """The rows a practice's detail tile holds for its GP cluster: the
    national tile's rows of the cluster's practices (by YDR) added up per
    key, with the practice CLUSTER_PRACTICES."""
    _, org = split_scope(practice_tile.scope)
    providers = practices()
    members = {
        e["code"]
        for e in json.loads(national.meta("tvaers.practices"))
        if providers[e["provider_number"]][1] == providers[org][1]
    }
    sums = defaultdict(lambda: [0] * (len(names) - len(DETAIL_KEYS)))
    values = [n for n in names if n not in DETAIL_KEYS]
    for row in national.table.to_pylist():
        if row["practice"] in members:
            key = tuple(CLUSTER_PRACTICES if k == "practice" else row[k] for k in DETAIL_KEYS)
            for i, v in enumerate(values):
                sums[key][i] += row[v]
    assert sums, f"{practice_tile.scope}: its cluster has no detail rows"
    rows = []
    for key, total in sums.items():
        by_name = dict(zip(DETAIL_KEYS, key)) | dict(zip(values, total))
        rows.append(tuple(by_name[n] for n in names))
    return rows


def test_closed_tiles_equal_the_public_rows_of_their_scope():
    """The current release is exact, so where no protection applies a
    closed tile is the public tile's rows of its scope codes."""
    current = store()
    public = {}
    for t in current.whole:
        assert t.meta("tvaers.disclosure") == "exact", "the e2e run serves an exact release first"
        assert t.kind not in public, f"two public tiles of {t.kind}"
        public[t.kind] = t
    # A family with closed tiles only is compared with the national tile.
    for t in current.closed:
        if t.kind[0] in CLOSED_ONLY and t.scope == "national":
            assert t.kind not in public, f"two national tiles of {t.kind}"
            public[t.kind] = t
    scopes = {c.scope for c in callers() if c.scope is not None}
    compared = 0
    for t in current.closed:
        if t.scope not in scopes:
            continue
        where = f"{t.scope} {t.kind}"
        assert t.kind in public, f"{where}: no public tile of the same family and split"
        p = public[t.kind]
        names = t.table.schema.names
        assert names == p.table.schema.names, f"{where}: columns differ from the public tile"
        column = DIMENSION_OF_FAMILY[t.kind[0]]
        codes = set(json.loads(t.meta("tvaers.scope_codes")))
        keep = [code in codes for code in p.table.column(column).to_pylist()]
        expected = row_tuples(p.table.filter(pa.array(keep, pa.bool_())), names)
        if CLUSTER_PRACTICES in codes:
            expected = sorted(expected + cluster_summed(t, p, names))
        got = row_tuples(t.table, names)
        assert got == expected, (
            f"{where}: {len(got)} closed rows, {len(expected)} public rows of its scope; "
            f"first differences {sorted(set(got) ^ set(expected))[:3]}"
        )
        compared += 1
    assert compared >= len(scopes), compared
    print(f"{compared} closed tiles equal their public rows")


# --- Saved reports --------------------------------------------------------------


def report_list(token=None, cookie=None):
    answer = call("GET", "/api/reports", token, cookie=cookie)
    assert answer.status == 200, answer.describe()
    body = answer.json()
    items = body["reports"] if isinstance(body, dict) else body
    return {r["id"]: r for r in items}


def new_report(name, shared):
    return {
        "name": name,
        "description": "made by the end-to-end tests",
        "view": "/avanceret?chart=bar&measure=citizens",
        "shared": shared,
    }


def test_saved_reports_are_kept_per_user_and_shared_within_the_organisation():
    a = token_for("municipality", "0751", sub="a")
    b = token_for("municipality", "0751", sub="b")
    c = token_for("municipality", "0101", sub="c")
    region = token_for("region", "1082", sub="d")
    ingest = token_for("ingest", "lpr", sub="loader")
    run = uuid.uuid4().hex[:8]

    created = {}
    for kind, shared in (("private", False), ("shared", True)):
        answer = call("POST", "/api/reports", a, body=new_report(f"{kind} {run}", shared))
        assert answer.status == 201, f"A creates a {kind} report: {answer.describe()}"
        report = answer.json()
        assert report["name"] == f"{kind} {run}" and report["shared"] is shared, report
        created[kind] = report["id"]
    private, shared = created["private"], created["shared"]

    # A sees both; B (same municipality) the shared one only; C and the
    # region (other organisations) neither.
    assert {private, shared} <= set(report_list(a))
    seen_by_b = set(report_list(b))
    assert shared in seen_by_b and private not in seen_by_b, "B's list"
    for other in (c, region):
        assert not {private, shared} & set(report_list(other)), "another organisation's list"

    assert call("GET", f"/api/reports/{private}", a).status == 200
    assert call("GET", f"/api/reports/{shared}", b).status == 200
    assert call("GET", f"/api/reports/{private}", b).status == 404
    for method, body in (("PATCH", {"name": "taken over"}), ("DELETE", None)):
        answer = call(method, f"/api/reports/{shared}", b, body=body)
        assert answer.status == 403, f"B {method}s A's shared report: {answer.describe()}"
        answer = call(method, f"/api/reports/{private}", b, body=body)
        assert answer.status == 404, f"B {method}s A's private report: {answer.describe()}"
        for other in (c, region):
            for report in (private, shared):
                answer = call(method, f"/api/reports/{report}", other, body=body)
                assert answer.status == 404, f"another organisation {method}s: {answer.describe()}"
    for other in (c, region):
        for report in (private, shared):
            assert call("GET", f"/api/reports/{report}", other).status == 404

    # Without credentials: 401 everywhere; with an ingest token: 403.
    endpoints = [
        ("GET", "/api/reports", None),
        ("POST", "/api/reports", new_report(f"anonymous {run}", False)),
        ("GET", f"/api/reports/{shared}", None),
        ("PATCH", f"/api/reports/{shared}", {"name": "anonymous"}),
        ("DELETE", f"/api/reports/{shared}", None),
    ]
    for method, path, body in endpoints:
        answer = call(method, path, body=body)
        assert answer.status == 401, f"{method} {path} without a token: {answer.describe()}"
        assert answer.error() == "sign_in_required", f"{method} {path}: {answer.describe()}"
        answer = call(method, path, ingest, body=body)
        assert answer.status == 403, f"{method} {path} with an ingest token: {answer.describe()}"

    # The owner renames, then deletes.
    answer = call("PATCH", f"/api/reports/{shared}", a, body={"name": f"renamed {run}"})
    assert answer.status == 200, answer.describe()
    assert answer.json()["name"] == f"renamed {run}"
    assert report_list(b)[shared]["name"] == f"renamed {run}"
    answer = call("PATCH", f"/api/reports/{shared}", a, body={"shared": False})
    assert answer.status == 200, answer.describe()
    assert shared not in report_list(b), "unshared, it leaves B's list"
    assert call("GET", f"/api/reports/{shared}", b).status == 404
    for report in (private, shared):
        answer = call("DELETE", f"/api/reports/{report}", a)
        assert answer.status == 204, answer.describe()
        assert call("GET", f"/api/reports/{report}", a).status == 404
    assert not {private, shared} & set(report_list(a))


def test_the_session_cookie_needs_the_csrf_header_for_changes():
    a = token_for("municipality", "0751", sub="a")
    answer = call("POST", "/api/session", body={"token": a}, headers=CSRF)
    assert answer.status < 300, answer.describe()
    cookie = session_cookie(answer)
    assert cookie is not None and sets_session(answer), answer.set_cookies()
    value, attributes = cookie
    assert "httponly" in attributes, answer.set_cookies()
    assert attributes.get("samesite", "").lower() == "strict", answer.set_cookies()
    assert attributes.get("path") == "/api", answer.set_cookies()
    jar = f"{SESSION_COOKIE}={value}"

    session = call("GET", "/api/session", cookie=jar)
    assert session.status == 200, session.describe()
    assert session.json()["signed_in"] is True and session.json().get("org") == "0751"
    assert "private" in session.header("Cache-Control").lower(), session.header("Cache-Control")

    run = uuid.uuid4().hex[:8]
    answer = call("POST", "/api/reports", body=new_report(f"cookie {run}", False), cookie=jar)
    assert answer.status == 403, f"cookie without the CSRF header: {answer.describe()}"
    assert answer.error() == "csrf", answer.describe()
    answer = call(
        "POST", "/api/reports", body=new_report(f"cookie {run}", False), cookie=jar, headers=CSRF
    )
    assert answer.status == 201, f"cookie with the CSRF header: {answer.describe()}"
    report = answer.json()["id"]
    # The cookie's user is A: A's Bearer token sees the report.
    assert report in report_list(a)
    for method, body in (("PATCH", {"name": "no header"}), ("DELETE", None)):
        answer = call(method, f"/api/reports/{report}", body=body, cookie=jar)
        assert answer.status == 403 and answer.error() == "csrf", f"{method}: {answer.describe()}"
    answer = call("DELETE", f"/api/reports/{report}", cookie=jar, headers=CSRF)
    assert answer.status == 204, answer.describe()

    answer = call("DELETE", "/api/session", cookie=jar, headers=CSRF)
    assert answer.status == 204, answer.describe()
    assert session_cookie(answer) is not None and not sets_session(answer), answer.set_cookies()


# --- Ingestion and administration -----------------------------------------------

# Not an extract of any register: were a token wrongly let through, the
# batch would be rejected, not stored.
NOT_AN_EXTRACT = b"not,an,extract\n1,2,3\n"


def test_ingest_tokens_open_their_own_register_only():
    cases = [
        ("ingest token of lpr", token_for("ingest", "lpr", sub="loader"), "ssr"),
        ("municipality token", token_for("municipality", "0751"), "lpr"),
        ("national token", token_for("national"), "lpr"),
        ("admin token", token_for("admin"), "lpr"),
    ]
    for name, token, register in cases:
        answer = call(
            "POST",
            f"/api/ingest/{register}",
            token,
            data=NOT_AN_EXTRACT,
            headers={"Content-Type": "text/csv", "X-File-Name": "not-an-extract.csv"},
        )
        assert answer.status == 403, f"{name} posting to {register}: {answer.describe()}"


def test_admin_keys_are_for_the_admin_role_only():
    answer = call("GET", "/api/admin/keys")
    assert answer.status == 401, answer.describe()
    for role, org in (("municipality", "0751"), ("national", None), ("ingest", "lpr"), ("region", "1082")):
        answer = call("GET", "/api/admin/keys", token_for(role, org))
        assert answer.status == 403, f"{role}: {answer.describe()}"
    answer = call("GET", "/api/admin/keys", ATTACKS["another_environment"]())
    assert answer.status == 401 and answer.error() == "invalid_token", answer.describe()

    answer = call("GET", "/api/admin/keys", token_for("admin"))
    assert answer.status == 200, answer.describe()
    keys = []

    def collect(value):
        if isinstance(value, dict):
            if "kid" in value:
                keys.append(value)
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(answer.json())
    by_kid = {k["kid"]: k for k in keys}
    assert RS256_KID in by_kid and ES256_KID in by_kid, sorted(by_kid)
    assert by_kid[RS256_KID].get("alg") == "RS256", by_kid[RS256_KID]
    assert by_kid[ES256_KID].get("alg") == "ES256", by_kid[ES256_KID]
    for kid in (RS256_KID, ES256_KID):
        if "iss" in by_kid[kid]:
            assert by_kid[kid]["iss"] == ISSUER, by_kid[kid]
