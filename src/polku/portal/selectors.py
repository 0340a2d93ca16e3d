"""What the client reads in their own Polku: always their own records, found from the client (never
from an id in the address alone), so another client's ids cannot reach anything."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation
from polku.audit.models import AuditEvent, AuditSeal
from polku.clients import access
from polku.clients import selectors as client_selectors
from polku.clients.models import Case, CaseTeamMember, Client, Consent
from polku.core import sql
from polku.instruments import selectors as instrument_selectors
from polku.plans import selectors as plan_selectors
from polku.plans.models import (
    Goal,
    GoalRating,
    PlanAction,
    PlanReview,
    PlanVersion,
    PlanVersionStatus,
    Responsible,
    ServicePlan,
)
from polku.portal.models import (
    ActionMark,
    FeedbackGiven,
    FeedbackOccasion,
    GoalSelfRating,
    Message,
    QuestionnaireRequest,
    ServiceFeedback,
)


def signed_in_client(public_id: str | None) -> Client | None:
    """The client of a portal session (the session holds only the public id)."""
    if not public_id:
        return None
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    return Client.objects.select_related("municipality").filter(public_id=key).first()


def open_cases(client: Client) -> list[Case]:
    return list(
        Case.objects.filter(client=client, closed_on__isnull=True)
        .select_related("unit__organisation", "personal_worker__user", "personal_worker__unit__organisation")
        .order_by("-opened_on", "-id")
    )


def home(client: Client) -> dict[str, Any]:
    """My personal workers (with how to reach them) and the next review or planned step of each case."""
    cases = open_cases(client)
    reviews = {
        plan.case_id: plan.next_review_on
        for plan in ServicePlan.objects.filter(case__in=cases, next_review_on__isnull=False)
    }
    today = timezone.localdate()
    rows = [
        {
            "case": case,
            "worker": case.personal_worker,
            "next_review_on": reviews.get(case.pk),
            "next_step": case.next_step,
            "next_step_on": case.next_step_on if case.next_step_on and case.next_step_on >= today else None,
        }
        for case in cases
    ]
    since = timezone.now() - timedelta(days=14)
    team_messages = Message.objects.filter(client=client, author__isnull=False, at__gte=since).count()
    return {"cases": rows, "team_messages": team_messages}


def consents(client: Client) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(client=client)
        .select_related("discloser", "recipient")
        .order_by("revoked_on", "-valid_from", "-id")
    )


def consent(client: Client, public_id: uuid.UUID) -> tuple[Consent | None, Consent | None]:
    """(the client's own consent, or None; another client's consent with that id, or None): the view
    audits the second as a refusal."""
    found = Consent.objects.select_related("client").filter(public_id=public_id).first()
    if found is None:
        return None, None
    return (found, None) if found.client_id == client.pk else (None, found)


ACCESS_LOG_DAYS = 2 * 365 + 1
ACCESS_LOG_PAGE = 50


def access_log(client: Client) -> QuerySet[AuditEvent]:
    """Every reading and change of the client's data in the last two years, newest first: the staff
    access report's own selector (`clients.selectors.access_report`), so the client sees exactly what
    staff would, with whatever it adds (the access basis)."""
    since = timezone.now() - timedelta(days=ACCESS_LOG_DAYS)
    return client_selectors.access_report(client).filter(at__gte=since)


def access_log_page(client: Client, cursor: str = "") -> tuple[list[AuditEvent], str]:
    """One page of the access log by keyset (`cursor`: the last shown event's time and id), with the
    next page's cursor ("" on the last page): no count and no offset, so a client with thousands of
    events in a table of millions pays the same for every page."""
    events = access_log(client)
    at, pk = _cursor(cursor)
    if at is not None:
        events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    rows = list(events[: ACCESS_LOG_PAGE + 1])
    more = len(rows) > ACCESS_LOG_PAGE
    rows = rows[:ACCESS_LOG_PAGE]
    return rows, (f"{rows[-1].at.timestamp():.6f}_{rows[-1].pk}" if more else "")


def _cursor(value: str) -> tuple[datetime | None, int]:
    try:
        stamp, pk = value.split("_")
        return datetime.fromtimestamp(float(stamp), tz=UTC), int(pk)
    except ValueError:
        return None, 0


def chain_check(events: list[AuditEvent]) -> dict[str, Any]:
    """Whether the listed events are intact, without walking the whole chain: each event's keyed hash
    matches its contents (the key is not in the database, so an edited row cannot carry a valid hash)
    and its seal links it into the chain (the seal's hash covers the previous seal's and the event's).
    Events written in the last minute may not be sealed yet. `manage.py verify_audit` walks the whole
    chain against the signed checkpoints; this is the part of it that concerns this client."""
    seals = {seal.event_id: seal for seal in AuditSeal.objects.filter(event_id__in=[e.pk for e in events])}
    broken, pending = [], 0
    for event in events:
        seal = seals.get(event.pk)
        if not event.has_keyed_hash() and event.hash != event.compute_unkeyed_hash():
            broken.append(event.pk)
        elif seal is None:
            pending += 1
        elif seal.hash != AuditSeal.link(seal.prev_hash, event.hash):
            broken.append(event.pk)
    return {"checked": len(events), "broken": broken, "pending": pending, "ok": not broken}


def agreed_plans(client: Client) -> list[dict[str, Any]]:
    """My agreed plans (the newest agreed version of each open case's plan) with goals, GAS levels, the
    worker's review ratings and my own ratings, and the actions with who does them and my marks."""
    plans = list(
        ServicePlan.objects.filter(client=client, case__closed_on__isnull=True).select_related("case__unit")
    )
    result = []
    for plan in plans:
        version = (
            PlanVersion.objects.filter(plan=plan, status=PlanVersionStatus.AGREED)
            .prefetch_related("goals", "goals__actions")  # both ordered by position (their Meta)
            .order_by("-number")
            .first()
        )
        if version is None:
            continue
        ratings: dict[Any, list[tuple[Any, int]]] = {}
        for rating in (
            GoalRating.objects.filter(review__plan=plan)
            .select_related("goal", "review")
            .order_by("review__held_on", "review_id")
        ):
            ratings.setdefault(rating.goal.key, []).append((rating.review.held_on, rating.level))
        mine: dict[Any, GoalSelfRating] = {
            row.goal_key: row for row in GoalSelfRating.objects.filter(plan=plan, client=client)
        }
        marks: dict[Any, ActionMark] = {
            row.action_key: row for row in ActionMark.objects.filter(plan=plan, client=client)
        }
        progress = plan_selectors.current_progress(plan)
        goals = []
        for goal in version.goals.all():
            actions = [
                {
                    "action": action,
                    "mine": action.responsible == Responsible.CLIENT,
                    "progress": progress.get(action.key),
                    "mark": marks.get(action.key),
                }
                for action in goal.actions.all()
            ]
            goals.append(
                {
                    "goal": goal,
                    "ratings": ratings.get(goal.key, []),
                    "mine": mine.get(goal.key),
                    "actions": actions,
                }
            )
        result.append({"plan": plan, "version": version, "goals": goals})
    return result


def own_action(client: Client, public_id: uuid.UUID) -> tuple[PlanAction | None, Any]:
    """(my action of an agreed version given to me, None), or (None, the owner client of another's)."""
    action = (
        PlanAction.objects.select_related("goal__version__plan__client").filter(public_id=public_id).first()
    )
    if action is None:
        return None, None
    plan = action.goal.version.plan
    if plan.client_id != client.pk:
        return None, plan.client
    if not action.goal.version.is_agreed or action.responsible != Responsible.CLIENT:
        return None, client
    return action, None


def own_goal(client: Client, public_id: uuid.UUID) -> tuple[Goal | None, Any]:
    goal = Goal.objects.select_related("version__plan__client").filter(public_id=public_id).first()
    if goal is None:
        return None, None
    if goal.version.plan.client_id != client.pk:
        return None, goal.version.plan.client
    if not goal.version.is_agreed:
        return None, client
    return goal, None


def newest_unit(client: Client) -> Any:
    """The unit of the client's newest case (the PDF's heading), or None."""
    case = (
        Case.objects.filter(client=client)
        .select_related("unit__organisation")
        .order_by("-opened_on", "-id")
        .first()
    )
    return case.unit if case else None


def messages_of(client: Client) -> QuerySet[Message]:
    """My messages with my teams, newest first."""
    return (
        Message.objects.filter(client=client)
        .select_related("author__user", "case__unit")
        .order_by("-at", "-id")
    )


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
        PlanVersion.objects.filter(plan__case=current_case, status=PlanVersionStatus.DRAFT)
        .order_by("-number")
        .first()
        if current_case is not None and permissions.can(viewer, "plan.edit", current_case)
        else None
    )
    # The answers are records of the case unit's organisation (of the instrument's register): only that
    # organisation's team members see the requests and ask new ones.
    own = viewer.unit.organisation_id
    requests = list(
        QuestionnaireRequest.objects.filter(client=client, case_id__in=teams, case__unit__organisation_id=own)
        .select_related("version", "response__band")
        .order_by("-requested_at", "-id")[:10]
    )
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


# The panel's three lists of the client's own words are read as SQL (`core.sql`): every overview a team
# member opens reads them, and built by the ORM they cost the page more than the rest of the panel.
PANEL_ROWS = 10


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


SMALL_NUMBER = 5  # fewer answers than this are not shown as figures


def feedback_waiting(client: Client) -> dict[str, Any] | None:
    """The newest occasion the client has not given feedback on: an agreed plan version, a review or a
    closed case (the newest first), or None."""
    given = set(FeedbackGiven.objects.filter(client=client).values_list("case_id", "occasion", "key"))
    for case in (
        Case.objects.filter(client=client).select_related("unit__organisation").order_by("-opened_on", "-id")
    ):
        if case.closed_on and (case.pk, FeedbackOccasion.CASE_CLOSED, str(case.public_id)) not in given:
            return {"case": case, "occasion": FeedbackOccasion.CASE_CLOSED, "key": str(case.public_id)}
        review = PlanReview.objects.filter(plan__case=case).order_by("-held_on", "-id").first()
        if review and (case.pk, FeedbackOccasion.REVIEW, str(review.public_id)) not in given:
            return {"case": case, "occasion": FeedbackOccasion.REVIEW, "key": str(review.public_id)}
        version = (
            PlanVersion.objects.filter(plan__case=case, status=PlanVersionStatus.AGREED)
            .order_by("-number")
            .first()
        )
        if version and (case.pk, FeedbackOccasion.PLAN_AGREED, str(version.public_id)) not in given:
            return {"case": case, "occasion": FeedbackOccasion.PLAN_AGREED, "key": str(version.public_id)}
    return None


def feedback_summary(organisation_id: int) -> list[dict[str, Any]]:
    """The organisation's feedback by occasion, for the insights: averages and shares only where at least
    SMALL_NUMBER clients answered (smaller groups show only that there were too few answers)."""
    rows = (
        ServiceFeedback.objects.filter(organisation_id=organisation_id)
        .values("occasion")
        .annotate(
            answers=Count("id"),
            heard=Avg("heard"),
            useful=Avg("useful"),
            knew=Avg(Cast("knew_responsible", IntegerField())),
        )
        .order_by("occasion")
    )
    return [
        row if row["answers"] >= SMALL_NUMBER else {"occasion": row["occasion"], "answers": None}
        for row in rows
    ]


def questionnaires_waiting(client: Client) -> list[QuestionnaireRequest]:
    """The questionnaires the team has asked me to fill in and I have not submitted yet (open cases)."""
    return list(
        QuestionnaireRequest.objects.filter(
            client=client, completed_at__isnull=True, case__closed_on__isnull=True
        )
        .select_related("version", "response")
        .order_by("requested_at", "id")
    )


def questionnaire_request(
    client: Client, public_id: uuid.UUID
) -> tuple[QuestionnaireRequest | None, QuestionnaireRequest | None]:
    """(my own request, or None; another client's request with that id, or None): the view audits the
    second as a refusal."""
    found = (
        QuestionnaireRequest.objects.select_related("client", "case", "version", "response")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        return None, None
    return (found, None) if found.client_id == client.pk else (None, found)


def plans_to_agree(client: Client) -> list[PlanVersion]:
    """Draft plan versions of my open cases that my team has asked me to agree."""
    return list(
        PlanVersion.objects.filter(
            plan__client=client,
            plan__case__closed_on__isnull=True,
            status=PlanVersionStatus.DRAFT,
            client_asked_at__isnull=False,
        )
        .select_related("plan__case__unit")
        .order_by("client_asked_at", "id")
    )


def plan_version_to_agree(client: Client, public_id: uuid.UUID) -> tuple[PlanVersion | None, Any]:
    """(my draft version the team asked me to agree, with its goals and actions, None), or (None, the
    owner client of another client's version, for the audited refusal), or (None, None)."""
    version = (
        PlanVersion.objects.select_related("plan__client", "plan__case__unit")
        .prefetch_related("goals", "goals__actions")
        .filter(public_id=public_id)
        .first()
    )
    if version is None:
        return None, None
    if version.plan.client_id != client.pk:
        return None, version.plan.client
    if version.status != PlanVersionStatus.DRAFT or version.client_asked_at is None:
        return None, None
    return version, None


def plan_version_for_staff(public_id: uuid.UUID) -> PlanVersion:
    """The version a staff address names; the view then scopes its case to the viewer (`case_for`)."""
    version = PlanVersion.objects.select_related("plan__case__client").filter(public_id=public_id).first()
    if version is None:
        raise Http404
    return version


def consent_organisations(client: Client) -> list[Organisation]:
    """The organisations working with me now (my open cases' units and their team members'
    organisations): those I can give a consent between in my own Polku."""
    cases = Case.objects.filter(client=client, closed_on__isnull=True)
    ids = set(cases.values_list("unit__organisation_id", flat=True)) | set(
        CaseTeamMember.objects.filter(case__in=cases, ended_on__isnull=True).values_list(
            "membership__unit__organisation_id", flat=True
        )
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
