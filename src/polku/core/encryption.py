"""Encryption with the keys of POLKU_IDENTITY_CODE_KEYS (MultiFernet: the first key encrypts, all
decrypt). Identity codes (`clients.identity`) and two-factor authentication secrets
(`accounts.adapter.MFAAdapter`) are stored with it and rotated together by `rotate_identity_keys`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...]) -> tuple[Fernet, MultiFernet]:
    """The encrypting key (the first) as its own Fernet, beside all keys for decrypting and rotating."""
    fernets = [Fernet(key) for key in keys]
    return fernets[0], MultiFernet(fernets)


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.IDENTITY_CODE_KEYS))[1]


def _encrypting_key() -> Fernet:
    return _fernet(tuple(settings.IDENTITY_CODE_KEYS))[0]


def encrypt(text: str) -> str:
    return _encrypting_key().encrypt(text.encode()).decode()


def encrypt_all(texts: Iterable[str], *, at: int) -> Iterator[str]:
    """Tokens of many texts with the current key and one timestamp (Unix seconds) for all, for bulk
    imports: the same tokens `encrypt` makes, without reading the clock once per text."""
    fernet = _encrypting_key()
    for text in texts:
        yield fernet.encrypt_at_time(text.encode(), at).decode()


def decrypt(token: str) -> str:
    return _keys().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same text encrypted with the newest key (for `manage.py rotate_identity_keys`)."""
    return _keys().rotate(token.encode()).decode()
