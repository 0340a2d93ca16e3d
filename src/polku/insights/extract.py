"""The pseudonymised research extract: one row per case of the organisation identified in the chosen
year, with a keyed pseudonym of the client (HMAC with `POLKU_INSIGHTS_PSEUDONYM_KEY`, never the identity
code lookup key), age band, municipality, the month of each step, source, outcome and scores. No names,
identity codes or free text. Refused, with the reason, when any age band x municipality x quarter of
identification has fewer cases than the small-number threshold."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections import Counter
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from polku.clients.models import Case
from polku.core.spreadsheets import safe_row, safe_rows
from polku.insights import disclosure
from polku.insights.models import CaseFact, MeasureFact
from polku.insights.periods import Period

STEP_FIELDS = [
    "identified_on",
    "first_contact_on",
    "assessment_on",
    "plan_agreed_on",
    "referral_sent_on",
    "service_started_on",
    "closed_on",
]
HEADER = [
    "pseudonym",
    "age_band",
    "municipality",
    *[name.removesuffix("_on") + "_month" for name in STEP_FIELDS],
    "source",
    "outcome",
    "gas_goals",
    "gas_goals_met",
    "t_score_first",
    "t_score_latest",
    "measures",
]


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pseudonym(client_public_id: str) -> str:
    key = str(getattr(settings, "POLKU_INSIGHTS_PSEUDONYM_KEY", "") or "")
    if not key:
        raise Refused(_("The research extract needs its own pseudonym key (POLKU_INSIGHTS_PSEUDONYM_KEY)."))
    return hmac.new(key.encode(), client_public_id.encode(), hashlib.sha256).hexdigest()[:20]


def _month(day: date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


def _quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def rows(*, organisation_id: int, period: Period) -> list[list[object]]:
    """The extract's rows, or Refused when a combination is too small to publish."""
    facts = list(
        CaseFact.objects.filter(
            organisation_id=organisation_id, identified_on__range=(period.start, period.end)
        ).order_by("identified_on", "id")
    )
    limit = disclosure.threshold()
    cells = Counter((fact.age_band, fact.municipality, _quarter(fact.identified_on)) for fact in facts)
    small = sorted(key for key, n in cells.items() if n < limit)
    if small:
        age, municipality, quarter = small[0]
        raise Refused(
            _(
                "Refused: %(count)s combinations of age band, municipality and quarter have fewer than "
                "%(threshold)s cases (the first: %(age)s, %(municipality)s, %(quarter)s). "
                "Choose a longer period."
            )
            % {
                "count": len(small),
                "threshold": limit,
                "age": age,
                "municipality": municipality,
                "quarter": quarter,
            }
        )
    clients = dict(
        Case.objects.filter(id__in=[f.case_id for f in facts]).values_list("id", "client__public_id")
    )
    measures: dict[int, list[str]] = {}
    for fact_id, code, first, latest in MeasureFact.objects.filter(fact__in=facts).values_list(
        "fact_id", "instrument", "first_score", "latest_score"
    ):
        measures.setdefault(fact_id, []).append(f"{code}:{first}>{latest}")
    out: list[list[object]] = []
    for fact in facts:
        out.append(
            [
                pseudonym(str(clients[fact.case_id])),
                fact.age_band,
                fact.municipality,
                *[_month(getattr(fact, name)) for name in STEP_FIELDS],
                fact.source,
                fact.outcome,
                fact.gas_goals,
                fact.gas_goals_met,
                "" if fact.t_score_first is None else round(fact.t_score_first, 1),
                "" if fact.t_score_latest is None else round(fact.t_score_latest, 1),
                ";".join(measures.get(fact.pk, [])),
            ]
        )
    return out


def as_csv(found: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(HEADER))
    writer.writerows(safe_rows(found))
    return out.getvalue().encode("utf-8")
