"""Links on pages.

`{{ service.url|web_url }}`: the address if it is http(s), otherwise "" (see polku.core.links).

`{% page_url 'clients:edit' client.public_id %}`: what `{% url %}` gives for a page addressed by one
public id (a UUID), or by none. Reversing a URL walks the URL configuration; the client overview drew
about 25 of them a request, about 0.5 ms of its CPU (bench/README.md). The address with a placeholder
id depends only on the URL configuration, the script prefix and (with `i18n_patterns`) the language, so it
is reversed once per process for each of them and the id put in the placeholder's place; any other
argument goes through `reverse`. Every app's URL namespace here is included once, so the current app
`{% url %}` passes to `reverse` changes nothing.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from polku.core.links import is_web_url

register = template.Library()

_ANY_ID = uuid.UUID(int=0)


@register.filter
def web_url(value: Any) -> str:
    return value if is_web_url(value) else ""


@lru_cache(maxsize=256)
def _around_id(name: str, with_id: bool, prefix: str, urlconf: Any, language: str | None) -> tuple[str, str]:
    if not with_id:
        return reverse(name, urlconf=urlconf), ""
    before, after = reverse(name, args=[_ANY_ID], urlconf=urlconf).split(str(_ANY_ID))
    return before, after


@register.simple_tag
def page_url(name: str, public_id: uuid.UUID | None = None) -> str:
    """The page's address, as `{% url name public_id %}` (or `{% url name %}`) reverses it."""
    if public_id is not None and not isinstance(public_id, uuid.UUID):
        return reverse(name, args=[public_id])
    before, after = _around_id(
        name, public_id is not None, get_script_prefix(), get_urlconf(), get_language()
    )
    return before if public_id is None else f"{before}{public_id}{after}"


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _around_id.cache_clear()


setting_changed.connect(_forget)
