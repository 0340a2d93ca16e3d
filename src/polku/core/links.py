"""Web addresses the catalogue stores and renders: only http and https.

A stored `javascript:` or `data:` address rendered as a link runs in the reader's session when clicked,
so addresses are checked where they come in (HSDS import, admin forms) with `web_url_validator`, and a
template renders a stored address as a link only through the `web_url` filter (`polku_links`), which
drops any other scheme (a row written before the check, or by another path, still renders as text).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ["http", "https"]

web_url_validator = URLValidator(
    schemes=WEB_SCHEMES, message=_("Enter a web address that starts with http:// or https://.")
)


def is_web_url(value: Any) -> bool:
    """Whether the value is an http or https address (and nothing a browser would run)."""
    if not isinstance(value, str) or not value:
        return False
    try:
        web_url_validator(value)
    except ValidationError:
        return False
    return True
