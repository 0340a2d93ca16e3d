"""The audit chain's anchor: HMAC-SHA256 with `settings.AUDIT_ANCHOR_KEY`, a key the database does not
hold. Each event's hash and each checkpoint of the chain head are made with it, so that someone who can
write to the database but does not have the key cannot make an event the sealer accepts, nor a
checkpoint that `verify_audit` believes (README.md)."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=4)
def _keyed(key: str) -> hmac.HMAC:
    # The key's inner and outer pads are hashed once; each signature copies them (every page view signs).
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def sign(data: bytes) -> str:
    """HMAC-SHA256 of `data` with the anchor key, as 64 hex digits."""
    mac = _keyed(settings.AUDIT_ANCHOR_KEY).copy()
    mac.update(data)
    return mac.hexdigest()


def is_signed(data: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(data), signature)
