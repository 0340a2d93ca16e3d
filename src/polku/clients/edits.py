"""Edits of shared records that lose nothing (issue 21): optimistic concurrency and idempotent creates.

## A stale edit is refused, with both texts shown

An edit form carries the version of the record it was opened on, in the hidden field
`expected_version` (`carry_version(form, obj)`): the record's `updated_at`, which Django sets on every
`save()`, written as UTC ISO text. The field's name is the service's keyword argument, so views that
pass `**form.cleaned_data` pass it on. The service locks the row and calls `check_version(...)`: when
the stored version differs, it raises `StaleEdit` (a `ValidationError`) naming who changed the record
and when, taken from the audit log's latest write of it. `clients.forms.apply_service_errors` shows it
on every form page (`show_conflict`): the user's own input stays in the form, the saved values that
differ from it are listed beside it (`form.conflict`, drawn by `clients/_form_errors.html`), and the
hidden version becomes the current one, so saving again is a deliberate choice over the other's text.
A service called without `expected_version` (the API, imports, the demo) does not check.

A write that changes a row with `QuerySet.update()` or `save(update_fields=[...])` without
`updated_at` does not move the version: services list `updated_at` in `update_fields` (STYLE.md).

## A form sent twice creates one record

A creating form carries a random key in the hidden field `idempotency_key` (`carry_submission_key`).
The service asks `earlier_submission(key, Model)` first: when the key has created a record, that record
is returned and nothing is written; otherwise it creates the record and `remember_submission(key, obj)`
stores the key in `SubmittedForm` (unique), in the same transaction. Of two concurrent POSTs the second
waits on the unique index and is refused ("already sent") instead of writing a duplicate.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.audit.models import AuditEvent
from polku.core.models import SubmittedForm

__all__ = [
    "KEY_FIELD",
    "VERSION_FIELD",
    "StaleEdit",
    "carry_submission_key",
    "carry_version",
    "changed_at_text",
    "check_version",
    "earlier_submission",
    "remember_submission",
    "replace_posted",
    "show_conflict",
    "version_of",
]

VERSION_FIELD = "expected_version"
KEY_FIELD = "idempotency_key"
M = TypeVar("M", bound=models.Model)
F = TypeVar("F", bound=forms.Form)


def version_of(obj: Any) -> str:
    """The record's version as the form carries it."""
    updated_at = getattr(obj, "updated_at", None)
    return updated_at.astimezone(UTC).isoformat() if isinstance(updated_at, datetime) else ""


def carry_version(form: F, obj: Any) -> F:
    """Add the hidden version field to an edit form of `obj` (no field for a form that creates)."""
    if obj is not None:
        form.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=version_of(obj)
        )
    return form


def changed_at_text(at: datetime) -> str:
    """ "14.32" today, "3.12.2026 14.32" on another day, in local time."""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H.i")
    return formats.date_format(local, "j.n.Y H.i")


class StaleEdit(ValidationError):
    """The record changed after the form was opened. `current` is the record as saved now."""

    def __init__(self, message: str, *, current: Any) -> None:
        super().__init__(message, code="stale")
        self.current = current


def _changed_by(obj: Any, actions: tuple[str, ...], client: Any) -> str:
    if client is not None:
        # The record's version moves with its parts (an assessment with its findings): the latest of
        # those writes on the client's records, by the audit log's client index.
        where: dict[str, Any] = {"client_id": client.public_id}
    else:
        public_id = getattr(obj, "public_id", None)
        where = {
            "object_type": obj._meta.label_lower,
            "object_id": str(public_id if public_id is not None else obj.pk),
        }
    event = (
        AuditEvent.objects.filter(**where, action__in=actions, actor__isnull=False)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return str(event.actor) if event and event.actor else _("Someone")


def check_version(
    obj: M, expected: str | None, *, message: str, actions: tuple[str, ...], client: Any = None
) -> M:
    """The record locked for writing, refused with `StaleEdit` when it is no longer the version the
    form was opened on. `message` has `%(who)s` and `%(time)s`; `actions` are the audited writes of the
    record, where the name of who changed it is read (with `client`: the latest of those actions on
    any record of the client, for a version that its parts move). No `expected`: no check."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]
    if not expected or version_of(current) == expected:
        return current
    who = _changed_by(current, actions, client)
    raise StaleEdit(message % {"who": who, "time": changed_at_text(current.updated_at)}, current=current)


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return "–"
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in _flat(choices)}
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(_flat(label))
        else:
            flat.append((key, label))
    return flat


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return getattr(value, "public_id", value.pk)
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if value is None:
        return ""
    return str(value) if not isinstance(value, str) else value


def show_conflict(form: forms.Form, error: StaleEdit) -> None:
    """Keep the user's input, list the saved values that differ from it (`form.conflict`: label,
    saved, yours) and carry the current version, so that saving again overwrites knowingly."""
    current = error.current
    cleaned = getattr(form, "cleaned_data", {}) or {}
    rows = []
    # A form whose fields are named otherwise than the record's says so in `record_fields`.
    attributes = getattr(form, "record_fields", {})
    for name, field in form.fields.items():
        attribute = attributes.get(name, name)
        if name in (VERSION_FIELD, KEY_FIELD) or field.widget.is_hidden or not hasattr(current, attribute):
            continue
        theirs, yours = getattr(current, attribute), cleaned.get(name, form.data.get(name))
        if isinstance(field, forms.ChoiceField) and isinstance(theirs, models.Model):
            theirs = getattr(theirs, "public_id", theirs.pk)
        if _comparable(theirs) != _comparable(yours):
            rows.append({"label": field.label, "saved": _shown(field, theirs), "yours": _shown(field, yours)})
    form.conflict = rows  # type: ignore[attr-defined]
    replace_posted(form, VERSION_FIELD, version_of(current))


def replace_posted(form: forms.Form, name: str, value: str) -> None:
    """Show a bound form again with one hidden value replaced (the posted data itself is immutable)."""
    posted: Any = form.data
    data = posted.copy()
    data[name] = value
    form.data = data


def carry_submission_key(form: F) -> F:
    """Add the hidden idempotency key to a form that creates a record; a bound form keeps its own."""
    form.fields[KEY_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=secrets.token_urlsafe(24)
    )
    return form


def earlier_submission(key: str | None, model: type[M]) -> M | None:
    """The record this form's key already created, or None."""
    if not key:
        return None
    earlier = SubmittedForm.objects.filter(key=key, object_type=model._meta.label_lower).first()
    if earlier is None:
        return None
    return model.objects.filter(pk=earlier.object_id).first()  # type: ignore[attr-defined]


def remember_submission(key: str | None, obj: models.Model) -> None:
    """Store the key with the record it created; refused if a concurrent POST of it got there first."""
    if not key:
        return
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(key=key, object_type=obj._meta.label_lower, object_id=obj.pk)
    except IntegrityError as error:
        raise ValidationError(_("This form was already sent; the first one was saved.")) from error
