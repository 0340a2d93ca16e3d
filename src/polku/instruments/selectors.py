"""Reads of instrument definitions and of questionnaire responses. Responses are client data: every read
of them is scoped by `accounts.permissions` (the client relationship and the register's consent rules)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from polku.accounts import permissions
from polku.accounts.models import Membership, User
from polku.clients import access
from polku.clients import selectors as client_selectors
from polku.clients.models import Case, Client
from polku.core import sql
from polku.instruments.models import (
    AlertRule,
    AnswerOption,
    Instrument,
    InstrumentVersion,
    Item,
    Response,
    SafetyAlert,
    VersionStatus,
    translated,
)

# --- Definitions -------------------------------------------------------------------------------------------


def _with_content(versions: QuerySet[InstrumentVersion]) -> QuerySet[InstrumentVersion]:
    return versions.select_related("instrument").prefetch_related(
        Prefetch(
            "items",
            queryset=Item.objects.prefetch_related(
                Prefetch("options", queryset=AnswerOption.objects.order_by("position", "id"))
            ).order_by("position", "id"),
        ),
        "subscales",
        "bands",
        "alert_rules",
    )


def published_versions() -> list[InstrumentVersion]:
    """The version of each instrument that is answered now (publishing retires the previous one), with
    its instrument, by the instrument's code. Written as SQL (`core.sql`): the portal panel of every
    client overview reads it, and built by the ORM it cost 0.40 ms of CPU a call, as SQL 0.14."""
    versions = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(InstrumentVersion, "version")}, {sql.columns(Instrument, "instrument")}
        FROM instruments_instrumentversion version
            JOIN instruments_instrument instrument ON instrument.id = version.instrument_id
        WHERE version.status = %s
        ORDER BY instrument.code, version.id
        """,  # noqa: S608 - only column lists and placeholders are formatted in
        [VersionStatus.PUBLISHED.value],
    ):
        version, instrument = sql.instances(row, InstrumentVersion, Instrument)
        version.instrument = instrument
        versions.append(version)
    return versions


def version_for_answering(code: str) -> InstrumentVersion:
    version = _with_content(
        InstrumentVersion.objects.filter(instrument__code=code, status=VersionStatus.PUBLISHED)
    ).first()
    if version is None:
        raise Http404
    return version


def version_with_content(version_id: int) -> InstrumentVersion:
    return _with_content(InstrumentVersion.objects.filter(pk=version_id)).get()


def version_for_export(code: str, number: int | None = None) -> InstrumentVersion:
    """A version with everything in it: the given number, else the published one, else the newest."""
    versions = InstrumentVersion.objects.filter(instrument__code=code)
    if number is not None:
        versions = versions.filter(number=number)
    else:
        published = versions.filter(status=VersionStatus.PUBLISHED)
        versions = published if published.exists() else versions
    version = _with_content(versions.order_by("-number")).first()
    if version is None:
        raise Http404
    return version


def all_versions() -> list[InstrumentVersion]:
    return list(
        InstrumentVersion.objects.select_related("instrument").order_by("instrument__code", "-number")
    )


# --- Responses ---------------------------------------------------------------------------------------------


def case_for_answering(*, viewer: Membership, public_id: uuid.UUID | str) -> Case:
    """The case if the viewer may fill in questionnaires in it; otherwise an audited 403 or 404."""
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "instrument.respond", case, hide=not access.knows_of_case(viewer, case))
    return case


def response_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Response:
    """A response the viewer may read, with its version's content; else the refusal is audited, 404."""
    response = (
        Response.objects.select_related(
            "client", "case__unit", "band", "entered_by__user", "organisation", "supersedes"
        )
        .filter(public_id=public_id)
        .first()
    )
    if response is None:
        raise Http404
    permissions.require(viewer, "response.view", response, hide=True)
    response.version = version_with_content(response.version_id)
    return response


def responses_in_case(case: Case, *, viewer: Membership) -> list[Response]:
    """The case's responses the viewer may read, drafts first, then the newest."""
    return list(
        Response.objects.filter(case=case)
        .filter(access.disclosed_records(viewer, client=case.client))
        .select_related("version__instrument", "band", "entered_by__user", "correction")
        .order_by("-completed_at", "-id")
    )


def alerts_of(response: Response) -> list[SafetyAlert]:
    return list(response.alerts.select_related("rule", "acknowledged_by__user"))


def alert_for(*, viewer: Membership, public_id: uuid.UUID | str) -> SafetyAlert:
    alert = (
        SafetyAlert.objects.select_related("case", "client", "response").filter(public_id=public_id).first()
    )
    if alert is None:
        raise Http404
    permissions.require(viewer, "safety_alert.acknowledge", alert, hide=True)
    return alert


