"""A test issuer for the sign-in tests: keys made here with the
`cryptography` package, not with any code of the project.

    python tests/keys.py OUTDIR

writes into OUTDIR

- `rs256.pem`, `es256.pem`: the issuer's private keys (PKCS#8 PEM), an
  RSA-2048 key (kid `test-rs256`, RS256) and a P-256 key (kid
  `test-es256`, ES256);
- `jwks.json`: their public keys as a JWK Set, each naming its `kid`,
  `alg` and `use`;
- `other-es256.pem`: a second P-256 key that is *not* in the JWK Set. The
  tests sign with it under the kid `test-es256`, as a token of another
  environment (or an attacker) would.

The server trusts the issuer with

    tvaers serve --trust https://issuer.test.tvaers=OUTDIR/jwks.json

and the tests find the keys through `TVAERS_TEST_KEYS=OUTDIR`. Keys that
exist already are kept (a running server may trust them)."""

import base64
import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ISSUER = "https://issuer.test.tvaers"
RS256_KID = "test-rs256"
ES256_KID = "test-es256"

FILES = ("rs256.pem", "es256.pem", "other-es256.pem", "jwks.json")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def uint(value, length=None):
    """Big-endian bytes of a non-negative integer: minimal, or `length`
    bytes (JWK coordinates have the curve's fixed length)."""
    if length is None:
        length = max(1, (value.bit_length() + 7) // 8)
    return value.to_bytes(length, "big")


def pem(private_key):
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def rsa_jwk(private_key, kid):
    numbers = private_key.public_key().public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "alg": "RS256",
        "use": "sig",
        "n": b64url(uint(numbers.n)),
        "e": b64url(uint(numbers.e)),
    }


def ec_jwk(private_key, kid):
    numbers = private_key.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "kid": kid,
        "alg": "ES256",
        "use": "sig",
        "x": b64url(uint(numbers.x, 32)),
        "y": b64url(uint(numbers.y, 32)),
    }


def write_private(path, data):
    """Writes a private key readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def generate(outdir):
    outdir = Path(outdir)
    if all((outdir / name).is_file() for name in FILES):
        print(f"test issuer {ISSUER}: keys kept in {outdir}")
        return
    outdir.mkdir(parents=True, exist_ok=True)
    rs256 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    es256 = ec.generate_private_key(ec.SECP256R1())
    other = ec.generate_private_key(ec.SECP256R1())
    write_private(outdir / "rs256.pem", pem(rs256))
    write_private(outdir / "es256.pem", pem(es256))
    write_private(outdir / "other-es256.pem", pem(other))
    jwks = {"keys": [rsa_jwk(rs256, RS256_KID), ec_jwk(es256, ES256_KID)]}
    # Written last: its presence means the key files are complete.
    (outdir / "jwks.json").write_text(json.dumps(jwks, indent=2) + "\n", encoding="utf-8")
    print(f"test issuer {ISSUER}: keys written to {outdir}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    generate(sys.argv[1])
