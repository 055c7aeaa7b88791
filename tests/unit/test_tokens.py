"""Access tokens checked as a resource server does (``api.tokens``), against an issuer
served here on 127.0.0.1 whose keys the tests hold, so they can make the tokens a real
provider never issues: expired, for another audience, unsigned, tampered with."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.tokens import InvalidToken, TokenVerifier
from tests.oidc.provider import _free_port

AUDIENCE = "https://od-platform.test/api"
WORKSPACE, OTHER_WORKSPACE = uuid.uuid4(), uuid.uuid4()


class Issuer:
    """Discovery document and JWKS of an issuer whose keys can be rotated."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.jwks_fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.endswith("/.well-known/openid-configuration"):
                    body = {"issuer": issuer.url(self.path.split("/")[1]), "jwks_uri": ""}
                    body["jwks_uri"] = body["issuer"] + "/jwks"
                elif self.path.endswith("/jwks"):
                    issuer.jwks_fetches += 1
                    body = {"keys": [issuer.public(kid) for kid in issuer.keys]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", _free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.add_key("k1")

    def url(self, name: str = "a") -> str:
        return f"http://127.0.0.1:{self.server.server_port}/{name}"

    def add_key(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def public(self, kid: str) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key()))
        return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}

    def token(self, kid: str = "k1", issuer: str = "a", **claims) -> str:
        now = int(time.time())
        payload = {"iss": self.url(issuer), "sub": "s-1", "aud": AUDIENCE, "iat": now}
        payload |= {"exp": now + 300, "email": "anna@example.nl", **claims}
        return jwt.encode(
            {k: v for k, v in payload.items() if v is not None},
            self.keys[kid],
            algorithm="RS256",
            headers={"kid": kid},
        )


@pytest.fixture(scope="module")
def issuer():
    served = Issuer()
    yield served
    served.server.shutdown()


@pytest.fixture
def verifier(issuer) -> TokenVerifier:
    trusted = {issuer.url("a"): WORKSPACE, issuer.url("b"): OTHER_WORKSPACE}
    return TokenVerifier(trusted, AUDIENCE, leeway=30, refresh_cooldown=0)


def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as raised:
        verifier.verify(token)
    return str(raised.value)


def test_a_valid_token_names_its_workspace_subject_and_email(verifier, issuer):
    identity = verifier.verify(issuer.token())

    assert (identity.workspace_id, identity.subject) == (WORKSPACE, "s-1")
    assert identity.email == "anna@example.nl"


def test_an_expired_token_is_refused(verifier, issuer):
    assert "expired" in refused(verifier, issuer.token(exp=int(time.time()) - 60))


def test_a_token_expired_within_the_leeway_still_counts(verifier, issuer):
    assert verifier.verify(issuer.token(exp=int(time.time()) - 5)).subject == "s-1"


def test_a_token_not_valid_yet_is_refused(verifier, issuer):
    assert "not valid yet" in refused(verifier, issuer.token(nbf=int(time.time()) + 600))


def test_a_token_for_another_audience_is_refused(verifier, issuer):
    assert "audience" in refused(verifier, issuer.token(aud="https://other.example/api"))


def test_a_token_without_audience_or_expiry_is_refused(verifier, issuer):
    assert refused(verifier, issuer.token(aud=None))
    assert refused(verifier, issuer.token(exp=None))


def test_a_token_of_an_untrusted_issuer_is_refused(verifier, issuer):
    assert "issuer is not trusted" in refused(verifier, issuer.token(issuer="c"))


def test_a_token_of_another_workspaces_issuer_names_that_workspace(verifier, issuer):
    """Users are looked up in the workspace the issuer is trusted for: a subject of
    workspace B's provider can never be a user of workspace A (tests/api/test_users.py)."""
    assert verifier.verify(issuer.token(issuer="b")).workspace_id == OTHER_WORKSPACE


def test_an_unknown_key_id_refetches_the_jwks_once_and_is_then_refused(verifier, issuer):
    verifier.verify(issuer.token())
    fetches = issuer.jwks_fetches
    forged = issuer.token()
    _header, rest = forged.split(".", 1)
    claims = jwt.get_unverified_header(forged) | {"kid": "made-up"}
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode() + "." + rest

    assert "does not publish" in refused(verifier, forged)
    assert issuer.jwks_fetches == fetches + 1


def test_a_rotated_key_is_found_by_fetching_the_jwks_again(verifier, issuer):
    verifier.verify(issuer.token())
    issuer.add_key("k2")

    assert verifier.verify(issuer.token(kid="k2")).subject == "s-1"


def test_alg_none_is_refused(verifier, issuer):
    claims = jwt.decode(issuer.token(), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")

    assert "algorithm 'none'" in refused(verifier, unsigned)


def test_an_hmac_signed_with_the_public_key_is_refused(verifier, issuer):
    public_pem = (
        issuer.keys["k1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    claims = jwt.decode(issuer.token(), options={"verify_signature": False})
    forged = _hs256(claims, public_pem)

    assert "algorithm 'HS256'" in refused(verifier, forged)


def test_a_tampered_payload_is_refused(verifier, issuer):
    header, _payload, signature = issuer.token().split(".")
    claims = jwt.decode(issuer.token(), options={"verify_signature": False}) | {"sub": "admin"}
    payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()

    assert "signature" in refused(verifier, f"{header}.{payload}.{signature}")


def test_a_server_without_configuration_accepts_no_tokens(issuer):
    assert "accepts no access tokens" in refused(TokenVerifier({}, None), issuer.token())


def test_unsafe_algorithms_cannot_be_configured():
    with pytest.raises(ValueError, match="HS256"):
        TokenVerifier({}, AUDIENCE, algorithms=("RS256", "HS256"))


def _hs256(claims: dict, secret: bytes) -> str:
    """An HMAC token keyed with the issuer's public key (the classic confusion attack),
    made by hand: PyJWT itself refuses to use a PEM public key as an HMAC secret."""
    encode = jwt.utils.base64url_encode
    header = encode(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    payload = encode(json.dumps(claims).encode())
    signing_input = header + b"." + payload
    signature = encode(hmac.new(secret, signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature).decode()
