"""Every table of the dashboard for one scope and period, already protected: what the page, the CSV and
XLSX downloads and the charts all read, so the disclosure rule is the same everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polku.insights import disclosure, indicators
from polku.insights.periods import Period
from polku.insights.scopes import Scope
from polku.network.models import TaxonomyTerm


@dataclass
class Download:
    """One table as rows of text and numbers (hidden counts as their mark, "< 5" or "x")."""

    key: str
    title: str
    definition: str
    header: list[str]
    rows: list[list[Any]]


def category_names() -> dict[str, str]:
    language = (get_language() or "fi")[:2]
    names = {}
    for term in TaxonomyTerm.objects.all():
        names[term.code] = (
            str(getattr(term, f"name_{language}", "") or term.name_fi)
            if language in ("fi", "sv", "en")
            else term.name_fi
        )
    return names


def compute(scope: Scope, period: Period, today: date) -> dict[str, Any]:
    names = category_names()
    scanned = indicators.scan(scope, period, today)
    outcomes, outcomes_total = indicators.outcomes(scope, period, scanned)
    sources, sources_total = indicators.sources(scope, period)
    caseload, caseload_total = indicators.caseload(scope, period)
    return {
        "funnel": indicators.funnel(scope, period),
        "sources": sources,
        "sources_total": sources_total,
        "activity": indicators.activity(scope, period, scanned),
        "times": indicators.times(scope, period),
        "referrals": indicators.referrals(scope, period, names),
        "closed_loop_category": indicators.closed_loop(scope, period, "category", names),
        "closed_loop_provider": indicators.closed_loop(scope, period, "provider"),
        "placements": indicators.placements(scope, period),
        "outcomes": outcomes,
        "outcomes_total": outcomes_total,
        "gas": indicators.gas(scope, period, scanned),
        "jobs": indicators.jobs(scope, period, today, scanned),
        "measures": indicators.measures(scope, period),
        "caseload": caseload,
        "caseload_total": caseload_total,
        "targets": indicators.targets(scope, period, today),
        "feedback": indicators.feedback(scope, period),
        "jobs_measured": indicators.JOB_STARTS_MEASURED,
    }


def _share(value: float | None) -> Any:
    return round(value * 100, 1) if value is not None else ""


def _number(value: float | None) -> Any:
    return round(value, 1) if value is not None else ""


def downloads(figures: dict[str, Any]) -> dict[str, Download]:
    """The tables of `compute` as downloads, keyed as in the download addresses."""
    funnel = [
        [
            str(r.label),
            r.cell.text if (r.key != "job" or figures["jobs_measured"]) else _("not yet measured"),
            _share(r.share),
            r.previous.text if r.previous else "",
            r.change if r.change is not None else "",
        ]
        for r in figures["funnel"]
    ]
    tables = [
        Download(
            "funnel",
            _("The client path (funnel)"),
            "funnel",
            [_("Step"), _("Cases"), _("Share of the step before (%)"), _("Previous period"), _("Change")],
            funnel,
        ),
        Download(
            "sources",
            _("Cases identified by source"),
            "sources",
            [_("Source"), _("Cases")],
            [[str(r.label), r.cell.text] for r in figures["sources"]]
            + [[_("Total"), figures["sources_total"].text]],
        ),
        Download(
            "activity",
            _("Work done in the period"),
            "activity",
            [_("Indicator"), _("Count"), _("Previous period"), _("Change")],
            [
                [
                    str(r.label),
                    r.cell.text,
                    r.previous.text if r.previous else "",
                    r.change if r.change is not None else "",
                ]
                for r in figures["activity"]
            ],
        ),
        Download(
            "times",
            _("Time between steps"),
            "times",
            [_("Interval"), _("Median (days)"), _("80th percentile (days)")],
            [[str(s.label), _number(s.median), _number(s.p80)] for s in figures["times"]],
        ),
    ]
    referrals = figures["referrals"]
    rows = [
        [name] + [cell.text for cell in cells] + [total.text]
        for name, cells, total in zip(
            referrals.rows, referrals.table.cells, referrals.table.row_totals, strict=True
        )
    ]
    rows.append(
        [_("Total")] + [cell.text for cell in referrals.table.column_totals] + [referrals.table.total.text]
    )
    tables.append(
        Download(
            "referrals",
            _("Referrals by service category and status"),
            "referrals",
            [_("Category")] + [str(c) for c in referrals.columns] + [_("Total")],
            rows,
        )
    )
    for key, title in (
        ("closed_loop_category", _("Closed-loop rate by category")),
        ("closed_loop_provider", _("Closed-loop rate by provider")),
    ):
        tables.append(
            Download(
                key,
                title,
                "closed_loop",
                [
                    _("Category") if key.endswith("category") else _("Provider"),
                    _("Referrals"),
                    _("Closed loop (%)"),
                ],
                [[str(r.label), r.cell.text, _share(r.share)] for r in figures[key]],
            )
        )
    placements = figures["placements"]
    rows = [
        [str(name)] + [cell.text for cell in cells] + [total.text]
        for name, cells, total in zip(
            placements.rows, placements.table.cells, placements.table.row_totals, strict=True
        )
    ]
    rows.append(
        [_("Total")] + [cell.text for cell in placements.table.column_totals] + [placements.table.total.text]
    )
    tables.append(
        Download(
            "placements",
            _("Placements by kind and status"),
            "placements",
            [_("Kind")] + [str(c) for c in placements.columns] + [_("Total")],
            rows,
        )
    )
    tables.append(
        Download(
            "outcomes",
            _("Closing outcomes"),
            "outcomes",
            [_("Outcome"), _("Cases"), _("Share (%)"), _("Previous period")],
            [
                [str(r.label), r.cell.text, _share(r.share), r.previous.text if r.previous else ""]
                for r in figures["outcomes"]
            ]
            + [[_("Total"), figures["outcomes_total"].text, "", ""]],
        )
    )
    tables.append(
        Download(
            "measures",
            _("Repeated measures"),
            "measures",
            [_("Questionnaire"), _("Cases (n)"), _("First (mean)"), _("Latest (mean)"), _("Change")],
            [
                [
                    m["instrument"],
                    m["n"].text,
                    _number(m["first"]),
                    _number(m["latest"]),
                    _number(m["change"]),
                ]
                for m in figures["measures"]
            ],
        )
    )
    jobs = figures["jobs"]
    tables.append(
        Download(
            "jobs",
            _("Job starts (IPS)"),
            "jobs",
            [_("Figure"), _("Cases"), _("Share (%)")],
            [
                [_("First job starts in the period"), jobs["starts"].text, ""],
                [_("Cases in supported employment (IPS)"), jobs["in_ips"].text, ""],
                [_("Competitive employment"), jobs["competitive"].text, _share(jobs["competitive_rate"])],
                [_("First jobs started at least 90 days ago"), jobs["retention_due"].text, ""],
                [_("Held 90 days or more"), jobs["retained"].text, _share(jobs["retention_rate"])],
            ],
        )
    )
    tables.append(
        Download(
            "caseload",
            _("Caseload per personal worker"),
            "caseload",
            [_("Open cases"), _("Personal workers")],
            [[r.label, r.cell.text] for r in figures["caseload"]]
            + [[_("Total"), figures["caseload_total"].text]],
        )
    )
    tables.append(
        Download(
            "targets",
            _("Targets"),
            "targets",
            [
                _("Indicator"),
                _("Target"),
                _("From"),
                _("Until"),
                _("Done"),
                _("Done (%)"),
                _("Needed per month"),
            ],
            [
                [
                    str(p.label),
                    p.target.value,
                    p.target.starts_on,
                    p.target.ends_on,
                    p.done.text,
                    _share(p.share),
                    _number(p.pace_per_month),
                ]
                for p in figures["targets"]
            ],
        )
    )
    feedback = figures["feedback"]
    tables.append(
        Download(
            "feedback",
            _("Clients' feedback on the service"),
            "feedback",
            [
                _("Occasion"),
                _("Answers"),
                _("I was heard (mean, 1–5)"),
                _("Knew who was responsible (%)"),
                _("The service was useful (mean, 1–5)"),
            ],
            [
                [
                    str(r.label) if r.label is not None else _("Total"),
                    r.answers.text,
                    _number(r.heard),
                    _share(r.knew_share),
                    _number(r.useful),
                ]
                for r in [*feedback.rows, *([feedback.total] if feedback.total else [])]
            ]
            if feedback.measured
            else [[_("Shown for an organisation and for all of Polku only."), "", "", "", ""]],
        )
    )
    return {table.key: table for table in tables}


__all__ = ["Download", "compute", "disclosure", "downloads"]
