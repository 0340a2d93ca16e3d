"""What an authenticator app does, written here from RFC 6238 (time-based one-time passwords), so the
tests depend on allauth only through its public model and pages, not its internal modules."""

import base64
import hashlib
import hmac
import re
import secrets
import struct
import time

from allauth.mfa.models import Authenticator

from polku.accounts.adapter import MFAAdapter

PERIOD = 30  # MFA_TOTP_PERIOD, allauth's default
DIGITS = 6


def new_secret() -> str:
    """A 160-bit secret in base32, as authenticator apps read it."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def activate(user, secret: str) -> Authenticator:
    """The authenticator a completed set-up leaves: the secret stored encrypted by Polku's adapter."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": MFAAdapter().encrypt(secret)}
    )


def activate_recovery_codes(user) -> Authenticator:
    """Recovery codes as a completed set-up leaves them (a seed the codes are derived from)."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": MFAAdapter().encrypt(secrets.token_hex(40)), "used_mask": 0},
    )


def code(secret: str, *, at: float | None = None, shift: int = 0) -> str:
    """The six digits the app shows at `at` (now), `shift` periods later or earlier."""
    counter = int((time.time() if at is None else at) // PERIOD) + shift
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def secret_on_page(html: str) -> str:
    """The secret the set-up page shows for typing in when the QR code cannot be scanned."""
    match = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html) or re.search(
        r'value="([A-Z2-7]+)"[^>]*id="authenticator_secret"', html
    )
    assert match, "the set-up page shows no secret"
    return match.group(1)
