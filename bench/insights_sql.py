"""The dashboard's numbers computed by hand-written SQL from the BASE tables (cases, clients, units,
contacts, assessments, plans and reviews, referrals, placements with attendance and feedback, IPS
periods and jobs, questionnaire responses), never from the insights facts or roll-ups: the yardstick
`bench/insights.py` times the dashboard against. PostgreSQL only.

`hand_numbers` and `dashboard_numbers` give the same flat dict of true (unprotected) numbers, one from
this SQL and one from `insights.figures.compute`; tests/bench/test_insights_sql.py checks they agree.
Targets and the clients' feedback are left out: the bench seeds neither.
"""

# ruff: noqa: E501, S608 - long SQL lines; the scope condition is the bench's own, never user input

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

STEPS = ["identified", "first_contact", "assessment", "plan", "referral", "service", "job", "closed"]
STEP_COLUMNS = [
    "opened_on",
    "contact_on",
    "assessment_on",
    "plan_on",
    "sent_on",
    "service_on",
    "job_on",
    "closed_on",
]
ACTIVITY = {
    "cases_opened": "opened_on",
    "assessments": "assessment_on",
    "plans": "plan_on",
    "referrals": "sent_on",
    "services": "service_on",
    "cases_closed": "closed_on",
}
TIMES = {
    "days_to_contact": "contact_on",
    "days_to_plan": "plan_on",
    "days_to_service": "service_on",
    "days_to_job": "job_on",
}
TERMINAL = "('completed', 'discontinued', 'declined', 'did_not_attend')"
LOCAL = "AT TIME ZONE 'Europe/Helsinki'"


def _case_numbers() -> str:
    parts = []
    for when, (s, e) in (("now", ("start", "end")), ("before", ("prev_start", "prev_end"))):
        cohort = f"opened_on BETWEEN %({s})s AND %({e})s"
        for step, column in zip(STEPS, STEP_COLUMNS, strict=True):
            parts.append(f"'funnel_{when}_{step}', count({column}) FILTER (WHERE {cohort})")
        for key, column in ACTIVITY.items():
            parts.append(
                f"'activity_{when}_{key}', count(*) FILTER (WHERE opened_on <= %(end)s AND {column} BETWEEN %({s})s AND %({e})s)"
            )
    for name, column in TIMES.items():
        days = f"({column} - opened_on)"
        cohort = "opened_on BETWEEN %(start)s AND %(end)s"
        parts.append(f"'time_{name}_n', count({column}) FILTER (WHERE {cohort})")
        for stat, fraction in (("median", 0.5), ("p80", 0.8)):
            parts.append(
                f"'time_{name}_{stat}', percentile_cont({fraction}) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {cohort})"
            )
    open_ = "opened_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)"
    parts += [
        f"'gas_goals', coalesce(sum(goals) FILTER (WHERE {open_}), 0)",
        f"'gas_met', coalesce(sum(met) FILTER (WHERE {open_}), 0)",
        f"'gas_cases', count(*) FILTER (WHERE {open_} AND reviews >= 2)",
        f"'gas_t_change', avg(t_latest - t_first) FILTER (WHERE {open_} AND reviews >= 2)",
        f"'jobs_starts', count(*) FILTER (WHERE {open_} AND job_on BETWEEN %(start)s AND %(end)s)",
        f"'jobs_in_ips', count(*) FILTER (WHERE {open_} AND ips_on <= %(end)s)",
        f"'jobs_competitive', count(*) FILTER (WHERE {open_} AND ips_on <= %(end)s AND competitive_on <= %(end)s)",
        f"'jobs_due', count(*) FILTER (WHERE {open_} AND job_on BETWEEN %(start)s AND %(old_enough)s)",
        f"'jobs_kept', count(*) FILTER (WHERE {open_} AND job_on BETWEEN %(start)s AND %(old_enough)s AND (job_end IS NULL OR job_end - job_on >= 90))",
    ]
    # A function takes at most 100 arguments: objects of 40 pairs, joined.
    chunks = [parts[i : i + 40] for i in range(0, len(parts), 40)]
    return " || ".join("jsonb_build_object(" + ", ".join(chunk) + ")" for chunk in chunks)


