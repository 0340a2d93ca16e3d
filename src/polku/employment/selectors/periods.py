"""Periods, the caseload and its flags, and the coaches' load: a client's records through the
relationship and the consent rule (`clients.access`), computed in SQL so that a page costs a fixed
number of queries whatever its size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, Role, User
from polku.clients import access
from polku.clients.models import Case, Client
from polku.core import sql
from polku.employment.models import (
    ACTIVE_PHASES,
    CASELOAD_LIMIT_PER_FTE,
    EMPLOYER_CONTACTS_PER_WEEK,
    FOLLOW_ALONG_GAP_DAYS,
    RAPID_SEARCH_DAYS,
    BenefitsCounselling,
    CoachProfile,
    EmployerContact,
    FollowAlong,
    IpsPeriod,
    Job,
    Phase,
)

PAGE_SIZE = 25


# --- A client's IPS period --------------------------------------------------------------------------


def period_for(*, viewer: Membership, public_id: uuid.UUID | str, action: str = "ips.view") -> IpsPeriod:
    """The period if the viewer may do `action` on it; otherwise the refusal is audited and it is a 404."""
    period = (
        IpsPeriod.objects.select_related("client", "case__unit__organisation", "organisation", "coach__user")
        .filter(public_id=public_id)
        .first()
    )
    if period is None:
        raise Http404
    permissions.require(viewer, action, period, hide=True)
    return period


def periods_of(client: Client, *, viewer: Membership) -> list[IpsPeriod]:
    """The client's IPS periods the viewer may read: their organisation's, or another's under consent;
    newest first, each with its coach (and the coach's user) and organisation. One query, written as SQL
    (`core.sql`): the client overview reads it on every request, and the ORM took longer to build it than
    PostgreSQL to run it (bench/README.md). The rule is `access.disclosed_records`' for one client."""
    if not (access.works_with_clients(viewer) and access.sees_client(viewer, client)):
        return []
    disclosed, disclosed_params = access.disclosers(viewer, client).sql("period")
    periods = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(IpsPeriod, "period")}, {sql.columns(Membership, "coach")},
            {sql.columns(User, "person")}, {sql.columns(Organisation, "org")}
        FROM employment_ipsperiod period
        JOIN accounts_membership coach ON coach.id = period.coach_id
        JOIN accounts_user person ON person.id = coach.user_id
        JOIN accounts_organisation org ON org.id = period.organisation_id
        WHERE period.client_id = %s AND {disclosed}
        ORDER BY period.entered_on DESC, period.id DESC
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, *disclosed_params],
    ):
        period, coach, person, organisation = sql.instances(row, IpsPeriod, Membership, User, Organisation)
        coach.user = person
        period.coach = coach
        period.organisation = organisation
        periods.append(period)
    return periods


