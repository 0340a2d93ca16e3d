"""A real OpenID provider on loopback for the portal's tests (oidc-provider-mock in a thread), and a
browser's part of the protocol (`Browser.log_in`), so every test runs the whole flow over HTTP.

The mock signs ID tokens (RS256) but knows neither private_key_jwt, request objects nor encrypted ID
tokens. `StrictProvider` is a small HTTP front for it that plays a provider requiring them: it checks
the client assertion against Polku's published keys (and the request object where sent), encrypts the
ID token to Polku's "enc" key, and can tamper with the ID token's signature.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlparse

import httpx
import oidc_provider_mock
import pytest
from authlib.jose import JsonWebEncryption, JsonWebKey, jwt
from django.test import Client as DjangoClient

# The consent tests' Oulu case, its Espoo team member and an Oulu note, for the consent pages' tests.
from tests.clients.test_consent import case, espoo_member, note  # noqa: F401


@dataclass
class Provider:
    issuer: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_person(self, sub: str, identity_code: str, name: str = "Testi Henkilö") -> None:
        response = httpx.put(
            f"{self.issuer}/users/{quote(sub)}", json={"personal_identity_code": identity_code, "name": name}
        )
        assert response.status_code == 204


@pytest.fixture
def provider(settings) -> Iterator[Provider]:
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        issuer = f"http://localhost:{server.server_port}"
        settings.POLKU_PORTAL_OIDC_ISSUER = issuer
        settings.POLKU_PORTAL_OIDC_METADATA_URL = ""
        settings.POLKU_PORTAL_OIDC_CLIENT_ID = "polku-test"
        settings.POLKU_PORTAL_OIDC_CLIENT_SECRET = "polku-test-secret"
        settings.POLKU_PORTAL_OIDC_CLIENT_AUTH = "client_secret_basic"
        settings.POLKU_PORTAL_OIDC_SIGNED_REQUEST = False
        settings.POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN = False
        yield Provider(issuer)


def make_keys() -> dict[str, Any]:
    """Polku's key pair set: one signing key, one encryption key (private JWKs)."""
    sig = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "polku-sig", "use": "sig"})
    enc = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "polku-enc", "use": "enc"})
    sig_dict, enc_dict = sig.as_dict(is_private=True), enc.as_dict(is_private=True)
    sig_dict.update(kid="polku-sig", use="sig", alg="RS256")
    enc_dict.update(kid="polku-enc", use="enc", alg="RSA-OAEP-256")
    return {"keys": [sig_dict, enc_dict]}


