"""`{{ case|choice_label:"status" }}`: what `case.get_status_display` gives, without its cost.

Django's `get_<field>_display()` builds a dictionary of the field's choices on every call, hashing each
lazily translated label, which translates it: about 0.1 ms of CPU for a field of a dozen choices, and
the client overview called it a dozen times (bench/README.md). The choices are the code's, so their
dictionary (value → lazy label) is built once per field and process; the label is still translated
when shown, in the reader's language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.db.models import Field, Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

register = template.Library()


@cache
def _labels(field: Field[Any, Any]) -> dict[Any, Any]:
    return {make_hashable(value): label for value, label in field.flatchoices}


@register.filter
def choice_label(instance: Model, field_name: str) -> Any:
    """The label of the instance's value of `field_name` among the field's choices, else the value
    itself, as `get_<field_name>_display()` returns them."""
    field = instance._meta.get_field(field_name)
    if not isinstance(field, Field):
        raise TypeError(f"{field_name} is not a field with choices")
    value = getattr(instance, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
