"""Failed passwords slow the guesser down without locking the account's owner out (README, "Failed
logins").

allauth's limit on one account ("5/15m/key") refused even the right password, from anywhere, for the
rest of its window: anyone who knew a staff member's email could keep them out by typing wrong
passwords. Here the account's failures (from any address) are only counted. Once they reach the limit,
each address that fails again for that account must wait before its next try, twice as long after each
of its failures (`POLKU_LOGIN_BACKOFF_SECONDS`, then double, up to the window). The owner at their own
address, which has not failed, goes straight on; the guesser's address waits minutes per guess, and
the per-address limit ("20/15m/ip": twenty failed passwords from one address, whatever the account)
still stops it altogether. Counters live in the cache, which must be shared by all server processes
(POLKU_REDIS_URL; a deploy check refuses otherwise).

Both limits are read from allauth's setting, ACCOUNT_RATE_LIMITS["login_failed"], which allauth's own
two-factor step applies to wrong codes. Polku counts the password failures itself with the cache's
public API (allauth's rate-limit helpers for this are internal and change between releases).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from polku import audit

PREFIX = "polku:login"


@dataclass(frozen=True)
class Rate:
    """One part of a limit as allauth's setting writes it: "5/15m/key" is 5 in 15 minutes per key."""

    amount: int
    duration: float  # seconds
    per: str  # "ip" or "key"


UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^(?P<amount>\d+)/(?P<count>\d*)(?P<unit>[smhd]?)(?:/(?P<per>ip|key|user))?$")


def parse_rates(text: str | None) -> list[Rate]:
    """`"20/15m/ip,5/15m/key"` as a list of rates; a part that does not parse stops the start-up's
    deploy check rather than silently allowing everything (ValueError)."""
    rates = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        match = RATE.match(part)
        if match is None:
            raise ValueError(f"Not a rate: {part!r} (expected e.g. 20/15m/ip)")
        count = int(match["count"] or 1)
        rates.append(Rate(int(match["amount"]), count * UNITS[match["unit"]], match["per"] or "ip"))
    return rates


def limit_rates() -> list[Rate]:
    return parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])


def address_rate() -> Rate | None:
    """The per-address part ("20/15m/ip"): failed passwords after which the address is refused."""
    return next((rate for rate in limit_rates() if rate.per == "ip"), None)


def account_rate() -> Rate | None:
    """The per-account part ("5/15m/key"): the failures after which addresses start to wait."""
    return next((rate for rate in limit_rates() if rate.per == "key"), None)


def address_refused(request: HttpRequest) -> bool:
    """True when this address has used up its failed passwords for the window (any accounts)."""
    rate = address_rate()
    if rate is None:
        return False
    return (cache.get(_key("address", client_address(request))) or 0) >= rate.amount


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
    address = client_address(request)
    per_address = address_rate()
    if per_address is not None:
        _increment(_key("address", address), per_address.duration)
    rate = account_rate()
    if rate is None:
        return
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