# --- The client overview's section: scores over time and open alerts, in two queries ---------------------

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 12


@dataclass
class Point:
    at: datetime
    score: int
    band: str
    x: float = 0
    y: float = 0


@dataclass
class Series:
    code: str
    title: str
    max_score: int
    points: list[Point] = field(default_factory=list)

    @property
    def change(self) -> int:
        return self.points[-1].score - self.points[0].score

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def latest(self) -> Point:
        return self.points[-1]

    def place(self) -> None:
        """Chart coordinates: time on x (evenly when all on one day), score on y (0 at the bottom)."""
        first, last = self.points[0].at, self.points[-1].at
        span = (last - first).total_seconds()
        inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
        for index, point in enumerate(self.points):
            if span > 0:
                share = (point.at - first).total_seconds() / span
            else:
                share = index / (len(self.points) - 1) if len(self.points) > 1 else 0.5
            point.x = CHART_PAD + share * inner_w
            point.y = CHART_PAD + inner_h - (point.score / (self.max_score or 1)) * inner_h


@dataclass
class QuestionnaireOverview:
    series: list[Series]
    chart_width: int = CHART_WIDTH
    chart_height: int = CHART_HEIGHT


def overview(client: Client, *, viewer: Membership) -> QuestionnaireOverview:
    """Each instrument's current scores over time (corrections replace what they correct) among the
    responses the viewer may read. One query, whatever the number of responses."""
    # `Response.objects.current()` of the client with the consent rule, written as SQL (core.sql):
    # every client overview reads it. Only what the chart shows: not the answers, nor the licence texts.
    disclosed, params = access.disclosers(viewer, client).sql("r")
    rows = sql.rows(
        f"""
        SELECT r.completed_at, r.total_score, v.title, v.max_score, i.code, b.label
        FROM instruments_response r
            JOIN instruments_instrumentversion v ON v.id = r.version_id
            JOIN instruments_instrument i ON i.id = v.instrument_id
            LEFT JOIN instruments_band b ON b.id = r.band_id
        WHERE r.client_id = %s AND r.completed_at IS NOT NULL AND {disclosed}
            AND NOT EXISTS (
                SELECT 1 FROM instruments_response correction
                WHERE correction.supersedes_id = r.id AND correction.completed_at IS NOT NULL
            )
        ORDER BY r.completed_at, r.id
        """,  # noqa: S608 - only placeholders and fixed SQL are formatted in
        [client.pk, *params],
    )
    series: dict[str, Series] = {}
    for completed_at, total_score, title, max_score, code, band in rows:
        if code not in series:
            series[code] = Series(code=code, title=translated(_json(title)), max_score=max_score)
        entry = series[code]
        entry.max_score = max(entry.max_score, max_score)
        entry.points.append(
            Point(
                at=sql.aware(completed_at),  # completed: never None here
                score=total_score or 0,
                band=translated(_json(band)) if band is not None else "",
            )
        )
    for entry in series.values():
        entry.place()
    return QuestionnaireOverview(series=sorted(series.values(), key=lambda s: s.code))


def _json(value: Any) -> Any:
    """A JSON column read with `core.sql`: text on both databases (as Django's JSONField reads it)."""
    return json.loads(value) if isinstance(value, str) else value


