"""Deploy checks (`manage.py check --deploy`) for what login security needs from the configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

# Caches that live inside one process, or store nothing: with them every process counts failed logins
# on its own (three processes let 15 wrong passwords through per account where 5 were meant).
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def shared_cache_for_several_workers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or settings.WEB_WORKERS <= 1 or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"POLKU_WEB_WORKERS is {settings.WEB_WORKERS} but the cache is local to each process, so "
            "each would count failed logins on its own.",
            hint="Set POLKU_REDIS_URL (e.g. redis://127.0.0.1:6379/0), or run one web process "
            "(POLKU_WEB_WORKERS=1).",
            id="polku.E001",
        )
    ]


def host_prefixed_cookies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A `__Host-` cookie that is not Secure, has a Domain or a narrower path is dropped by browsers:
    nobody could log in."""
    errors: list[CheckMessage] = []
    for kind in ("SESSION", "CSRF"):
        name = getattr(settings, f"{kind}_COOKIE_NAME")
        if not name.startswith("__Host-"):
            continue
        secure = getattr(settings, f"{kind}_COOKIE_SECURE")
        domain = getattr(settings, f"{kind}_COOKIE_DOMAIN")
        path = getattr(settings, f"{kind}_COOKIE_PATH")
        if not secure or domain or path != "/":
            errors.append(
                Error(
                    f"{kind}_COOKIE_NAME {name} needs {kind}_COOKIE_SECURE on, no {kind}_COOKIE_DOMAIN and "
                    f"{kind}_COOKIE_PATH '/'; browsers refuse the cookie otherwise.",
                    id="polku.E002",
                )
            )
    return errors
