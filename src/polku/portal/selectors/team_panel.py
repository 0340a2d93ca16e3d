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
    marks on those cases' plans. One query for the three lists (the goals' and actions' texts in one more
    each when there are some), one for the requests, one for the draft plan and one for the
    questionnaires the viewer may ask."""
    if not permissions.can(viewer, "portal.message.view", client):
        return None
    # The cases whose team the viewer is on now, as plain ids (read once a request, `access.team_case_ids`).
    teams = access.team_case_ids(viewer, client)
    messages, ratings, marks = panel_lists(client, teams)
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


def panel_lists(
    client: Client, case_ids: list[int]
) -> tuple[list[PanelMessage], list[PanelRating], list[PanelMark]]:
    """The newest messages on these cases of the client (with their authors' names), the client's newest
    goal ratings and action marks on them (with the goals' and actions' texts: a goal or an action keeps
    its key across plan versions, the newest version's text is shown). The three lists are read in one
    statement, each of its parts as its own ordered and limited select: most clients have none of them,
    and three statements cost the overview 0.3 ms more CPU than one (bench/README.md). One query, and one
    more for the goals' texts and one for the actions' when there are ratings or marks."""
    listed, ids = sql.in_list(case_ids)
    found = sql.rows(
        f"""
        SELECT * FROM (
            SELECT 'message', message.at, message.id, message.author_id, message.text,
                person.first_name, person.last_name,
                CAST(NULL AS uuid), CAST(NULL AS smallint), CAST(NULL AS boolean)
            FROM portal_message message
            LEFT JOIN accounts_membership author ON author.id = message.author_id
            LEFT JOIN accounts_user person ON person.id = author.user_id
            WHERE message.client_id = %s AND message.case_id IN {listed}
            ORDER BY message.at DESC, message.id DESC
            LIMIT %s
        ) messages
        UNION ALL
        SELECT * FROM (
            SELECT 'rating', rating.at, rating.id, CAST(NULL AS bigint), rating.note,
                CAST(NULL AS varchar), CAST(NULL AS varchar), rating.goal_key, rating.level,
                CAST(NULL AS boolean)
            FROM portal_goalselfrating rating
            WHERE rating.client_id = %s AND rating.case_id IN {listed}
            ORDER BY rating.at DESC, rating.id DESC
            LIMIT %s
        ) ratings
        UNION ALL
        SELECT * FROM (
            SELECT 'mark', mark.at, mark.id, CAST(NULL AS bigint), mark.comment,
                CAST(NULL AS varchar), CAST(NULL AS varchar), mark.action_key, CAST(NULL AS smallint),
                mark.done
            FROM portal_actionmark mark
            WHERE mark.client_id = %s AND mark.case_id IN {listed}
            ORDER BY mark.at DESC, mark.id DESC
            LIMIT %s
        ) marks
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [*(value for _part in range(3) for value in (client.pk, *ids, PANEL_ROWS))],
    )
    # Each part in its own order again: UNION ALL keeps no order between or within its parts. The NULLs
    # are cast to their columns' types, which PostgreSQL cannot infer for a NULL inside a subquery.
    found.sort(key=lambda row: (row[1], row[2]), reverse=True)
    by_part: dict[str, list[tuple[Any, ...]]] = {"message": [], "rating": [], "mark": []}
    for row in found:
        by_part[row[0]].append(row)
    goals = _texts_by_key("SELECT key, text FROM plans_goal WHERE key IN {} ORDER BY id", by_part["rating"])
    actions = _texts_by_key(
        "SELECT key, what FROM plans_planaction WHERE key IN {} ORDER BY id", by_part["mark"]
    )
    messages = [
        PanelMessage(
            at=sql.aware(at),
            from_client=author_id is None,
            author_name=f"{first_name or ''} {last_name or ''}".strip(),
            text=text,
        )
        for _part, at, _id, author_id, text, first_name, last_name, _key, _level, _done in by_part["message"]
    ]
    ratings = [
        PanelRating(at=sql.aware(at), goal_text=goals.get(key, ""), level=level, note=note)
        for _part, at, _id, _author, note, _first, _last, key, level, _done in by_part["rating"]
    ]
    marks = [
        PanelMark(at=sql.aware(at), action_text=actions.get(key, ""), done=bool(done), comment=comment)
        for _part, at, _id, _author, comment, _first, _last, key, _level, done in by_part["mark"]
    ]
    return messages, ratings, marks


def _texts_by_key(statement: str, rows: list[tuple[Any, ...]]) -> dict[Any, str]:
    """The texts of the keys in the rows' eighth column, by key as the database returns it (so that the
    keys go back as they came, on SQLite and PostgreSQL alike); no query when there are no rows."""
    if not rows:
        return {}
    listed, keys = sql.in_list({row[7] for row in rows})
    return {key: text for key, text in sql.rows(statement.format(listed), keys)}
