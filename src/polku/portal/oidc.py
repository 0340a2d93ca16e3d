"""The relying party: Polku's side of OpenID Connect, with Authlib.

The authorization code flow with PKCE (S256), `state` and `nonce`; the stricter options Finnish
providers require are switched on by settings (`POLKU_PORTAL_OIDC_*`, portal/README.md):
- `private_key_jwt`: the token request carries a client assertion signed with Polku's "sig" key
  (RFC 7523) instead of a shared secret;
- signed request objects: the authentication request's parameters also travel as a JWT signed with the
  same key (`request`, RFC 9101; the plain parameters stay for providers that read only those);
- encrypted ID tokens: the ID token arrives as a JWE for Polku's "enc" key, holding the signed JWT.

The ID token's signature is checked against the provider's published keys, then its issuer, audience,
expiry and nonce. Nothing here logs or returns a claim's value: a failure is an `IdentificationError`
whose code says which step failed, never what the token held.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import authlib.deprecate
import httpx
from django.conf import settings
from django.core.cache import cache

with warnings.catch_warnings():
    # Authlib 1.x announces that its jose module moves to the joserfc package in 2.0; it stays here.
    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.common.security import generate_token
    from authlib.jose import JsonWebEncryption, JsonWebKey, KeySet, jwt
    from authlib.oauth2.rfc7523 import private_key_jwt_sign
    from authlib.oauth2.rfc7636 import create_s256_code_challenge
    from authlib.oidc.core import CodeIDToken

TIMEOUT = 10.0
LEEWAY = 60  # seconds of clock difference tolerated in `iat`/`exp`


class IdentificationError(Exception):
    """The identification failed at a named step (`code`): shown as a plain page, logged without data."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Attempt:
    """What the browser's session keeps between sending it to the provider and its return."""

    state: str
    nonce: str
    verifier: str
    started: int

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier, "started": self.started}

    @classmethod
    def from_dict(cls, values: Any) -> Attempt | None:
        if not isinstance(values, dict):
            return None
        try:
            return cls(
                str(values["state"]), str(values["nonce"]), str(values["verifier"]), int(values["started"])
            )
        except (KeyError, TypeError, ValueError):
            return None


def is_configured() -> bool:
    return bool(settings.POLKU_PORTAL_OIDC_ISSUER and settings.POLKU_PORTAL_OIDC_CLIENT_ID)


def metadata() -> dict[str, Any]:
    """The provider's discovery document (cached for ten minutes)."""
    url = settings.POLKU_PORTAL_OIDC_METADATA_URL or (
        f"{settings.POLKU_PORTAL_OIDC_ISSUER}/.well-known/openid-configuration"
    )
    key = f"polku:portal:oidc-metadata:{url}"
    document = cache.get(key)
    if document is None:
        document = _get_json(url, "provider_metadata")
        if document.get("issuer", "").rstrip("/") != settings.POLKU_PORTAL_OIDC_ISSUER:
            raise IdentificationError("provider_metadata")
        cache.set(key, document, 600)
    return dict(document)


def _get_json(url: str, step: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError):
        raise IdentificationError(step) from None
    if not isinstance(document, dict):
        raise IdentificationError(step)
    return document


def own_keys() -> KeySet | None:
    """Polku's private keys (`POLKU_PORTAL_OIDC_KEYS`: a JWK set, or the path of a file holding one)."""
    raw = settings.POLKU_PORTAL_OIDC_KEYS.strip()
    if not raw:
        return None
    if not raw.startswith("{"):
        raw = Path(raw).read_text()
    return JsonWebKey.import_key_set(json.loads(raw))


def _own_key(use: str) -> Any:
    keys = own_keys()
    for key in keys.keys if keys else []:
        if key.tokens.get("use") == use:
            return key
    raise IdentificationError(f"missing_{use}_key")


def public_jwks() -> dict[str, Any]:
    """The public halves of Polku's keys, for the provider (private_key_jwt, encryption)."""
    keys = own_keys()
    published = []
    for key in keys.keys if keys else []:
        public = key.as_dict(is_private=False)
        public.update({name: key.tokens[name] for name in ("use", "alg", "kid") if key.tokens.get(name)})
        published.append(public)
    return {"keys": published}


def start(redirect_uri: str, *, ui_locale: str = "") -> tuple[str, Attempt]:
    """The provider's authorization URL for a new attempt, and the attempt for the session."""
    provider = metadata()
    attempt = Attempt(
        state=generate_token(32),
        nonce=generate_token(32),
        verifier=generate_token(64),
        started=int(time.time()),
    )
    params: dict[str, str] = {
        "response_type": "code",
        "client_id": settings.POLKU_PORTAL_OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.POLKU_PORTAL_OIDC_SCOPE,
        "state": attempt.state,
        "nonce": attempt.nonce,
        "code_challenge": create_s256_code_challenge(attempt.verifier),
        "code_challenge_method": "S256",
    }
    if ui_locale:
        params["ui_locales"] = ui_locale
    if settings.POLKU_PORTAL_OIDC_SIGNED_REQUEST:
        params["request"] = request_object(params, audience=provider["issuer"])
    return f"{provider['authorization_endpoint']}?{urlencode(params)}", attempt


