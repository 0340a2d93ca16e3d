"""`{{ service.url|web_url }}`: the address if it is http(s), otherwise "" (see polku.core.links)."""

from typing import Any

from django import template

from polku.core.links import is_web_url

register = template.Library()


@register.filter
def web_url(value: Any) -> str:
    return value if is_web_url(value) else ""
