"""The one clock Polku's writes read (`now()`): the real time, except inside `happened_at(moment)`, where it
is the moment of a demo story. `seed_demo` tells months of client work in a few seconds, and what it
writes carries the dates of the story (a plan agreed five weeks ago shows that date), not the seeding
time.

Everything that stamps a time on a write reads this clock: the services (an assessment's `concluded_at`,
a plan version's `agreed_at`, a referral's `accepted_at`, a consent's `revoked_at`, a case's status
changes), the defaults of the time fields that say when a row was written (timeline entries, history
rows, sent and submitted times: `default=story_time.now`), `created_at` and `updated_at` of every record
(`core.models.ClockedDateTimeField`) and the audit log (its events' keyed hash covers the time, so they are
stamped as written and never moved). Nothing is moved afterwards. Only the demo seeders open a
`happened_at` block; outside one, `now()` is `timezone.now()`. What the clock does not stamp: reading
(a referral is overdue by the real time), the registry import's own progress, and the figures' refresh
times."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("polku_story_moment", default=None)


def now() -> datetime:
    """The story's moment inside `happened_at`, else the real time."""
    return _moment.get() or timezone.now()


@contextmanager
def happened_at(moment: datetime) -> Iterator[None]:
    """What the services write inside the block happened at `moment` (see the module's docstring)."""
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)


def on_day(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of the story: the time on the day, in Polku's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def earlier_today(hour: int = 9) -> datetime:
    """A moment of today's part of a story: at `hour`, or, before that hour, a quarter of an hour ago
    (never before midnight), so that today's events of a story are not in the future."""
    real = timezone.now()
    midnight = on_day(timezone.localdate(), 0)
    return max(midnight, min(on_day(timezone.localdate(), hour), real - timedelta(minutes=15)))
