"""What the busiest client pages show, made in Python rather than in the template language, which
costs more per value (bench/README.md): caseload rows and sort headers, and a timeline page with
its entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from polku.clients import extensions, selectors
from polku.clients.models import CaseStatus
from polku.core.templatetags.polku_text import folded_text

TIMELINE_PAGE_SIZE = 20

# A UUID no object has, replaced in a reversed URL by each object's public id: one `reverse` per link
# name and process instead of one per link.
_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[_PLACEHOLDER])


def url_of(name: str, public_id: Any) -> str:
    """`reverse(name, args=[public_id])` for the one-UUID URLs of the clients app."""
    return _pattern(name, get_script_prefix()).replace(_PLACEHOLDER, str(public_id))


def _forget_caches(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _pattern.cache_clear()
    _formatter.cache_clear()  # formats follow the language and format settings


setting_changed.connect(_forget_caches)


def date_formatter(name: str) -> Callable[[Any], str]:
    """`date_format(value, name)` for many dates: Django looks the format up in the active language and
    parses it again for every value (half of the caseload rows' time went there); this does both once
    per process and language."""
    return _formatter(name, get_language())


@lru_cache(maxsize=32)
def _formatter(name: str, language: str | None) -> Callable[[Any], str]:
    parts = [
        (True, piece) if i % 2 else (False, re_escaped.sub(r"\1", piece))
        for i, piece in enumerate(re_formatchars.split(str(get_format(name))))
        if piece
    ]

    def format_value(value: Any) -> str:
        formatter = DateFormat(value)
        return "".join(str(getattr(formatter, piece)()) if code else piece for code, piece in parts)

    return format_value


def short_date(value: Any) -> str:
    """`date_format(value, "SHORT_DATE_FORMAT")` through the formatter above (1 µs a date against
    10 µs): for pages that format a handful of dates in different places."""
    return date_formatter("SHORT_DATE_FORMAT")(value)


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
class CaseloadRow:
    """One caseload line with its texts made here: the table is the busiest page, and the template
    language costs more per value than Python does (bench/README.md)."""

    url: str
    name: str
    age: int
    municipality: str
    status: str
    in_status: str
    last_contact: str
    next_step_on: str
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
        statuses = dict(CaseStatus.choices)
        today, now = timezone.localdate(), timezone.now()
        row_date = date_formatter("SHORT_DATE_FORMAT")
        return [
            cls(
                url=url_of("clients:detail", case.client.public_id),
                name=f"{case.client.last_name}, {case.client.first_names}",
                age=case.client.age_on(today),
                municipality=str(case.client.municipality),
                status=str(statuses.get(case.status, case.status)),
                in_status=_days(max((now - case.status_changed_at).days, 0)),
                last_contact=row_date(case.last_contact) if case.last_contact else "",
                next_step_on=row_date(case.next_step_on) if case.next_step_on else "",
                next_step=case.next_step,
                is_overdue=case.is_overdue_on(today),
                needs_interpreter=case.client.needs_interpreter,
                flags=_in_order(
                    [(flag.order, str(flag.label), flag.alert) for flag in flags.get(case.pk, ())]
                    + ([overdue] if case.is_overdue_on(today) else [])
                    + ([interpreter] if case.client.needs_interpreter else [])
                ),
            )
            for case in cases
        ]


def _in_order(flags: list[tuple[int, str, bool]]) -> tuple[tuple[str, bool], ...]:
    return tuple((label, alert) for _order, label, alert in sorted(flags, key=lambda flag: flag[0]))


def caseload_rows_html(rows: list[CaseloadRow]) -> SafeString:
    """The caseload table's body: 25 rows of a dozen values each cost the template language more than
    the rest of the page together, so the rows are written here (every value escaped by format_html)."""
    none_yet, not_planned = _("None yet"), _("Not planned")
    lines = []
    for row in rows:
        lines.append(
            format_html(
                '<tr><th scope="row"><a class="hds-link" href="{}">{}</a></th><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                '<td><ul class="polku-flags">{}</ul></td></tr>',
                row.url,
                row.name,
                row.age,
                row.municipality,
                row.status,
                row.in_status,
                row.last_contact or format_html('<span class="polku-muted">{}</span>', none_yet),
                format_html("{} {}", row.next_step_on, row.next_step)
                if row.next_step_on
                else format_html('<span class="polku-muted">{}</span>', not_planned),
                format_html_join(
                    "",
                    '<li class="polku-flag{}">{}</li>',
                    ((" polku-flag--alert" if alert else "", label) for label, alert in row.flags),
                ),
            )
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part above went through format_html


def timeline_html(items: list[Any]) -> SafeString:
    """The timeline page's entries (`timeline.Item`), written here for the reason the caseload rows are."""
    lines = []
    short_datetime = date_formatter("SHORT_DATETIME_FORMAT")
    for item in items:
        at = timezone.localtime(item.at)
        lines.append(
            format_html(
                '<li class="polku-timeline__entry">'
                '<p class="polku-timeline__meta"><time datetime="{}">{}</time> · {}{}</p>'
                '<p class="polku-timeline__label">{}</p>{}</li>',
                at.isoformat(),
                short_datetime(at),
                item.actor_name,
                format_html(", {}", item.organisation_name) if item.organisation_name else "",
                item.label,
                folded_text(item.text) if item.text else "",
            )
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every part above went through format_html


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
