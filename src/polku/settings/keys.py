"""The keys Polku cannot run without: Django's secret key, the identity code keys and the audit chain's
anchor key, read from the environment and checked at start. Outside debug mode a missing or malformed
key stops the start; in debug mode (`make run`) each missing key is derived from the development secret,
so the data of a development database stays readable from one run to the next."""

import base64
import hashlib
import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from polku.settings.environment import env_list


def secret_key(*, debug: bool) -> str:
    key = os.environ.get("POLKU_SECRET_KEY", "")
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured("POLKU_SECRET_KEY must be set when POLKU_DEBUG is off.")
    return "polku-insecure-development-key-only-for-make-run"


def identity_code_keys(*, debug: bool, secret_key: str) -> tuple[list[str], str]:
    """The keys that encrypt personal identity codes, and the key of their lookup hash.

    The codes are stored encrypted (MultiFernet: the first key encrypts, every key decrypts, so a new key
    goes first and `manage.py rotate_identity_keys` re-encrypts) and found through a keyed hash
    (HMAC-SHA256 with the lookup key, which cannot be rotated without re-hashing every code)."""
    code_keys = env_list("POLKU_IDENTITY_CODE_KEYS")
    lookup_key = os.environ.get("POLKU_IDENTITY_LOOKUP_KEY", "")
    if not code_keys or not lookup_key:
        if not debug:
            raise ImproperlyConfigured(
                "POLKU_IDENTITY_CODE_KEYS and POLKU_IDENTITY_LOOKUP_KEY must be set when POLKU_DEBUG is off."
            )
        dev = hashlib.sha256(f"polku-dev-identity:{secret_key}".encode()).digest()
        code_keys = code_keys or [base64.urlsafe_b64encode(dev).decode()]
        lookup_key = lookup_key or base64.urlsafe_b64encode(dev[::-1]).decode()
    for key in code_keys:
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                "Each key in POLKU_IDENTITY_CODE_KEYS must be a Fernet key (32 bytes, URL-safe base64); make "
                'one with: python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"'
            ) from None
    if len(lookup_key) < 32:
        raise ImproperlyConfigured("POLKU_IDENTITY_LOOKUP_KEY must be at least 32 characters long.")
    return code_keys, lookup_key


def audit_anchor_key(*, debug: bool, secret_key: str) -> str:
    """The audit chain's anchor (audit/README.md): each event's hash and each checkpoint of the chain
    head are HMAC-SHA256 with this key, which the database does not hold, so that someone who can write
    to the database can neither forge an event the sealer accepts nor rewind the chain unnoticed.
    Changing it makes every event written before the change fail verification, so keep it."""
    key = os.environ.get("POLKU_AUDIT_ANCHOR_KEY", "")
    if not key:
        if not debug:
            raise ImproperlyConfigured("POLKU_AUDIT_ANCHOR_KEY must be set when POLKU_DEBUG is off.")
        key = hashlib.sha256(f"polku-dev-audit-anchor:{secret_key}".encode()).hexdigest()
    if len(key) < 32:
        raise ImproperlyConfigured("POLKU_AUDIT_ANCHOR_KEY must be at least 32 characters long.")
    return key