HAND_SQL = f"""
WITH c AS MATERIALIZED (
  SELECT k.id, k.source, k.opened_on, k.closed_on, k.outcome, k.personal_worker_id AS worker
    FROM clients_case k JOIN accounts_unit u ON u.id = k.unit_id JOIN clients_client cl ON cl.id = k.client_id
   WHERE {{where}}
),
contact AS (SELECT case_id, min(happened_on) AS d FROM clients_contact WHERE case_id IN (SELECT id FROM c) GROUP BY case_id),
assessed AS (SELECT case_id, min(concluded_on) AS d FROM plans_assessment
              WHERE concluded_on IS NOT NULL AND case_id IN (SELECT id FROM c) GROUP BY case_id),
planned AS (SELECT p.case_id, min(v.agreed_on) AS d FROM plans_serviceplan p JOIN plans_planversion v ON v.plan_id = p.id
             WHERE v.agreed_on IS NOT NULL AND p.case_id IN (SELECT id FROM c) GROUP BY p.case_id),
ref AS MATERIALIZED (
  SELECT r.case_id, r.status, t.code AS category, pr.name AS provider, (r.sent_at {LOCAL})::date AS sent,
         (r.answered_at {LOCAL})::date AS answered, (r.started_at {LOCAL})::date AS started
    FROM services_referral r JOIN services_service s ON s.id = r.service_id
    JOIN services_taxonomyterm t ON t.id = s.category_id JOIN services_provider pr ON pr.id = s.provider_id
   WHERE r.sent_at IS NOT NULL AND r.case_id IN (SELECT id FROM c)
),
pl AS MATERIALIZED (
  SELECT p.id, p.case_id, p.kind, p.starts_on,
         CASE WHEN p.interrupted_on <= %(today)s THEN 'interrupted' WHEN %(today)s < p.starts_on THEN 'planned'
              WHEN %(today)s > p.ends_on THEN 'ended' ELSE 'ongoing' END AS status,
         p.starts_on <= %(today)s AND (p.interrupted_on IS NULL OR p.interrupted_on > p.starts_on) AS began
    FROM placements_placement p WHERE p.case_id IN (SELECT id FROM c)
),
sent AS (SELECT case_id, min(sent) AS d FROM ref GROUP BY case_id),
served AS (SELECT case_id, min(d) AS d FROM (SELECT case_id, started AS d FROM ref WHERE started IS NOT NULL
             UNION ALL SELECT case_id, starts_on FROM pl WHERE began) x GROUP BY case_id),
ips AS (SELECT case_id, min(entered_on) AS d FROM employment_ipsperiod WHERE case_id IN (SELECT id FROM c) GROUP BY case_id),
job AS (SELECT DISTINCT ON (i.case_id) i.case_id, j.starts_on, j.ends_on
          FROM employment_job j JOIN employment_ipsperiod i ON i.id = j.period_id
         WHERE i.case_id IN (SELECT id FROM c) ORDER BY i.case_id, j.starts_on, j.id),
competitive AS (SELECT i.case_id, min(j.starts_on) AS d FROM employment_job j JOIN employment_ipsperiod i ON i.id = j.period_id
                 WHERE j.wage_type = 'competitive' AND i.case_id IN (SELECT id FROM c) GROUP BY i.case_id),
review AS (SELECT p.case_id, count(*) AS n, (array_agg(r.t_score ORDER BY r.held_on, r.id))[1] AS t_first,
                  (array_agg(r.t_score ORDER BY r.held_on DESC, r.id DESC))[1] AS t_latest,
                  (array_agg(r.id ORDER BY r.held_on DESC, r.id DESC))[1] AS latest
             FROM plans_planreview r JOIN plans_serviceplan p ON p.id = r.plan_id
            WHERE p.case_id IN (SELECT id FROM c) GROUP BY p.case_id),
gas AS (SELECT rv.case_id, rv.n AS reviews, rv.t_first, rv.t_latest, count(g.id) AS goals,
               count(g.id) FILTER (WHERE g.level >= 0) AS met
          FROM review rv LEFT JOIN plans_goalrating g ON g.review_id = rv.latest
         GROUP BY rv.case_id, rv.n, rv.t_first, rv.t_latest),
f AS MATERIALIZED (
  SELECT c.*, contact.d AS contact_on, assessed.d AS assessment_on, planned.d AS plan_on, sent.d AS sent_on,
         served.d AS service_on, ips.d AS ips_on, job.starts_on AS job_on, job.ends_on AS job_end,
         competitive.d AS competitive_on, coalesce(gas.goals, 0) AS goals, coalesce(gas.met, 0) AS met,
         coalesce(gas.reviews, 0) AS reviews, gas.t_first, gas.t_latest
    FROM c LEFT JOIN contact ON contact.case_id = c.id LEFT JOIN assessed ON assessed.case_id = c.id
    LEFT JOIN planned ON planned.case_id = c.id LEFT JOIN sent ON sent.case_id = c.id
    LEFT JOIN served ON served.case_id = c.id LEFT JOIN ips ON ips.case_id = c.id LEFT JOIN job ON job.case_id = c.id
    LEFT JOIN competitive ON competitive.case_id = c.id LEFT JOIN gas ON gas.case_id = c.id
),
sent_now AS MATERIALIZED (SELECT * FROM ref WHERE sent BETWEEN %(start)s AND %(end)s),
placed_now AS MATERIALIZED (SELECT * FROM pl WHERE starts_on BETWEEN %(start)s AND %(end)s),
series AS (
  SELECT r.case_id, v.instrument_id, count(*) AS n,
         (array_agg(r.total_score ORDER BY r.completed_at, r.id))[1] AS first,
         (array_agg(r.total_score ORDER BY r.completed_at DESC, r.id DESC))[1] AS latest
    FROM instruments_response r JOIN instruments_instrumentversion v ON v.id = r.version_id
   WHERE r.completed_at IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM instruments_response x WHERE x.supersedes_id = r.id AND x.completed_at IS NOT NULL)
     AND r.case_id IN (SELECT id FROM f WHERE opened_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s))
   GROUP BY r.case_id, v.instrument_id
)
SELECT
  (SELECT {_case_numbers()} FROM f),
  (SELECT json_object_agg(source, n) FROM (SELECT source, count(*) AS n FROM f
     WHERE opened_on BETWEEN %(start)s AND %(end)s GROUP BY source) x),
  (SELECT json_object_agg(w || ':' || outcome, n) FROM (SELECT 'now' AS w, outcome, count(*) AS n FROM f
     WHERE closed_on BETWEEN %(start)s AND %(end)s GROUP BY outcome
     UNION ALL SELECT 'before', outcome, count(*) FROM f WHERE closed_on BETWEEN %(prev_start)s AND %(prev_end)s GROUP BY outcome) x),
  (SELECT json_build_object('n_answer', count(answered), 'median_answer', percentile_cont(0.5) WITHIN GROUP (ORDER BY answered - sent),
          'p80_answer', percentile_cont(0.8) WITHIN GROUP (ORDER BY answered - sent), 'n_start', count(started),
          'median_start', percentile_cont(0.5) WITHIN GROUP (ORDER BY started - sent),
          'p80_start', percentile_cont(0.8) WITHIN GROUP (ORDER BY started - sent)) FROM sent_now),
  (SELECT json_object_agg(category || ':' || status, n) FROM (SELECT category, status, count(*) AS n FROM sent_now GROUP BY 1, 2) x),
  (SELECT json_object_agg(category, array[n, closed]) FROM (SELECT category, count(*) AS n,
     count(*) FILTER (WHERE status IN {TERMINAL}) AS closed FROM sent_now WHERE status <> 'cancelled' GROUP BY 1) x),
  (SELECT json_object_agg(provider, array[n, closed]) FROM (SELECT provider, count(*) AS n,
     count(*) FILTER (WHERE status IN {TERMINAL}) AS closed FROM sent_now WHERE status <> 'cancelled' GROUP BY 1) x),
  (SELECT json_object_agg(kind || ':' || status, n) FROM (SELECT kind, status, count(*) AS n FROM placed_now GROUP BY 1, 2) x),
  (SELECT json_build_object('n', count(*),
          'feedback', count(*) FILTER (WHERE EXISTS (SELECT 1 FROM placements_feedback b WHERE b.placement_id = placed_now.id)),
          'present', (SELECT count(*) FROM placements_attendance a WHERE a.placement_id IN (SELECT id FROM placed_now) AND a.status = 'present'),
          'absent', (SELECT count(*) FROM placements_attendance a WHERE a.placement_id IN (SELECT id FROM placed_now)
                      AND a.status IN ('absent_notice', 'absent_no_notice'))) FROM placed_now),
  (SELECT json_object_agg(code, array[n, first, latest]) FROM (SELECT i.code, count(*) AS n, avg(first) AS first, avg(latest) AS latest
     FROM series s JOIN instruments_instrument i ON i.id = s.instrument_id WHERE s.n >= 2 GROUP BY i.code) x),
  (SELECT json_object_agg(b, n) FROM (SELECT width_bucket(open, array[10, 20, 30]) AS b, count(*) AS n FROM
     (SELECT worker, count(*) AS open FROM f WHERE opened_on <= %(end)s AND worker IS NOT NULL
         AND (closed_on IS NULL OR closed_on > %(end)s) GROUP BY worker) w GROUP BY 1) x)
"""


