"""The demo's clock: `seed_demo` tells months of client work in a few seconds, and what it writes should
carry the dates of the story (a plan agreed five weeks ago shows that date), not the seeding time.

Inside `happened_at(moment)`, the audit log stamps its events with `moment` as it writes them (their
keyed hash covers the time, so they cannot be moved afterwards), and on leaving the block every row the
block added to Polku's tables gets `moment` in its timestamp fields that default to "now" (timeline
entries, history rows, sent and submitted times). Only the demo seeders use it; outside the block
nothing changes, and `now()` is `timezone.now()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.apps import apps
from django.db import models
from django.db.models import Max
from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("polku_story_moment", default=None)

# The audit log's tables are append-only and hashed: their rows are stamped when written, never moved.
UNMOVED_APPS = {"audit"}
# A case's status follows the work of every app, whose demo stories are told one app after another: the
# status changes they cause keep the order they were made in (the last one is the case's status).
UNMOVED_MODELS = {"clients.casestatuschange"}


def now() -> datetime:
    """The story's moment inside `happened_at`, else the real time."""
    return _moment.get() or timezone.now()


def _stamped_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField) and field.default is timezone.now
    ]


def _moved_models() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("polku.") or config.label in UNMOVED_APPS:
            continue
        for model in config.get_models():
            if model._meta.label_lower in UNMOVED_MODELS:
                continue
            fields = _stamped_fields(model)
            if fields and model._meta.pk is not None and isinstance(model._meta.pk, models.AutoField):
                found.append((model, fields))
    return found


@contextmanager
def happened_at(moment: datetime, *, move_rows: bool = True) -> Iterator[None]:
    """What the services write inside the block happened at `moment` (see the module's docstring).
    `move_rows=False`: only the audit events; the caller dates its rows itself (`clients.demo_story`)."""
    moved = _moved_models() if move_rows else []
    before = {
        model: model._default_manager.aggregate(last=Max("pk"))["last"] or 0 for model, _fields in moved
    }
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
    for model, fields in moved:
        model._default_manager.filter(pk__gt=before[model]).update(**dict.fromkeys(fields, moment))


def on_day(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of the story: the time on the day, in Polku's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())
