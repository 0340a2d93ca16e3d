"""Failed passwords slow the guesser down without locking the account's owner out (README, "Failed
logins").

allauth's limit on one account ("5/15m/key") refused even the right password, from anywhere, for the
rest of its window: anyone who knew a staff member's email could keep them out by typing wrong
passwords. Here the account's failures (from any address) are only counted. Once they reach the limit,
each address that fails again for that account must wait before its next try, twice as long after each
of its failures (`POLKU_LOGIN_BACKOFF_SECONDS`, then double, up to the window). The owner at their own
address, which has not failed, goes straight on; the guesser's address waits minutes per guess, and
the per-address limit (allauth, "20/15m/ip") still stops it altogether. Counters live in the cache,
which must be shared by all server processes (POLKU_REDIS_URL; a deploy check refuses otherwise).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import Rate, parse_rates
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from polku import audit

PREFIX = "polku:login"


def limit_rates() -> list[Rate]:
    return parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])


def address_limit() -> str:
    """The per-address part of the failed-login limit, as written in the setting (allauth's cache key
    is made from its parsed form, so the two-factor step's failures count against the same figure)."""
    parts = [part.strip() for part in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")]
    return ",".join(part for part in parts if part and parse_rates(part)[0].per == "ip")


def account_rate() -> Rate | None:
    """The per-account part ("5/15m/key"): the failures after which addresses start to wait."""
    return next((rate for rate in limit_rates() if rate.per == "key"), None)


def client_address(request: HttpRequest) -> str:
    """The address allauth's limits count (behind POLKU_TRUSTED_PROXY_COUNT proxies), an IPv6 address
    cut to its network, as allauth does: one machine easily has a whole /64."""
    address = get_adapter().get_client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.IPv6Network(f"{parsed}/{prefix}", strict=False).network_address)
    return address


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{PREFIX}:{kind}:{digest}"


def _increment(key: str, timeout: float) -> int:
    """Count one more in a window that starts at the first count (atomic in Redis and in locmem)."""
    cache.add(key, 0, timeout=math.ceil(timeout))
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between the two calls
        cache.set(key, 1, timeout=math.ceil(timeout))
        return 1


def refuse_if_waiting(request: HttpRequest, *, login: str) -> None:
    """Raise the form error that tells the user to wait, if this address must still wait before trying
    this account again. The password is not checked then, so a waiting guesser learns nothing."""
    until = cache.get(_key("wait", login, client_address(request)))
    if until is None:
        return
    seconds = math.ceil(until - time.time())
    if seconds <= 0:
        return
    audit.record(None, "auth.login_throttled", details={"email": login[:254], "wait_seconds": seconds})
    raise ValidationError(wait_message(seconds), code="login_throttled")


def wait_message(seconds: int) -> str:
    if seconds < 60:
        return ngettext(
            "Too many failed logins to this account from here. Try again in %(count)d second.",
            "Too many failed logins to this account from here. Try again in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many failed logins to this account from here. Try again in %(count)d minute.",
        "Too many failed logins to this account from here. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


def record_failure(request: HttpRequest, *, login: str) -> None:
    """Count a wrong password for the account and for the account from this address; past the
    account's limit, make this address wait before its next try."""
    rate = account_rate()
    if rate is None:
        return
    address = client_address(request)
    failures = _increment(_key("account", login), rate.duration)
    from_here = _increment(_key("pair", login, address), rate.duration)
    if failures < rate.amount:
        return
    wait = min(settings.LOGIN_BACKOFF_SECONDS * 2 ** (from_here - 1), rate.duration)
    cache.set(_key("wait", login, address), time.time() + wait, timeout=math.ceil(wait))


def record_success(request: HttpRequest, *, login: str) -> None:
    """The right password from this address: its own failures are forgiven (the account's count stays,
    so a guesser elsewhere gains nothing)."""
    address = client_address(request)
    cache.delete_many([_key("pair", login, address), _key("wait", login, address)])
