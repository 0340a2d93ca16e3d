"""The page layout's parts that depend on the viewer's role: the main navigation and the role's name.

Like `core.templatetags.polku_layout`, each navigation is rendered once per process for each role,
language and script prefix, and reused (bench/README.md); roles are this app's, so the tags live here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from polku.accounts.models import CLIENT_WORK_ROLES, Role

register = template.Library()


@lru_cache(maxsize=64)
def _main_nav(role: str, language: str | None, prefix: str) -> SafeString:
    return render_to_string("includes/main_nav.html", {"role": role, "client_roles": CLIENT_WORK_ROLES})


@register.simple_tag
def main_nav(role: str) -> SafeString:
    """The main navigation for a role in the active language."""
    return _main_nav(role, get_language(), get_script_prefix())


@register.simple_tag
def role_label(role: str) -> str:
    """The role's name in the active language (`get_role_display` builds the choice list each time)."""
    return str(_ROLE_LABELS.get(role, role))


_ROLE_LABELS: dict[str, Any] = dict(Role.choices)


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "ROOT_URLCONF", "LANGUAGES", "TEMPLATES"}:
        _main_nav.cache_clear()


setting_changed.connect(_forget)
