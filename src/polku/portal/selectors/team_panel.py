"""The team's side: the client overview's panel of the client's messages, ratings, marks and requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import access
from polku.clients.models import Case, Client
from polku.core import sql
from polku.instruments import selectors as instrument_selectors
from polku.instruments.models import Band, InstrumentVersion, Response
from polku.plans.models import PlanVersion, PlanVersionStatus
from polku.portal.models import QuestionnaireRequest

__all__ = ["PanelMark", "PanelMessage", "PanelRating", "panel"]


def panel(client: Client, current_case: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The client overview's panel for a team member (`portal.message.view`): the messages with the
    client on the cases whose team the viewer is on now, and the client's own goal ratings and action
    marks on those cases' plans. Three queries (the goals' and actions' texts only when there are some)."""
    if not permissions.can(viewer, "portal.message.view", client):
        return None
    # The cases whose team the viewer is on now, as plain ids (read once a request, `access.team_case_ids`).
    teams = access.team_case_ids(viewer, client)
    messages = _panel_messages(client, teams)
    ratings = _panel_ratings(client, teams)
    marks = _panel_marks(client, teams)
    can_answer = current_case is not None and permissions.can(viewer, "portal.message.send", current_case)
    draft = (
        plan_draft(current_case)
        if current_case is not None and permissions.can(viewer, "plan.edit", current_case)
        else None
    )
    # The answers are records of the case unit's organisation (of the instrument's register): only that
    # organisation's team members see the requests and ask new ones.
    own = viewer.unit.organisation_id
    requests = questionnaire_requests(client, teams, organisation_id=own)
    can_request = (
        current_case is not None
        and current_case.unit.organisation_id == own
        and permissions.can(viewer, "portal.questionnaire.request", current_case)
    )
    return {
        "portal_requests": requests,
        "portal_plan_draft": draft,
        "portal_instruments": instrument_selectors.published_versions() if can_request else [],
        "portal_request_case": current_case if can_request else None,
        "portal_messages": messages,
        "portal_ratings": ratings,
        "portal_marks": marks,
        "portal_case": current_case if can_answer else None,
    }


# The panel's reads are SQL (`core.sql`): every overview a team member opens reads them, and built by the
# ORM they cost the page more than the rest of the panel (1-2 ms of CPU each, bench/README.md).
PANEL_ROWS = 10


def plan_draft(case: Case) -> PlanVersion | None:
    """The newest draft version of the case's service plan, if there is one; one query."""
    found = sql.rows(
        f"""
        SELECT {sql.columns(PlanVersion, "version")} FROM plans_planversion version
        JOIN plans_serviceplan plan ON plan.id = version.plan_id
        WHERE plan.case_id = %s AND version.status = %s
        ORDER BY version.number DESC, version.id
        LIMIT 1
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [case.pk, PlanVersionStatus.DRAFT.value],
    )
    return sql.instances(found[0], PlanVersion)[0] if found else None


def questionnaire_requests(
    client: Client, case_ids: list[int], *, organisation_id: int
) -> list[QuestionnaireRequest]:
    """The newest questionnaire requests to the client on these cases of units of the organisation, each
    with its instrument version and the client's response (and its band) when there is one; one query."""
    listed, ids = sql.in_list(case_ids)
    requests = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(QuestionnaireRequest, "request")}, {sql.columns(InstrumentVersion, "version")},
            {sql.columns(Response, "response")}, {sql.columns(Band, "band")}
        FROM portal_questionnairerequest request
        JOIN clients_case c ON c.id = request.case_id
        JOIN accounts_unit unit ON unit.id = c.unit_id
        JOIN instruments_instrumentversion version ON version.id = request.version_id
        LEFT JOIN instruments_response response ON response.id = request.response_id
        LEFT JOIN instruments_band band ON band.id = response.band_id
        WHERE request.client_id = %s AND request.case_id IN {listed} AND unit.organisation_id = %s
        ORDER BY request.requested_at DESC, request.id DESC
        LIMIT %s
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, *ids, organisation_id, PANEL_ROWS],
    ):
        request, version, response, band = sql.instances(
            row, QuestionnaireRequest, InstrumentVersion, Response, Band
        )
        request.version = version
        if response is not None:
            response.band = band
            request.response = response
        requests.append(request)
    return requests