class StrictProvider:
    """An HTTP front for the mock provider that behaves as a provider requiring Polku's keys."""

    def __init__(self, upstream: str, polku_public_jwks: dict[str, Any]) -> None:
        self.upstream = upstream
        # What the provider knows of Polku: the public keys Polku publishes (/portal/oidc/jwks.json).
        self.public_keys = JsonWebKey.import_key_set(polku_public_jwks)
        self.encrypt = False
        self.tamper_signature = False
        self.require_assertion = False
        self.require_request_object = False
        self.seen_assertions: list[dict[str, Any]] = []
        self.seen_request_objects: list[dict[str, Any]] = []
        front = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path.startswith("/.well-known/openid-configuration"):
                    document = httpx.get(f"{front.upstream}{self.path}").json()
                    document["token_endpoint"] = f"{front.url}/oauth2/token"
                    document["authorization_endpoint"] = f"{front.url}/oauth2/authorize"
                    document["token_endpoint_auth_methods_supported"] = ["private_key_jwt"]
                    self._send(200, {"Content-Type": "application/json"}, json.dumps(document).encode())
                    return
                if self.path.startswith("/oauth2/authorize"):
                    query = parse_qs(urlparse(self.path).query)
                    if front.require_request_object:
                        request_object = query.get("request", [""])[0]
                        try:
                            claims = jwt.decode(request_object, front.public_keys)
                            claims.validate()
                        except Exception:
                            self._send(400, {}, b"invalid request object")
                            return
                        front.seen_request_objects.append(dict(claims))
                    self._send(302, {"Location": f"{front.upstream}{self.path}"}, b"")
                    return
                self._send(404, {}, b"")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {key: values[0] for key, values in parse_qs(body).items()}
                if front.require_assertion:
                    try:
                        claims = jwt.decode(form.pop("client_assertion"), front.public_keys)
                        claims.validate()
                        assert claims["iss"] == claims["sub"] == form["client_id"]
                        assert claims["aud"] == f"{front.url}/oauth2/token"
                    except Exception:
                        self._send(401, {"Content-Type": "application/json"}, b'{"error": "invalid_client"}')
                        return
                    front.seen_assertions.append(dict(claims))
                    form.pop("client_assertion_type", None)
                    client_id = form.pop("client_id")
                    auth: tuple[str, str] | None = (client_id, "checked-by-assertion")
                else:
                    auth = None
                    if "Authorization" in self.headers:
                        upstream = httpx.post(
                            f"{front.upstream}/oauth2/token",
                            content=body,
                            headers={
                                "Authorization": self.headers["Authorization"],
                                "Content-Type": "application/x-www-form-urlencoded",
                            },
                        )
                        self._answer_token(upstream)
                        return
                upstream = httpx.post(f"{front.upstream}/oauth2/token", data=form, auth=auth)
                self._answer_token(upstream)

            def _answer_token(self, upstream: httpx.Response) -> None:
                document = upstream.json()
                if upstream.status_code == 200 and "id_token" in document:
                    token = document["id_token"]
                    if front.tamper_signature:
                        head, payload, signature = token.split(".")
                        flipped = "A" if signature[10] != "A" else "B"
                        token = f"{head}.{payload}.{signature[:10]}{flipped}{signature[11:]}"
                    if front.encrypt:
                        enc_key = next(k for k in front.public_keys.keys if k.tokens.get("use") == "enc")
                        token = (
                            JsonWebEncryption()
                            .serialize_compact(
                                {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT", "kid": enc_key.kid},
                                token.encode(),
                                enc_key,
                            )
                            .decode()
                        )
                    document["id_token"] = token
                self._send(
                    upstream.status_code, {"Content-Type": "application/json"}, json.dumps(document).encode()
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StrictProvider:
        self.thread.start()
        return self

    def __exit__(self, *args: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def polku_keys(settings) -> dict[str, Any]:
    keys = make_keys()
    settings.POLKU_PORTAL_OIDC_KEYS = json.dumps(keys)
    return keys


@pytest.fixture
def strict_provider(provider, polku_keys, settings) -> Iterator[StrictProvider]:
    from polku.portal import oidc

    with StrictProvider(provider.issuer, oidc.public_jwks()) as front:
        settings.POLKU_PORTAL_OIDC_METADATA_URL = f"{front.url}/.well-known/openid-configuration"
        yield front


class Browser:
    """The person's browser: Polku through Django's test client, the provider over real HTTP."""

    def __init__(self) -> None:
        self.django = DjangoClient()

    def go_to_provider(self) -> str:
        response = self.django.get("/portal/login/")
        assert response.status_code == 302, response.content[:500]
        return str(response["Location"])

    def pick_person(self, authorize_url: str, sub: str) -> str:
        """The provider's form: the person is chosen; returns where the provider sends the browser."""
        form = httpx.get(authorize_url, follow_redirects=True)
        assert form.status_code == 200, form.text[:500]
        answer = httpx.post(str(form.url), data={"sub": sub}, follow_redirects=False)
        assert answer.status_code == 302, answer.text[:500]
        return str(answer.headers["location"])

    def log_in(self, sub: str) -> Any:
        return self.django.get(self.pick_person(self.go_to_provider(), sub))


@pytest.fixture
def browser() -> Browser:
    return Browser()


def with_query(url: str, **changes: str) -> str:
    parsed = urlparse(url)
    query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
    query.update(changes)
    return parsed._replace(query=urlencode(query)).geturl()
