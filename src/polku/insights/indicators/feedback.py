"""The clients' feedback on the service (from the portal, `FeedbackFact`): per occasion (after the plan
was agreed, after a review, at the end of the service) how many answered, the mean of "I was heard" and
"The service was useful to me" (1-5) and the share who knew who was responsible for their matters.

An answer names only the organisation, the occasion and the month, so the figure exists for an
organisation and for all of Polku, never for a unit, a municipality, a county or a worker's caseload.
The answers of the months that begin in the period count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from polku.clients.extensions import FeedbackSource
from polku.core import plugins
from polku.insights import disclosure
from polku.insights.disclosure import Cell
from polku.insights.models import FeedbackFact
from polku.insights.periods import Period
from polku.insights.scopes import Scope

LEVELS = ("organisation", "all")


@dataclass
class FeedbackRow:
    key: str
    label: Any
    answers: Cell
    heard: float | None  # mean, 1-5
    knew: Cell
    knew_share: float | None
    useful: float | None  # mean, 1-5


@dataclass
class Feedback:
    measured: bool  # False: the scope is narrower than an organisation (the answers do not say)
    rows: list[FeedbackRow]
    total: FeedbackRow | None


def occasions() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for source in plugins.contributions(FeedbackSource):
        found += [(value, label) for value, label in source.occasions if value not in dict(found)]
    return found


def feedback(scope: Scope, period: Period) -> Feedback:
    if scope.key.split(":", 1)[0] not in LEVELS:
        return Feedback(False, [], None)
    answers = FeedbackFact.objects.filter(
        Q(organisation_id=scope.organisation_id) if scope.organisation_id else Q(),
        month__range=(period.start, period.end),
    )
    found: dict[str, dict[str, Any]] = {
        row["occasion"]: row
        for row in answers.values("occasion")
        .annotate(
            n=Count("id"),
            knew=Count("id", filter=Q(knew_responsible=True)),
            heard=Sum("heard"),
            useful=Sum("useful"),
        )
        .order_by()
    }
    total = {key: sum(row[key] for row in found.values()) for key in ("n", "knew", "heard", "useful")}
    choices = occasions()
    counts = [found.get(value, {}).get("n", 0) for value, _label in choices]
    cells, total_cell = disclosure.protect_list(counts)
    rows = [
        _row(value, label, cell, found.get(value, {}))
        for (value, label), cell in zip(choices, cells, strict=True)
    ]
    return Feedback(True, rows, _row("total", None, total_cell, total))


def _row(key: str, label: Any, answers: Cell, found: dict[str, Any]) -> FeedbackRow:
    n, knew = found.get("n") or 0, found.get("knew") or 0
    # Knew and did not know protected together, so that neither can be worked out from the answers.
    (knew_cell, _other), _n = disclosure.protect_list([knew, n - knew])
    shown = answers.is_shown and disclosure.enough(n)
    return FeedbackRow(
        key,
        label,
        answers,
        found["heard"] / n if shown else None,
        knew_cell,
        disclosure.rate(knew_cell, answers),
        found["useful"] / n if shown else None,
    )