@dataclass(frozen=True)
class PanelMessage:
    at: datetime
    from_client: bool
    author_name: str  # the team member's name; "" for the client's own messages
    text: str


@dataclass(frozen=True)
class PanelRating:
    at: datetime
    goal_text: str
    level: int
    note: str


@dataclass(frozen=True)
class PanelMark:
    at: datetime
    action_text: str
    done: bool
    comment: str


def _panel_messages(client: Client, case_ids: list[int]) -> list[PanelMessage]:
    """The newest messages on these cases of the client, with their authors' names; one query."""
    listed, ids = sql.in_list(case_ids)
    return [
        PanelMessage(
            at=sql.aware(at),
            from_client=author_id is None,
            author_name=f"{first_name or ''} {last_name or ''}".strip(),
            text=text,
        )
        for at, author_id, text, first_name, last_name in sql.rows(
            f"""
            SELECT message.at, message.author_id, message.text, person.first_name, person.last_name
            FROM portal_message message
            LEFT JOIN accounts_membership author ON author.id = message.author_id
            LEFT JOIN accounts_user person ON person.id = author.user_id
            WHERE message.client_id = %s AND message.case_id IN {listed}
            ORDER BY message.at DESC, message.id DESC
            LIMIT %s
            """,  # noqa: S608 - fixed SQL, the values are parameters
            [client.pk, *ids, PANEL_ROWS],
        )
    ]


def _panel_ratings(client: Client, case_ids: list[int]) -> list[PanelRating]:
    """The client's newest goal ratings on these cases, with the goals' texts (a goal keeps its key
    across plan versions: the newest version's text); one query, two when there are ratings."""
    listed, ids = sql.in_list(case_ids)
    rows = sql.rows(
        f"""
        SELECT rating.at, rating.goal_key, rating.level, rating.note FROM portal_goalselfrating rating
        WHERE rating.client_id = %s AND rating.case_id IN {listed}
        ORDER BY rating.at DESC, rating.id DESC
        LIMIT %s
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, *ids, PANEL_ROWS],
    )
    texts = _texts_by_key("SELECT key, text FROM plans_goal WHERE key IN {} ORDER BY id", rows)
    return [
        PanelRating(at=sql.aware(at), goal_text=texts.get(key, ""), level=level, note=note)
        for at, key, level, note in rows
    ]


def _panel_marks(client: Client, case_ids: list[int]) -> list[PanelMark]:
    """The client's newest marks on their plans' actions on these cases, with the actions' texts (the
    newest version's); one query, two when there are marks."""
    listed, ids = sql.in_list(case_ids)
    rows = sql.rows(
        f"""
        SELECT mark.at, mark.action_key, mark.done, mark.comment FROM portal_actionmark mark
        WHERE mark.client_id = %s AND mark.case_id IN {listed}
        ORDER BY mark.at DESC, mark.id DESC
        LIMIT %s
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, *ids, PANEL_ROWS],
    )
    texts = _texts_by_key("SELECT key, what FROM plans_planaction WHERE key IN {} ORDER BY id", rows)
    return [
        PanelMark(at=sql.aware(at), action_text=texts.get(key, ""), done=bool(done), comment=comment)
        for at, key, done, comment in rows
    ]


def _texts_by_key(statement: str, rows: list[tuple[Any, ...]]) -> dict[Any, str]:
    """The texts of the keys in the rows' second column, by key as the database returns it (so that the
    keys go back as they came, on SQLite and PostgreSQL alike); no query when there are no rows."""
    if not rows:
        return {}
    listed, keys = sql.in_list({row[1] for row in rows})
    return {key: text for key, text in sql.rows(statement.format(listed), keys)}
