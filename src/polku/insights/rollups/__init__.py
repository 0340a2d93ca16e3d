"""Monthly roll-ups of the case facts (`MonthlyFigure`), so that a dashboard over whole months reads a
few hundred rows per indicator whatever the number of cases (docs/architecture.md, "Knowledge-based
management"; bench/README.md has the figures).

What is summed, per level (organisation, unit, an organisation's clients in one municipality, county,
everything) and month:
- `reached`: the cases identified in the month that reached each step (the funnel), key = step;
- `source`: the cases identified in the month by source;
- `activity`: the steps taken in the month (key = the activity), `outcome`: the cases closed in the month
  by outcome;
- `gas`: per month identified (`since`) and closed (`until`), the GAS goals (n) and goals met (amount),
  the cases with two reviews (`reviewed`) and of them those with both T-scores (`t_change`: n, with the
  sum of their T-score change as amount);
- `job`: first job starts by month and `until` (and `since` when identified after the job start), key
  `kept` or `lost` (held 90 days or not); `ips` and `competitive`: by the month a case was both identified
  and in IPS (and had started competitive work), and `until`;
- `caseload`: per personal worker, +1 in the month a case was identified and -1 in the month it closed
  (or was identified, if later), so the sum of the months up to one is the worker's open cases at its end;
  `caseload_year` the same by year, so that sum reads the years before and the months of its own year;
- county and national levels only: `days:<column>` histograms of the day counts (exact medians and
  80th percentiles; below the county the scope's facts are few enough to sort).

Every roll-up is a sum, so the rows stay exact under corrections: `services.refresh` computes a batch's
contributions from its old facts and from its new facts with the same grouped queries and adds the
difference (`apply`), reading and rewriting only the rows of the keys it changes (not other
organisations' rows of the same months); `rebuild` recomputes everything with INSERT ... SELECT.
Small numbers are protected after summing, exactly as for the facts (`indicators`).

The dashboard reads the roll-ups when the scope has a level (not a personal worker's caseload) and the
period and the previous one are whole months (`covers`); otherwise, and for referrals, placements,
repeated measures and targets, it reads the facts.

The package: `columns.py` (what is summed and by what), `grouping.py` (the grouped queries and a batch's
contributions), `writing.py` (`apply`, `rebuild`), `reading.py` (what the dashboard reads).
"""

from polku.insights.rollups.columns import (
    ACTIVITY_COLUMNS,
    COLUMNS,
    DAY_COLUMNS,
    KEY_COLUMNS,
    LEVEL_DIMENSIONS,
    RETENTION_DAYS,
    SCOPE_LEVELS,
    STEP_COLUMNS,
    WIDE_LEVELS,
    Key,
)
from polku.insights.rollups.grouping import contributions, groupings
from polku.insights.rollups.reading import (
    caseload_sizes,
    covers,
    day_stats,
    funnel,
    level_of,
    scan,
    sources,
)
from polku.insights.rollups.writing import FETCH_CHUNK, apply, rebuild

__all__ = [
    "ACTIVITY_COLUMNS",
    "COLUMNS",
    "DAY_COLUMNS",
    "FETCH_CHUNK",
    "KEY_COLUMNS",
    "LEVEL_DIMENSIONS",
    "RETENTION_DAYS",
    "SCOPE_LEVELS",
    "STEP_COLUMNS",
    "WIDE_LEVELS",
    "Key",
    "apply",
    "caseload_sizes",
    "contributions",
    "covers",
    "day_stats",
    "funnel",
    "groupings",
    "level_of",
    "rebuild",
    "scan",
    "sources",
]
