"""How long each kind of free text may be: one list, read by the models, the forms and the docs.

A limit is chosen by what the text is for, so that a page, a PDF and a review stay readable and one
paste cannot grow a record to megabytes. Text over a limit is refused with its length and the limit
("Teksti on liian pitkä: 27 600 merkkiä, enintään 20 000"), never cut: the form says so, and a save
from anywhere else (a service, the API, an import) is refused by `refuse_overlong_text` before it
reaches the database. The app READMEs and the top README list the same figures.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# A person's or an organisation's name, a title, a short label on one line.
NAME = 200
# One line that says what happens next or who takes part ("next step", a responsibility).
LINE = 300
# A short reason or note on one decision (a dismissal, a revocation, an acknowledged alert).
SHORT_NOTE = 500
# One GAS level of a goal: a concrete, observable description, read aloud in a review.
GAS_LEVEL = 500
# A goal in the client's own words, a placement goal, an action of the plan.
GOAL = 1_000
# What a host writes on the public feedback form reached by an emailed link: the tightest, since
# anyone holding the link can post it.
PUBLIC_FEEDBACK = 2_000
# A list written as text: the participants of a meeting, a free-text answer to a questionnaire item.
LIST = 2_000
# A reason or note that explains one decision or change (a status change, an interruption, a
# dismissed need, opening a client's data in an emergency).
REASON = 2_000
# What a referral tells the receiving provider: its reason and what the client agreed to share.
REFERRAL = 4_000
# The plan's summary of the client's situation, a placement's tasks, a service's description.
SUMMARY = 5_000
# A worker's note of a contact, an assessment's findings and discussion: the longest text a person
# writes in one go. A longer record belongs in several notes or an attachment.
NOTE = 20_000
# A licence or source text copied into an instrument definition by an administrator.
REFERENCE = 20_000

LIMITS: dict[str, int] = {
    "NAME": NAME,
    "LINE": LINE,
    "SHORT_NOTE": SHORT_NOTE,
    "GAS_LEVEL": GAS_LEVEL,
    "GOAL": GOAL,
    "PUBLIC_FEEDBACK": PUBLIC_FEEDBACK,
    "LIST": LIST,
    "REASON": REASON,
    "REFERRAL": REFERRAL,
    "SUMMARY": SUMMARY,
    "NOTE": NOTE,
    "REFERENCE": REFERENCE,
}


def too_long_message(count: int, limit: int) -> str:
    """The refusal, with both counts grouped as the reader's language writes numbers."""
    return _("The text is too long: %(count)s characters, at most %(limit)s.") % {
        "count": number_format(count, force_grouping=True),
        "limit": number_format(limit, force_grouping=True),
    }


@deconstructible(path="polku.core.limits.TextLengthValidator")
class TextLengthValidator(MaxLengthValidator):
    """Django's MaxLengthValidator with a message that gives both counts in the reader's format."""

    def __call__(self, value: Any) -> None:
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        count = len(value)
        if count > limit:
            raise ValidationError(too_long_message(count, limit), code="max_length")


def text(verbose_name: Any, limit: int, **kwargs: Any) -> models.TextField[Any, Any]:
    """A model TextField bounded to `limit` characters: the form field gets `maxlength`, and
    `full_clean` and every save refuse longer text."""
    return models.TextField(verbose_name, max_length=limit, validators=[TextLengthValidator(limit)], **kwargs)


class BoundedCharField(forms.CharField):
    """A form CharField whose length refusal gives both counts in the reader's language, instead of
    Django's generic message."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            TextLengthValidator(max_length) if isinstance(v, MaxLengthValidator) else v
            for v in self.validators
        ]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        """`maxlength` (Django's), and for a textarea the words the counter in polku.js announces near
        and over the limit, in the page's language."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea):
            attrs["data-polku-left"] = _("Characters left: %(count)s")
            attrs["data-polku-over"] = _("Characters too many: %(count)s")
        return attrs


def text_field(limit: int, *, rows: int = 4, **kwargs: Any) -> BoundedCharField:
    """A textarea of a form, bounded to `limit` characters (the counter in polku.js reads its
    `maxlength`)."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    return BoundedCharField(max_length=limit, **kwargs)


def refuse_overlong_text(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """pre_save: refuse a text longer than its field allows, whoever saves it.

    Forms refuse first, with the message next to the field; this is the backstop for services
    called from the API, imports and commands, and for SQLite, which does not enforce varchar
    lengths. Fixture loading (`raw`) is left alone, and a save of some fields checks only those, so
    that a row stored before a limit existed can still change, say, its status."""
    if raw:
        return
    errors = {}
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or not field.max_length:
            continue
        if update_fields is not None and field.name not in update_fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            errors[field.name] = [too_long_message(len(value), field.max_length)]
    if errors:
        raise ValidationError(errors)
