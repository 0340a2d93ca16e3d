"""The answer form, built from a version's items: one field per item, named by its link id."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.core import limits
from polku.instruments.models import InstrumentVersion, Item, ItemKind, translated

PREFIX = "item_"


def field_name(item: Item) -> str:
    return f"{PREFIX}{item.link_id}"


def _field(item: Item) -> forms.Field:
    label = translated(item.text)
    help_text = translated(item.help_text)
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    if item.kind == ItemKind.CHOICE:
        choices = [(o.code, translated(o.text)) for o in item.options.all()]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.kind == ItemKind.SCALE:
        low, high = item.min_value or 0, item.max_value or 0
        lower, upper = translated(item.lower_label), translated(item.upper_label)
        if lower or upper:
            # The ends' meaning is said once, above the numbers (the fieldset's description).
            ends = f"{low} = {lower}, {high} = {upper}"
            common["help_text"] = f"{ends}. {help_text}" if help_text else ends
        choices = [(str(value), str(value)) for value in range(low, high + 1)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.kind == ItemKind.INTEGER:
        return forms.IntegerField(min_value=item.min_value, max_value=item.max_value, **common)
    if item.kind == ItemKind.BOOLEAN:
        return forms.ChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common
        )
    return limits.BoundedCharField(max_length=limits.LIST, widget=forms.Textarea(attrs={"rows": 3}), **common)


class AnswerForm(forms.Form):
    """Every field is optional here, so that a draft can be saved with some answers; the service enforces
    required items when the response is completed and its messages are put on the fields."""

    def __init__(
        self, *args: Any, version: InstrumentVersion, answers: dict[str, Any] | None = None, **kwargs: Any
    ):
        initial = {}
        for link_id, value in (answers or {}).items():
            initial[f"{PREFIX}{link_id}"] = "yes" if value is True else "no" if value is False else value
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.version = version
        self.items = list(version.items.all())
        for item in self.items:
            self.fields[field_name(item)] = _field(item)
            self.fields[field_name(item)].item = item  # type: ignore[attr-defined]
            self.fields[field_name(item)].is_scale = item.kind == ItemKind.SCALE  # type: ignore[attr-defined]

    def answers(self) -> dict[str, Any]:
        """The cleaned answers keyed by link id (unanswered ones left out)."""
        answers = {}
        for item in self.items:
            value = self.cleaned_data.get(field_name(item))
            if value not in (None, ""):
                answers[item.link_id] = value
        return answers

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        for link_id, messages in errors.items():
            name = f"{PREFIX}{link_id}"
            self.add_error(name if name in self.fields else None, messages)


class AcknowledgeForm(forms.Form):
    note = limits.BoundedCharField(
        label=_("What was done"),
        max_length=limits.SHORT_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: talked with the client, same-day appointment booked at the health centre."),
    )