def request_object(params: dict[str, str], *, audience: str) -> str:
    """The authentication request as a JWT signed with Polku's "sig" key (RFC 9101)."""
    key = _own_key("sig")
    now = int(time.time())
    claims = {
        **params,
        "iss": settings.POLKU_PORTAL_OIDC_CLIENT_ID,
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": generate_token(24),
    }
    header = {"alg": "RS256", "typ": "oauth-authz-req+jwt", "kid": key.kid}
    return _sign(header, claims, key)


def _sign(header: dict[str, Any], claims: dict[str, Any], key: Any) -> str:
    token: bytes = jwt.encode(header, claims, key)
    return token.decode()


def finish(*, attempt: Attempt | None, state: str, code: str, redirect_uri: str) -> dict[str, Any]:
    """The verified ID token claims of the returning browser, or IdentificationError."""
    if attempt is None or not state or state != attempt.state:
        raise IdentificationError("state")
    if time.time() - attempt.started > settings.POLKU_PORTAL_LOGIN_SECONDS:
        raise IdentificationError("expired")
    if not code:
        raise IdentificationError("code")
    provider = metadata()
    tokens = _token_request(provider, code=code, verifier=attempt.verifier, redirect_uri=redirect_uri)
    raw = tokens.get("id_token")
    if not isinstance(raw, str):
        raise IdentificationError("id_token")
    return id_token_claims(raw, provider=provider, nonce=attempt.nonce)


def _token_request(
    provider: dict[str, Any], *, code: str, verifier: str, redirect_uri: str
) -> dict[str, Any]:
    endpoint = provider["token_endpoint"]
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    auth: tuple[str, str] | None = None
    if settings.POLKU_PORTAL_OIDC_CLIENT_AUTH == "private_key_jwt":
        key = _own_key("sig")
        assertion = private_key_jwt_sign(
            key, settings.POLKU_PORTAL_OIDC_CLIENT_ID, endpoint, alg="RS256", header={"kid": key.kid}
        )
        data |= {
            "client_id": settings.POLKU_PORTAL_OIDC_CLIENT_ID,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion.decode() if isinstance(assertion, bytes) else assertion,
        }
    else:
        auth = (settings.POLKU_PORTAL_OIDC_CLIENT_ID, settings.POLKU_PORTAL_OIDC_CLIENT_SECRET)
    try:
        response = httpx.post(endpoint, data=data, auth=auth, timeout=TIMEOUT)
        document = response.json()
    except (httpx.HTTPError, ValueError):
        raise IdentificationError("token_request") from None
    if response.status_code != 200 or not isinstance(document, dict):
        # invalid_grant: the code was used already, expired or was never issued to Polku.
        error = document.get("error") if isinstance(document, dict) else ""
        raise IdentificationError("code_refused" if error == "invalid_grant" else "token_request")
    return document


def id_token_claims(raw: str, *, provider: dict[str, Any], nonce: str) -> dict[str, Any]:
    """Decrypt (when encrypted) and verify an ID token: signature, issuer, audience, times and nonce."""
    if raw.count(".") == 4:  # a JWE: five parts
        try:
            raw = JsonWebEncryption().deserialize_compact(raw, _own_key("enc"))["payload"].decode()
        except Exception:  # Authlib raises its own and joserfc's errors: any failure is a refusal
            raise IdentificationError("id_token_decryption") from None
    elif settings.POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN:
        raise IdentificationError("id_token_not_encrypted")
    keys = JsonWebKey.import_key_set(_get_json(provider["jwks_uri"], "provider_keys"))
    try:
        claims = jwt.decode(
            raw,
            keys,
            claims_cls=CodeIDToken,
            claims_options={
                "iss": {"essential": True, "value": provider["issuer"]},
                "aud": {"essential": True, "value": settings.POLKU_PORTAL_OIDC_CLIENT_ID},
                "nonce": {"essential": True},
            },
            claims_params={"nonce": nonce, "client_id": settings.POLKU_PORTAL_OIDC_CLIENT_ID},
        )
    except Exception:  # a bad signature, an unknown key or a token that is no JWT at all
        raise IdentificationError("id_token_signature") from None
    try:
        claims.validate(leeway=LEEWAY)
    except Exception as error:
        raise IdentificationError("nonce" if "nonce" in str(error) else "id_token_claims") from None
    return dict(claims)


def logout_url(post_logout_redirect_uri: str) -> str | None:
    """Where the browser ends the provider's session too (RP-initiated logout), or None when the provider
    offers none. Polku names itself by `client_id`, not by an `id_token_hint`: a plain ID token holds
    the identity code and would put it in an address."""
    try:
        endpoint = metadata().get("end_session_endpoint")
    except IdentificationError:
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.POLKU_PORTAL_OIDC_CLIENT_ID,
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    return f"{endpoint}?{urlencode(params)}"