def panel(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The client overview's IPS panel: the periods the viewer may read and the entry action."""
    if not access.works_with_clients(viewer):
        return None
    periods = periods_of(client, viewer=viewer)
    can_enter = bool(
        current
        and permissions.can(viewer, "ips.enter", current)
        and not any(p.closed_on is None and p.organisation_id == viewer.unit.organisation_id for p in periods)
    )
    return {"periods": periods, "client": client, "current": current, "can_enter": can_enter}


def coaches_of(organisation_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(role=Role.JOB_COACH, unit__organisation_id=organisation_id)
        .select_related("user", "unit")
    )


# --- Flags -------------------------------------------------------------------------------------------


def _flag_annotations(today: date) -> dict[str, Any]:
    """The caseload's three flags as boolean expressions on IpsPeriod:
    - rapid job search: in engagement or job search for 30 days or more, without any employer contact
      on the client's behalf yet (IPS-25 item 15);
    - follow-along: working, and neither a follow-along contact nor a job start in the last 30 days
      (item 23);
    - benefits counselling: a job started without benefits counselling offered on or before its start
      (item 12)."""
    contact = EmployerContact.job_seekers.through.objects.filter(ipsperiod_id=OuterRef("pk"))
    recent_follow = FollowAlong.objects.filter(
        period=OuterRef("pk"), on__gte=today - timedelta(days=FOLLOW_ALONG_GAP_DAYS)
    )
    recent_start = Job.objects.filter(
        period=OuterRef("pk"), starts_on__gte=today - timedelta(days=FOLLOW_ALONG_GAP_DAYS)
    )
    offered_before = BenefitsCounselling.objects.filter(
        period=OuterRef("period"), offered_on__lte=OuterRef("starts_on")
    )
    uncounselled_start = Job.objects.filter(period=OuterRef("pk")).filter(~Exists(offered_before))
    return {
        "no_employer_contact": Q(
            phase__in=[Phase.ENGAGEMENT, Phase.JOB_SEARCH],
            entered_on__lte=today - timedelta(days=RAPID_SEARCH_DAYS),
        )
        & ~Exists(contact),
        "no_follow_along": Q(phase=Phase.WORKING) & ~Exists(recent_follow) & ~Exists(recent_start),
        "no_benefits_counselling": Exists(uncounselled_start),
    }


def _with_flags(periods: QuerySet[IpsPeriod]) -> QuerySet[IpsPeriod]:
    from django.db.models import BooleanField, ExpressionWrapper

    flags = _flag_annotations(timezone.localdate())
    return periods.annotate(
        **{
            name: ExpressionWrapper(expression, output_field=BooleanField())
            for name, expression in flags.items()
        }
    )


def flagged_cases(viewer: Membership, cases: list[Case]) -> set[int]:
    """Which of the personal worker's caseload page's cases have an open IPS period with a flag
    (`_flag_annotations`: the same three rules), in one query, of the periods the viewer may read
    (`access.disclosed_records_sql`). Written as SQL (`core.sql`): every caseload request asks it, and
    built by the ORM its subqueries cost the page 3 ms of CPU (bench/README.md)."""
    if not cases:
        return set()
    today = timezone.localdate()
    since = today - timedelta(days=FOLLOW_ALONG_GAP_DAYS)
    listed, case_ids = sql.in_list(case.pk for case in cases)
    disclosed, disclosed_params = access.disclosed_records_sql(viewer, "period")
    rows = sql.rows(
        f"""
        SELECT DISTINCT period.case_id FROM employment_ipsperiod period
        WHERE period.case_id IN {listed} AND period.closed_on IS NULL AND {disclosed}
            AND (
                period.phase IN (%s, %s) AND period.entered_on <= %s AND NOT EXISTS (
                    SELECT 1 FROM employment_employercontact_job_seekers seeker
                    WHERE seeker.ipsperiod_id = period.id
                )
                OR period.phase = %s
                    AND NOT EXISTS (
                        SELECT 1 FROM employment_followalong follow
                        WHERE follow.period_id = period.id AND follow."on" >= %s
                    )
                    AND NOT EXISTS (
                        SELECT 1 FROM employment_job job
                        WHERE job.period_id = period.id AND job.starts_on >= %s
                    )
                OR EXISTS (
                    SELECT 1 FROM employment_job job
                    WHERE job.period_id = period.id AND NOT EXISTS (
                        SELECT 1 FROM employment_benefitscounselling counselling
                        WHERE counselling.period_id = job.period_id
                            AND counselling.offered_on <= job.starts_on
                    )
                )
            )
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [
            *case_ids,
            *disclosed_params,
            Phase.ENGAGEMENT.value,
            Phase.JOB_SEARCH.value,
            today - timedelta(days=RAPID_SEARCH_DAYS),
            Phase.WORKING.value,
            since,
            since,
        ],
    )
    return {case_id for (case_id,) in rows}


# --- The coach's caseload -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """A coach's active caseload (job search + working) against the limit of 20 per full-time coach."""

    active: int
    fte: Decimal
    by_phase: dict[str, int] = field(default_factory=dict)

    @property
    def limit(self) -> int:
        return int(CASELOAD_LIMIT_PER_FTE * self.fte)

    @property
    def over(self) -> bool:
        return self.active > self.limit


def coach_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Membership:
    """A job coach whose share of full time the viewer may set: themselves, or as a manager any job
    coach of their organisation; anyone else is a 404 (audited)."""
    coach = (
        Membership.objects.select_related("user", "unit")
        .filter(public_id=public_id, role=Role.JOB_COACH)
        .first()
    )
    allowed = coach is not None and (
        coach.pk == viewer.pk
        or (viewer.has_role(Role.MANAGER) and coach.unit.organisation_id == viewer.unit.organisation_id)
    )
    if not allowed:
        permissions.refuse(viewer, "ips.unit", coach, hide=True)
    assert coach is not None
    return coach


def fte_of(membership: Membership) -> Decimal:
    profile = CoachProfile.objects.filter(membership=membership).first()
    return profile.fte if profile is not None else Decimal("1.00")


def load_of(coach: Membership) -> Load:
    counts = dict(
        IpsPeriod.objects.filter(coach=coach, closed_on__isnull=True)
        .values_list("phase")
        .annotate(n=Count("id"))
        .values_list("phase", "n")
    )
    active = sum(counts.get(phase, 0) for phase in ACTIVE_PHASES)
    return Load(active=active, fte=fte_of(coach), by_phase=counts)


def caseload(*, viewer: Membership, phase: str = "") -> QuerySet[IpsPeriod]:
    """The coach's IPS clients (open periods; `phase` narrows, "closed" shows the closed ones), each
    with its flags, the clients the coach may see now only."""
    periods = IpsPeriod.objects.filter(coach=viewer, organisation_id=viewer.unit.organisation_id).filter(
        access.client_relationship(viewer, client_field="client")
    )
    if phase == Phase.CLOSED:
        periods = periods.filter(phase=Phase.CLOSED)
    elif phase in Phase.values:
        periods = periods.filter(phase=phase)
    else:
        periods = periods.filter(closed_on__isnull=True)
    return (
        _with_flags(periods)
        .select_related("client")
        .order_by("client__last_name", "client__first_names", "id")
    )


@dataclass(frozen=True)
class CoachRow:
    coach: Membership
    load: Load
    contacts_last_week: int

    @property
    def contacts_short(self) -> bool:
        return self.contacts_last_week < EMPLOYER_CONTACTS_PER_WEEK


def unit_coaches(*, viewer: Membership) -> list[CoachRow]:
    """Each job coach of the viewer's organisation with their active caseload against the limit and
    their face-to-face employer contacts last week (Monday to Sunday): counts only, no client. Three
    queries whatever the number of coaches."""
    coaches = list(coaches_of(viewer.unit.organisation_id).order_by("user__last_name", "user__first_name"))
    ids = [coach.pk for coach in coaches]
    ftes = dict(CoachProfile.objects.filter(membership_id__in=ids).values_list("membership_id", "fte"))
    counts: dict[int, dict[str, int]] = {}
    for coach_id, phase, n in (
        IpsPeriod.objects.filter(coach_id__in=ids, closed_on__isnull=True)
        .values_list("coach_id", "phase")
        .annotate(n=Count("id"))
        .values_list("coach_id", "phase", "n")
    ):
        counts.setdefault(coach_id, {})[phase] = n
    monday, sunday = last_week()
    contacts = dict(
        EmployerContact.objects.filter(coach_id__in=ids, face_to_face=True, on__gte=monday, on__lte=sunday)
        .values_list("coach_id")
        .annotate(n=Count("id"))
        .values_list("coach_id", "n")
    )
    rows = []
    for coach in coaches:
        by_phase = counts.get(coach.pk, {})
        load = Load(
            active=sum(by_phase.get(p, 0) for p in ACTIVE_PHASES),
            fte=ftes.get(coach.pk, Decimal("1.00")),
            by_phase=by_phase,
        )
        rows.append(CoachRow(coach=coach, load=load, contacts_last_week=contacts.get(coach.pk, 0)))
    return rows


def last_week(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def contacts_per_week(
    coach: Membership, *, weeks: int = 4, today: date | None = None
) -> list[tuple[date, int]]:
    """The coach's face-to-face employer contacts in each of the last `weeks` full weeks, oldest first."""
    monday, _ = last_week(today)
    first = monday - timedelta(days=7 * (weeks - 1))
    days = list(
        EmployerContact.objects.filter(
            coach=coach, face_to_face=True, on__gte=first, on__lte=monday + timedelta(days=6)
        ).values_list("on", flat=True)
    )
    return [
        (start, sum(1 for d in days if start <= d < start + timedelta(days=7)))
        for start in (first + timedelta(days=7 * n) for n in range(weeks))
    ]