def params(period: Any, today: date) -> dict[str, date]:
    previous = period.previous()
    return {
        "start": period.start,
        "end": period.end,
        "prev_start": previous.start,
        "prev_end": previous.end,
        "old_enough": min(period.end, today) - timedelta(days=90),
        "today": today,
    }


def hand_numbers(cursor: Any, where: str, period: Any, today: date) -> dict[str, Any]:
    """Run the hand-written SQL for the scope (`where` over k = case, u = unit, cl = client) and period."""
    cursor.execute(HAND_SQL.format(where=where), params(period, today))
    (
        cases,
        sources,
        outcomes,
        referral_times,
        referrals,
        by_category,
        by_provider,
        placements,
        placed,
        measures,
        caseload,
    ) = (json.loads(value) if isinstance(value, str) else value for value in cursor.fetchone())
    found: dict[str, Any] = dict(cases)
    found.update({f"source_{k}": v for k, v in (sources or {}).items()})
    found.update({f"outcome_{k}": v for k, v in (outcomes or {}).items()})
    for kind in ("answer", "start"):
        found[f"time_days_to_{kind}_n"] = referral_times[f"n_{kind}"]
        found[f"time_days_to_{kind}_median"] = referral_times[f"median_{kind}"]
        found[f"time_days_to_{kind}_p80"] = referral_times[f"p80_{kind}"]
    found.update({f"referral_{k}": v for k, v in (referrals or {}).items()})
    for name, rows in (("category", by_category), ("provider", by_provider)):
        for key, (n, closed) in (rows or {}).items():
            found[f"loop_{name}_{key}"] = (n, closed / n if n else None)
    found.update({f"placement_{k}": v for k, v in (placements or {}).items()})
    n, days = placed["n"], placed["present"] + placed["absent"]
    found["placements_n"] = n
    found["placements_feedback_share"] = placed["feedback"] / n if n else None
    found["placements_attendance_share"] = placed["present"] / days if days else None
    goals = found.pop("gas_goals")
    found["gas_goals"] = goals
    found["gas_share"] = found.pop("gas_met") / goals if goals else None
    for code, (n, first, latest) in (measures or {}).items():
        found[f"measure_{code}"] = (n, first, latest)
    buckets = ["0–9", "10–19", "20–29", "30+"]
    found.update({f"caseload_{buckets[int(b)]}": n for b, n in (caseload or {}).items()})
    return _clean(found)


