"""What the caseload and the client overview pages show besides their selectors' objects: caseload
rows and sort headers, and a page of the timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.clients import extensions, selectors
from polku.clients.models import CaseStatus
from polku.core import dates

TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelinePage:
    """A page of the timeline with links to newer and older entries but no total: counting a long
    timeline under the consent rules would cost the overview as much as reading the page."""

    object_list: list[Any]
    number: int
    has_next: bool

    @staticmethod
    def number_of(page: str | None) -> int:
        return int(page) if page and page.isdigit() and 0 < int(page) < 100_000 else 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1


@dataclass(frozen=True)
class TimelineLine:
    """A timeline entry as the overview draws it: its time (ISO 8601 for `<time datetime>`, and in the
    reader's short date and time format), who wrote it, what happened and the free text."""

    at_iso: str
    at_text: str
    actor: str
    label: str
    text: str

    @staticmethod
    def all_of(items: list[Any]) -> list[TimelineLine]:
        """The lines of a page's entries (`timeline.Item`), as `{{ at|date:'c' }}` and
        `{{ at|date:"SHORT_DATETIME_FORMAT" }}` drew them (Django's "c" is `isoformat()`), the format read
        once for the page (`core.dates`): the template's two date filters and two reads of `actor` on 20
        entries cost the overview about 0.5 ms of CPU, Django's formatting of the times another 0.4 ms
        (bench/README.md)."""
        short = dates.formatter(get_format("SHORT_DATETIME_FORMAT"))
        lines = []
        for item in items:
            at = timezone.localtime(item.at)
            lines.append(TimelineLine(at.isoformat(), short(at), item.actor, item.label, item.text))
        return lines


@dataclass(frozen=True)
class CaseloadRow:
    """One caseload line: the client's details, the case's status in words, how long it has been in it,
    and the flags (its own and those other apps register)."""

    url: str
    name: str
    age: int
    municipality: str
    status: str
    in_status: str
    last_contact: date | None
    next_step_on: date | None
    next_step: str
    is_overdue: bool
    needs_interpreter: bool
    # What the flags column shows, in order: the caseload's own flags (overdue, interpreter) among those
    # other apps contribute (extensions.CaseloadFlag), as (label, is an alert) pairs.
    flags: tuple[tuple[str, bool], ...] = ()

    @classmethod
    def all_of(cls, cases: list[Any], *, flags: dict[int, list[Any]] | None = None) -> list[CaseloadRow]:
        flags = flags or {}
        # What every row shares is looked up once: labels, the date format, today.
        overdue = (extensions.OVERDUE_FLAG_ORDER, _("Overdue"), True)
        interpreter = (extensions.INTERPRETER_FLAG_ORDER, _("Interpreter"), False)
        no_contact = (extensions.NO_RECENT_CONTACT_FLAG_ORDER, _("No contact in 90 days"), True)
        statuses = dict(CaseStatus.choices)
        today, now = timezone.localdate(), timezone.now()
        # The overview's address reversed once, the client's public id put in its place on each row:
        # 25 reversals cost the caseload about 0.2 ms of CPU.
        before, after = reverse("clients:detail", args=[_ANY_ID]).split(str(_ANY_ID))
        return [
            cls(
                url=f"{before}{case.client.public_id}{after}",
                name=f"{case.client.last_name}, {case.client.first_names}",
                age=case.client.age_on(today),
                municipality=str(case.client.municipality),
                status=str(statuses.get(case.status, case.status)),
                in_status=_days(max((now - case.status_changed_at).days, 0)),
                last_contact=case.last_contact,
                next_step_on=case.next_step_on,
                next_step=case.next_step,
                is_overdue=case.is_overdue_on(today),
                needs_interpreter=case.client.needs_interpreter,
                flags=_in_order(
                    [(flag.order, str(flag.label), flag.alert) for flag in flags.get(case.pk, ())]
                    + ([overdue] if case.is_overdue_on(today) else [])
                    + (
                        [no_contact]
                        if selectors.has_no_recent_contact(case.last_contact, case.opened_on, today=today)
                        else []
                    )
                    + ([interpreter] if case.client.needs_interpreter else [])
                ),
            )
            for case in cases
        ]


_ANY_ID = uuid.UUID(int=0)


def _in_order(flags: list[tuple[int, str, bool]]) -> tuple[tuple[str, bool], ...]:
    return tuple((label, alert) for _order, label, alert in sorted(flags, key=lambda flag: flag[0]))


def _days(days: int) -> str:
    if days == 0:
        return _("less than a day")
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def sort_headers(filters: selectors.CaseloadFilters, sort: str) -> list[dict[str, str]]:
    """Each sortable column: its label, the link that sorts by it (the other way round when it is the
    current order) and the aria-sort state screen readers announce."""
    kept = [
        (key, value)
        for key, value in (
            ("q", filters.q),
            ("status", filters.status),
            ("municipality", filters.municipality),
            ("flag", filters.flag),
            ("age", filters.age),
            ("in_status", filters.in_status),
        )
        if value
    ]
    headers = []
    for key, label in (
        ("name", _("Client")),
        ("age", _("Age")),
        ("municipality", _("Municipality")),
        ("status", _("Status")),
        ("status_since", _("In status")),
        ("last_contact", _("Last contact")),
        ("next_step", _("Next step")),
    ):
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        headers.append(
            {
                "label": label,
                "href": "?" + urlencode([*kept, ("sort", f"-{key}" if sort == key else key)]),
                "aria_sort": state,
            }
        )
    return headers
