"""Services: referrals by category and status, the closed-loop rate, placements and the referral times,
from the `ServiceFact`s of the scope's cases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.utils.translation import gettext_lazy as _

from polku.core.names import in_reader_language
from polku.insights import disclosure, rollups
from polku.insights.disclosure import Cell
from polku.insights.indicators.base import Row, Stat, TwoWay, day_values, stats
from polku.insights.models import CaseFact, ServiceFact, ServiceKind
from polku.insights.periods import Period
from polku.insights.scopes import Scope
from polku.network.models import Provider, ReferralStatus
from polku.placements.models import PlacementKind

REFERRAL_TIMES = [
    ("days_to_answer", _("Referral sent → answered")),
    ("days_to_start", _("Referral sent → service started")),
]


def _sent(scope: Scope, period: Period, kind: str) -> QuerySet[ServiceFact]:
    return ServiceFact.objects.filter(
        fact__in=CaseFact.objects.filter(scope.q), kind=kind, sent_on__range=(period.start, period.end)
    )


def referral_times(scope: Scope, period: Period) -> list[Stat]:
    names = [name for name, _label in REFERRAL_TIMES]
    if rollups.covers(scope, period):
        values = rollups.day_stats(scope, period, names)
    else:
        values = day_values(_sent(scope, period, ServiceKind.REFERRAL), names)
    return stats(values, REFERRAL_TIMES)


def referrals(scope: Scope, period: Period, category_names: dict[str, str]) -> TwoWay:
    """Referrals sent in the period: category x current status, with totals."""
    if rollups.covers(scope, period):
        counts: dict[tuple[str, str], int] = {}
        for key, n, _amount in rollups.sums(scope, period, ["referral"])["referral"]:
            status, category = key.split(":", 1)
            counts[(category, status)] = n
    else:
        counts = {
            (category, status): n
            for category, status, n in _sent(scope, period, ServiceKind.REFERRAL)
            .values_list("category", "status")
            .annotate(n=Count("id"))
            .order_by()
        }
    statuses = [s for s in ReferralStatus if s not in (ReferralStatus.DRAFT,)]
    categories = sorted({category for category, _status in counts}, key=lambda c: category_names.get(c, c))
    matrix = [[counts.get((c, s), 0) for s in statuses] for c in categories]
    if not matrix:
        zero = Cell(0, disclosure.SHOWN, disclosure.threshold())
        table = disclosure.Table(cells=[], row_totals=[], column_totals=[zero] * len(statuses), total=zero)
    else:
        table = disclosure.protect_table(matrix)
    return TwoWay([category_names.get(c, c) for c in categories], [s.label for s in statuses], table)


def closed_loop(scope: Scope, period: Period, by: str, names: dict[str, str] | None = None) -> list[Row]:
    """Share of referrals (cancelled ones excluded) at an end state, per category or provider. A provider
    (kept by its Finnish name) is named in the reader's language, in the same query."""
    rows = []
    found: Iterable[tuple[str, int, int, str | None]]
    if rollups.covers(scope, period):
        found = rollups.closed_loop(scope, period, by)
    else:
        found = _closed_loop(scope, period, by)
    for key, total, closed, name_sv in found:
        denominator = disclosure.protect_values([total])[0]
        numerator = disclosure.protect_values([closed])[0]
        label = (names or {}).get(key, in_reader_language(key, name_sv or ""))
        rows.append(Row(label, denominator, share=disclosure.rate(numerator, denominator), key=key))
    return rows


def _closed_loop(scope: Scope, period: Period, by: str) -> Iterable[tuple[str, int, int, str | None]]:
    return (
        _sent(scope, period, ServiceKind.REFERRAL)
        .exclude(status=ReferralStatus.CANCELLED)
        .values_list(by)
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(is_terminal=True)),
            name_sv=Subquery(
                Provider.objects.filter(name=OuterRef(by)).exclude(name_sv="").values("name_sv")[:1]
            )
            if by == "provider"
            else Value(""),
        )
        .order_by(by)
    )


def placements(scope: Scope, period: Period) -> TwoWay:
    statuses = [
        ("planned", _("Planned")),
        ("ongoing", _("Ongoing")),
        ("ended", _("Ended")),
        ("interrupted", _("Interrupted")),
    ]
    if rollups.covers(scope, period):
        summed = rollups.sums(scope, period, ["placement", "placement_more"])
        counts: dict[tuple[str, str], int] = {}
        for key, n, _amount in summed["placement"]:
            kind, status = key.split(":", 1)
            counts[(kind, status)] = n
        totals: dict[str, Any] = {
            "n": sum(n for _k, n, _a in summed["placement"]),
            "present": round(sum(amount for _k, _n, amount in summed["placement"])),
            "feedback": sum(n for _k, n, _a in summed["placement_more"]),
            "absent": round(sum(amount for _k, _n, amount in summed["placement_more"])),
        }
    else:
        started = _sent(scope, period, ServiceKind.PLACEMENT)
        counts = {
            (kind, status): n
            for kind, status, n in started.values_list("placement_kind", "status")
            .annotate(n=Count("id"))
            .order_by()
        }
        totals = started.aggregate(
            present=Sum("days_present"),
            absent=Sum("days_absent"),
            feedback=Count("id", filter=Q(has_feedback=True)),
            n=Count("id"),
        )
    kinds = list(PlacementKind.choices)
    matrix = [[counts.get((kind, status), 0) for status, _l in statuses] for kind, _label in kinds]
    n = disclosure.protect_values([totals["n"]])[0]
    feedback = disclosure.protect_values([totals["feedback"]])[0]
    present, absent = totals["present"] or 0, totals["absent"] or 0
    days = disclosure.protect_values([present + absent])[0]
    extra = {
        "feedback_share": disclosure.rate(feedback, n),
        "attendance_share": disclosure.rate(disclosure.protect_values([present])[0], days),
    }
    return TwoWay(
        [label for _k, label in kinds],
        [label for _s, label in statuses],
        disclosure.protect_table(matrix),
        extra,
    )