def dashboard_numbers(figures: dict[str, Any], category_codes: dict[str, str]) -> dict[str, Any]:
    """The same numbers from `insights.figures.compute`'s protected tables (each cell keeps its true
    count; the medians, means and rates are there when the threshold lets them be shown).
    `category_codes`: category name -> code (the referral table is labelled by names)."""
    from polku.insights.indicators import ACTIVITY as ACTIVITY_ROWS
    from polku.insights.indicators import STEPS as STEP_ROWS
    from polku.network.models import ReferralStatus
    from polku.placements.models import PlacementKind

    found: dict[str, Any] = {}
    for row, (key, _c, _l) in zip(figures["funnel"], STEP_ROWS, strict=True):
        found[f"funnel_now_{key}"] = row.cell.value
        found[f"funnel_before_{key}"] = row.previous.value if row.previous else None
    for row, (key, _c, _l) in zip(figures["activity"], ACTIVITY_ROWS, strict=True):
        found[f"activity_now_{key}"] = row.cell.value
        found[f"activity_before_{key}"] = row.previous.value
    for row in figures["sources"]:
        found[f"source_{row.key}"] = row.cell.value
    for stat in figures["times"]:
        name = {str(label): key for key, label in _time_labels()}[str(stat.label)]
        found[f"time_{name}_n"] = stat.n
        found[f"time_{name}_median"] = stat.median
        found[f"time_{name}_p80"] = stat.p80
    referrals = figures["referrals"]
    statuses = [s for s in ReferralStatus if s != ReferralStatus.DRAFT]
    for name, cells, _total in referrals.lines:
        for status, cell in zip(statuses, cells, strict=True):
            found[f"referral_{category_codes.get(name, name)}:{status.value}"] = cell.value
    for name in ("category", "provider"):
        for row in figures[f"closed_loop_{name}"]:
            found[f"loop_{name}_{row.key}"] = (row.cell.value, row.share)
    placements = figures["placements"]
    states = ["planned", "ongoing", "ended", "interrupted"]
    for (kind, _label), cells in zip(PlacementKind.choices, placements.table.cells, strict=True):
        for state, cell in zip(states, cells, strict=True):
            found[f"placement_{kind}:{state}"] = cell.value
    found["placements_n"] = placements.table.total.value
    found["placements_feedback_share"] = placements.extra["feedback_share"]
    found["placements_attendance_share"] = placements.extra["attendance_share"]
    for row in figures["outcomes"]:
        found[f"outcome_now:{row.key}"] = row.cell.value
        found[f"outcome_before:{row.key}"] = row.previous.value
    gas = figures["gas"]
    found["gas_goals"] = gas["goals"].value
    found["gas_share"] = gas["share"]
    found["gas_cases"] = gas["cases"]
    found["gas_t_change"] = gas["t_change"]
    jobs = figures["jobs"]
    found["jobs_starts"] = jobs["starts"].value
    found["jobs_in_ips"] = jobs["in_ips"].value
    found["jobs_competitive"] = jobs["competitive"].value
    found["jobs_due"] = jobs["retention_due"].value
    found["jobs_kept"] = jobs["retained"].value
    for m in figures["measures"]:
        found[f"measure_{m['instrument']}"] = (m["n"].value, m["first"], m["latest"])
    for row in figures["caseload"]:
        found[f"caseload_{row.key}"] = row.cell.value
    return _clean(found)


def _time_labels() -> list[tuple[str, Any]]:
    from polku.insights.indicators import REFERRAL_TIMES
    from polku.insights.indicators import TIMES as TIME_ROWS

    return [*TIME_ROWS, *REFERRAL_TIMES]


def _clean(found: dict[str, Any]) -> dict[str, Any]:
    """Zeros left out (one side lists empty cells, the other has no row), numbers rounded to compare."""
    clean: dict[str, Any] = {}
    for key, value in found.items():
        if value in (0, None, (0, None)):
            continue
        clean[key] = _round(value)
    return clean


def _round(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return tuple(_round(v) for v in value)
    if isinstance(value, float) or type(value).__name__ == "Decimal":
        return round(float(value), 6)
    return value
