from collections.abc import Iterable
from typing import Any

from django import template
from django.forms import BoundField
from django.forms.boundfield import BoundWidget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hds_widget(field: BoundField) -> SafeString:
    """The field's widget with the HDS input class, its error text tied to it for screen readers."""
    attrs: dict[str, str | bool] = {}
    input_type = getattr(field.field.widget, "input_type", "")
    if input_type == "checkbox":
        attrs["class"] = "hds-checkbox__input"
    elif input_type != "radio":
        attrs["class"] = "hds-text-input__input"
    # What the form itself ties to the field (a search's status line) comes first.
    described_by = (
        [str(field.field.widget.attrs["aria-describedby"])]
        if "aria-describedby" in field.field.widget.attrs
        else []
    )
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def hds_choice(choice: BoundWidget) -> SafeString:
    """One radio button or checkbox of a multiple-choice field, with the HDS input class."""
    kind = "radio-button" if choice.data.get("type") == "radio" else "checkbox"
    choice.data["attrs"] = {**choice.data["attrs"], "class": f"hds-{kind}__input"}
    return choice.tag()


@register.simple_tag
def filter_select(name: str, label: str, choices: Iterable[Any], current: str) -> SafeString:
    """One select of a list page's filters (the caseload, the service catalogue): "All" first, then the
    choices, each a (value, label) pair or a code list entry (`code`, shown as itself); `current` is
    selected. Written here once, and in Python, since the caseload renders five of them per view."""
    pairs = ((item if isinstance(item, (tuple, list)) else (item.code, str(item))) for item in choices)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == str(current) else "", text) for value, text in pairs),
    )
    return format_html(
        '<div class="hds-text-input polku-field">'
        '<label class="hds-text-input__label" for="{}">{}</label>'
        '<div class="hds-text-input__input-wrapper"><select class="hds-text-input__input" id="{}" name="{}">'
        '<option value="">{}</option>{}</select></div></div>',
        name,
        label,
        name,
        name,
        _("All"),
        options,
    )
