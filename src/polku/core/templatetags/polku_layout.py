"""The page layout's parts that are the same for every request of one language and role.

base.html wraps every page. Its header drew seven static URLs through the manifest, six reversed links
and a loop of language look-ups for each request: about a twentieth of a client overview's time
(bench/README.md). What these produce depends only on the deployment (static manifest, URL
configuration) and the active language, so each is made once per process for each
combination and reused; anything that varies per request (the CSRF token, the user's name, the path)
stays in the template. The parts that depend on the viewer's role are accounts' (`polku_roles`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=128)
def _asset(path: str) -> str:
    return staticfiles_storage.url(path)


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`, looked up in the manifest once per process."""
    return _asset(path)


@lru_cache(maxsize=16)
def _language_choices(language: str | None) -> SafeString:
    return render_to_string("includes/language_choices.html", {"current": language})


@register.simple_tag
def language_choices() -> SafeString:
    """The language switch's buttons, the active language marked."""
    return _language_choices(get_language())


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "ROOT_URLCONF", "LANGUAGES", "TEMPLATES"}:
        _asset.cache_clear()
        _language_choices.cache_clear()


setting_changed.connect(_forget)