def open_alerts(client: Client, *, viewer: Membership) -> list[SafetyAlert]:
    """The client's safety alerts nobody has acknowledged, in the cases whose team the viewer is on, of
    the responses the viewer may read (an alert tells what the answers were: it is a record of the
    response's register), each with its rule and its response's enterer (a membership with its user, or
    nobody: the client's own answers). One query, none when the viewer is on no team of the client;
    written as SQL (`core.sql`): every client overview reads it."""
    teams = access.team_case_ids(viewer, client)
    if not teams:
        return []
    listed, case_ids = sql.in_list(teams)
    disclosed, params = access.disclosers(viewer, client).sql("response")
    alerts = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(SafetyAlert, "alert")}, {sql.columns(AlertRule, "rule")},
            {sql.columns(Response, "response")}, {sql.columns(Membership, "enterer")},
            {sql.columns(User, "person")}
        FROM instruments_safetyalert alert
            JOIN instruments_alertrule rule ON rule.id = alert.rule_id
            JOIN instruments_response response ON response.id = alert.response_id
            LEFT JOIN accounts_membership enterer ON enterer.id = response.entered_by_id
            LEFT JOIN accounts_user person ON person.id = enterer.user_id
        WHERE alert.client_id = %s AND alert.acknowledged_at IS NULL AND alert.case_id IN {listed}
            AND response.client_id = %s AND {disclosed}
        ORDER BY alert.raised_at, alert.id
        """,  # noqa: S608 - only column lists and placeholders are formatted in
        [client.pk, *case_ids, client.pk, *params],
    ):
        alert, rule, response, enterer, person = sql.instances(
            row, SafetyAlert, AlertRule, Response, Membership, User
        )
        if enterer is not None:
            enterer.user = person
        response.entered_by = enterer
        alert.rule = rule
        alert.response = response
        alerts.append(alert)
    return alerts


def open_alert_case_ids(*, viewer: Membership, cases: list[Case]) -> set[int]:
    """Which of these cases (the caseload's page) have a safety alert nobody has acknowledged, of a
    response the viewer may read. One query, written as SQL (core.sql): every caseload request asks it
    (and the consents, once per request, when an alert is of another organisation's response)."""
    if not cases:
        return set()
    listed, case_ids = sql.in_list(case.pk for case in cases)
    rows = sql.rows(
        "SELECT DISTINCT a.client_id, r.organisation_id, r.register, a.case_id "  # noqa: S608 - placeholders
        "FROM instruments_safetyalert a JOIN instruments_response r ON r.id = a.response_id "
        f"WHERE a.case_id IN {listed} AND a.acknowledged_at IS NULL",
        case_ids,
    )
    return {row[3] for row in access.disclosed_rows(viewer, rows)}


# --- Facts for screening rules ---------------------------------------------------------------------------


def response_facts(response: Response) -> dict[str, object]:
    """Flat facts of a completed response for the screening rules: `<code>.score`, `<code>.band`,
    `<code>.<subscale>` and `<code>.item.<link id>` (the item's score). Unscoped: the caller (a service
    acting on a response it has already been allowed to write or read) decides who sees the result."""
    if not response.is_completed:
        return {}
    code = response.version.instrument.code
    facts: dict[str, object] = {f"{code}.score": response.total_score}
    if response.band is not None:
        facts[f"{code}.band"] = response.band.code
    for subscale, value in response.subscale_scores.items():
        facts[f"{code}.{subscale}"] = value
    for link_id, value in response.item_scores.items():
        facts[f"{code}.item.{link_id}"] = value
    return facts


def latest_facts_for(client: Client, *, viewer: Membership) -> tuple[dict[str, object], dict[str, str]]:
    """The facts of the latest current response of each instrument among those the viewer may read
    (their organisation's, or another's under consent), and the register each fact comes from."""
    return _latest_facts(client, access.disclosed_records(viewer, client=client))


def latest_facts_of_organisation(
    client: Client, organisation_id: int
) -> tuple[dict[str, object], dict[str, str]]:
    """`latest_facts_for` as the organisation reads them (its own responses, others' under the client's
    consent), for screening the client's own answers in the organisation's name."""
    return _latest_facts(client, access.disclosed_to_organisation(organisation_id, client))


def _latest_facts(client: Client, disclosed: Q) -> tuple[dict[str, object], dict[str, str]]:
    latest: dict[str, Response] = {}
    for response in (
        Response.objects.current()
        .filter(client=client)
        .filter(disclosed)
        .select_related("version__instrument", "band")
        .order_by("completed_at", "id")
    ):
        latest[response.version.instrument.code] = response
    facts: dict[str, object] = {}
    registers: dict[str, str] = {}
    for response in latest.values():
        found = response_facts(response)
        facts.update(found)
        registers.update(dict.fromkeys(found, response.register))
    return facts, registers


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's completed questionnaire answers the viewer may read, corrected ones too, for the
    client's data export (clients/export.py); every one without a viewer (the client's own download)."""
    if viewer is not None and not access.sees_client(viewer, client):
        return []
    records = []
    for response in (
        Response.objects.filter(client=client, completed_at__isnull=False)
        .filter(access.disclosed_records(viewer, client=client) if viewer is not None else Q())
        .select_related("version__instrument", "band", "organisation", "entered_by__user")
        .order_by("completed_at", "id")
    ):
        title = response.version.title_text()
        band = response.band.label_text() if response.band else ""
        completed = timezone.localtime(response.completed_at) if response.completed_at else None
        records.append(
            {
                "summary": f"{date_format(completed, 'SHORT_DATE_FORMAT') if completed else ''}: {title}: "
                f"{response.total_score} ({band}), {response.organisation.display_name}",
                "instrument": response.version.instrument.code,
                "version": response.version.number,
                "title": title,
                "completed_at": completed.isoformat() if completed else None,
                "score": response.total_score,
                "band": band,
                "subscales": response.subscale_scores,
                "answers": response.answers,
                "register": response.get_register_display(),
                "organisation": response.organisation.display_name,
                "entered_by": str(response.entered_by.user) if response.entered_by else "",
                "corrects_an_earlier_answer": response.supersedes_id is not None,
            }
        )
    return records
