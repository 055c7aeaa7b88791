"""The real OpenID provider of the test suite: npm's certified ``oidc-provider`` under
node (``provider.mjs``, pinned by this folder's package-lock.json), started on 127.0.0.1.

Tests sign people in through it: each test user is a client registered at run time with
its e-mail, and a client_credentials grant gives a JWT access token signed by the
provider, with the client id as subject and the e-mail as a claim.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
AUDIENCE = "https://od-platform.test/api"
PORTS = range(8150, 8200)


@dataclass(frozen=True)
class Account:
    """A test user at the provider: its subject is the client id."""

    issuer: str
    client_id: str
    client_secret: str
    email: str

    @property
    def subject(self) -> str:
        return self.client_id


class OpenIdProvider:
    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node (20 or later) is needed to start the test OpenID provider")
        if not (HERE / "node_modules").exists():
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True
            )
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "OIDC_PORT": str(self.port), "OIDC_AUDIENCE": AUDIENCE}
        self.process = subprocess.Popen(
            [node, "provider.mjs"],
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait()

    def issuer(self, name: str = "a") -> str:
        """One of the provider's two issuers, ``a`` or ``b``."""
        return f"{self.base}/{name}"

    def account(self, email: str, issuer: str = "a") -> Account:
        """Register a test user (a client with this e-mail) at ``issuer``."""
        registered = _post_json(
            f"{self.issuer(issuer)}/reg",
            {
                "grant_types": ["client_credentials"],
                "response_types": [],
                "redirect_uris": [],
                "token_endpoint_auth_method": "client_secret_basic",
                "email": email,
            },
        )
        return Account(
            self.issuer(issuer), registered["client_id"], registered["client_secret"], email
        )

    def token(self, account: Account) -> str:
        """Sign in: an access token for the API's audience, issued by the provider."""
        basic = b64encode(f"{account.client_id}:{account.client_secret}".encode()).decode()
        body = urllib.parse.urlencode(
            {"grant_type": "client_credentials", "scope": "api", "resource": AUDIENCE}
        ).encode()
        request = urllib.request.Request(
            f"{account.issuer}/token", data=body, headers={"Authorization": f"Basic {basic}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["access_token"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        url = f"{self.issuer('a')}/.well-known/openid-configuration"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the OpenID provider stopped: {self.process.stdout.read()}")
            try:
                with urllib.request.urlopen(url, timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the OpenID provider did not answer within 30 s")


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}–{PORTS.stop - 1}")


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())
