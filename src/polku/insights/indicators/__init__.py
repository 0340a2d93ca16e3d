"""Computing the indicators (`definitions.py` says what each means) for a scope and a period, protected
by `disclosure` before anything leaves this package: a view, an export or the API gets `Cell`s, rates and
statistics that may be shown, never raw small counts.

- `path.py`: the funnel, sources, the work done in the period (activity) and the time between steps;
- `referrals.py`: referrals by category and status, the closed-loop rate, placements, referral times;
- `outcomes.py`: closing outcomes, GAS, the IPS outcomes and the repeated measures;
- `work.py`: caseloads and targets; `feedback.py`: the clients' feedback on the service (from the
  portal's answers); `base.py`: what they share.

Over whole months and a scope with a level (not a personal worker's caseload), every group but the
targets and the feedback reads the monthly roll-ups (`insights.rollups`); otherwise each group is one or two
aggregate queries over indexed fact rows. Both give the same numbers (tests/insights/test_rollups.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from polku.clients.models import CaseOutcome
from polku.insights import rollups
from polku.insights.indicators.base import (
    JOB_STARTS_MEASURED,
    RETENTION_DAYS,
    Row,
    Stat,
    TwoWay,
    active,
    cohort,
)
from polku.insights.indicators.feedback import Feedback, FeedbackRow, feedback
from polku.insights.indicators.outcomes import (
    gas,
    gas_aggregates,
    jobs,
    jobs_aggregates,
    measures,
    outcome_aggregates,
    outcomes,
)
from polku.insights.indicators.path import (
    ACTIVITY,
    STEPS,
    TARGETABLE,
    TIMES,
    activity,
    activity_aggregates,
    funnel,
    sources,
    times,
)
from polku.insights.indicators.referrals import REFERRAL_TIMES, closed_loop, placements, referrals
from polku.insights.indicators.work import BUCKETS, Progress, caseload, targets
from polku.insights.models import CaseFact
from polku.insights.periods import Period
from polku.insights.scopes import Scope

__all__ = [
    "ACTIVITY",
    "BUCKETS",
    "JOB_STARTS_MEASURED",
    "REFERRAL_TIMES",
    "RETENTION_DAYS",
    "STEPS",
    "TARGETABLE",
    "TIMES",
    "Feedback",
    "FeedbackRow",
    "Progress",
    "Row",
    "Stat",
    "TwoWay",
    "active",
    "activity",
    "caseload",
    "closed_loop",
    "cohort",
    "feedback",
    "funnel",
    "gas",
    "jobs",
    "measures",
    "outcomes",
    "placements",
    "referrals",
    "scan",
    "sources",
    "targets",
    "times",
]


def scan(scope: Scope, period: Period, today: date) -> dict[str, Any]:
    """The counts of `activity`, `outcomes`, `gas` and `jobs` together: from the roll-ups when they cover
    the scope and period, else in one scan of the scope's facts identified by the end of the period
    (every step, closing included, comes on or after identification)."""
    if rollups.covers(scope, period):
        return rollups.scan(scope, period, today, [value for value, _label in CaseOutcome.choices])
    return CaseFact.objects.filter(scope.q, identified_on__lte=period.end).aggregate(
        **activity_aggregates(period),
        **outcome_aggregates(period),
        **gas_aggregates(period),
        **jobs_aggregates(period, today),
    )
