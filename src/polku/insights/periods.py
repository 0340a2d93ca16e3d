"""The period a figure covers (month, quarter, year or custom) and the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = [
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
    ("year", gettext_lazy("Year")),
    ("custom", gettext_lazy("Custom")),
]


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.month}/{self.start.year}"
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def previous(self) -> Period:
        if self.kind == "month":
            end = self.start - timedelta(days=1)
            return month(end.year, end.month)
        if self.kind == "quarter":
            end = self.start - timedelta(days=1)
            return quarter(end.year, (end.month - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.is_whole_months:
            # Whole months: as many months before (January 2021 to December 2025: 2016 to 2020).
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            index = self.start.year * 12 + self.start.month - 1 - months
            start = date(index // 12, index % 12 + 1, 1)
            return Period("custom", start, self.start - timedelta(days=1))
        return Period("custom", self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def is_whole_months(self) -> bool:
        """Starts on the first day of a month and ends on the last day of one (what the roll-ups sum)."""
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1

    def elapsed_share(self, today: date) -> float:
        """How much of the period has passed on `today` (0-1): the pace a target needs."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days


def month(y: int, m: int) -> Period:
    following = date(y + (m == 12), m % 12 + 1, 1)
    return Period("month", date(y, m, 1), following - timedelta(days=1))


def quarter(y: int, q: int) -> Period:
    start = date(y, 3 * (q - 1) + 1, 1)
    end = date(y + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
    return Period("quarter", start, end)


def year(y: int) -> Period:
    return Period("year", date(y, 1, 1), date(y, 12, 31))


def custom(start: date, end: date) -> Period:
    return Period("custom", start, end)
