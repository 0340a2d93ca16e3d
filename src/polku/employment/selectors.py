"""Every read of IPS data, scoped to the viewer: a client's IPS records through the client
relationship and the consent rule (`clients.access`), the employer side through the viewer's
organisation. Flags and counts are computed here, in SQL, so that a page costs a fixed number of
queries whatever its size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit
from polku.clients import access
from polku.clients.models import Case, Client, Municipality
from polku.employment.models import (
    ACTIVE_PHASES,
    CASELOAD_LIMIT_PER_FTE,
    EMPLOYER_CONTACTS_PER_WEEK,
    FOLLOW_ALONG_GAP_DAYS,
    PROFILE_FIELDS,
    RAPID_SEARCH_DAYS,
    Adjustment,
    BenefitsCounselling,
    CareerProfile,
    CoachProfile,
    ContactPerson,
    Disclosure,
    EmployerContact,
    FidelityReview,
    FollowAlong,
    IpsPeriod,
    Job,
    JobField,
    JobOpening,
    OpeningDiscussion,
    OpeningStatus,
    Phase,
    WageType,
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
    """The client's IPS periods the viewer may read: their organisation's, or another's under consent."""
    if not (access.works_with_clients(viewer) and access.sees_client(viewer, client)):
        return []
    return list(
        IpsPeriod.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client))
        .select_related("coach__user", "organisation")
    )


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
    """Which of the personal worker's caseload page's cases have an open IPS period with a flag, in one
    query (the records read obey the consent rule)."""
    if not cases:
        return set()
    flags = _flag_annotations(timezone.localdate())
    rows = list(
        IpsPeriod.objects.filter(case__in=cases, closed_on__isnull=True)
        .filter(flags["no_employer_contact"] | flags["no_follow_along"] | flags["no_benefits_counselling"])
        .values_list("client_id", "organisation_id", "register", "case_id")
    )
    return {row[3] for row in access.disclosed_rows(viewer, rows)}


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


# --- Records of one period ----------------------------------------------------------------------------


def profile_of(period: IpsPeriod) -> CareerProfile | None:
    return CareerProfile.objects.filter(period=period).prefetch_related("municipalities").first()


@dataclass(frozen=True)
class ProfileChange:
    """A career profile history row as shown: when, by whom, and each changed field with its earlier
    value (`before` is empty when the profile was created)."""

    at: datetime
    by: str
    created: bool
    before: list[tuple[str, str]]


def _shown(name: str, value: Any, places: dict[str, str]) -> str:
    if name == "municipalities":
        return ", ".join(places.get(code, code) for code in value) or "–"
    choices = {"job_fields": JobField, "adjustments": Adjustment, "disclosure": Disclosure}.get(name)
    if choices is not None and isinstance(value, list):
        return ", ".join(str(choices(v).label) for v in value if v in choices.values) or "–"
    if choices is not None:
        return str(choices(value).label) if value in choices.values else str(value)
    return str(value) if value not in ("", None) else "–"


def profile_changes(profile: CareerProfile | None) -> list[ProfileChange]:
    """The profile's history, newest first (two queries: the rows with who changed them, the names of
    the places they mention)."""
    if profile is None:
        return []
    rows = list(profile.changes.select_related("changed_by__user"))
    codes = {code for row in rows for code in row.previous.get("municipalities", [])}
    places = dict(Municipality.objects.filter(code__in=codes).values_list("code", "name_fi")) if codes else {}
    labels = {
        name: str(getattr(CareerProfile._meta.get_field(name), "verbose_name", name))
        for name in (*PROFILE_FIELDS, "municipalities")
    }
    return [
        ProfileChange(
            at=row.changed_at,
            by=row.changed_by.user.get_full_name(),
            created=row.created,
            before=[
                (labels.get(name, name), _shown(name, row.previous[name], places))
                for name in row.fields
                if name in row.previous
            ],
        )
        for row in rows
    ]


def counselling_of(period: IpsPeriod) -> list[BenefitsCounselling]:
    return list(period.counselling.all())


@dataclass(frozen=True)
class HeldJob:
    job: Job
    first: bool
    tenure_days: int


def jobs_of(period: IpsPeriod) -> list[HeldJob]:
    """The period's jobs, newest first; the client's first job start in IPS (any period) is told apart."""
    first_id = (
        Job.objects.filter(client_id=period.client_id)
        .order_by("starts_on", "id")
        .values_list("id", flat=True)
        .first()
    )
    today = timezone.localdate()
    return [
        HeldJob(job=job, first=job.pk == first_id, tenure_days=job.tenure_days(today))
        for job in period.jobs.select_related("employer")
    ]


def follow_alongs_of(period: IpsPeriod) -> list[FollowAlong]:
    return list(period.follow_alongs.select_related("job"))


def discussions_of(period: IpsPeriod) -> list[OpeningDiscussion]:
    return list(period.discussions.select_related("opening__employer"))


def contacts_on_behalf_of(period: IpsPeriod) -> list[EmployerContact]:
    return list(period.employer_contacts.select_related("employer", "coach__user"))


def job_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Job:
    job = (
        Job.objects.select_related("period__case__unit__organisation", "client", "employer")
        .filter(public_id=public_id)
        .first()
    )
    if job is None:
        raise Http404
    permissions.require(viewer, "ips.manage", job.period, hide=True)
    return job


# --- Employers ---------------------------------------------------------------------------------------


def employers(*, viewer: Membership, query: str = "") -> QuerySet[Organisation]:
    """Employer organisations (work trial hosts' too), with this organisation's contacts and open
    openings counted."""
    own = viewer.unit.organisation_id
    found = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, is_active=True)
    if query:
        found = found.filter(Q(name__icontains=query) | Q(business_id__icontains=query))
    return found.annotate(
        contact_count=Count("ips_contacts", filter=Q(ips_contacts__owner_id=own), distinct=True),
        open_openings=Count(
            "ips_openings",
            filter=Q(ips_openings__owner_id=own, ips_openings__status=OpeningStatus.OPEN),
            distinct=True,
        ),
    ).order_by("name")


def employer_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Organisation:
    employer = Organisation.objects.filter(public_id=public_id, kind=OrganisationKind.EMPLOYER).first()
    if employer is None:
        raise Http404
    permissions.require(viewer, "employer.view", employer, hide=True)
    return employer


def contact_person_for(*, viewer: Membership, public_id: uuid.UUID | str) -> ContactPerson:
    """A contact person the viewer may change or remove (their organisation's; others get 404)."""
    person = ContactPerson.objects.select_related("employer").filter(public_id=public_id).first()
    if person is None:
        raise Http404
    permissions.require(viewer, "employer.manage", person, hide=True)
    return person


def workplace_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Unit:
    """An employer's workplace the viewer may rename or remove (404 otherwise)."""
    workplace = (
        Unit.objects.select_related("organisation").filter(public_id=public_id, is_active=True).first()
    )
    if workplace is None:
        raise Http404
    permissions.require(viewer, "employer.workplace_manage", workplace, hide=True)
    return workplace


def workplaces_of(employer: Organisation) -> list[Unit]:
    """The employer's active workplaces, each with `staffed`: someone works in it in Polku."""
    return list(
        employer.units.filter(is_active=True).annotate(
            staffed=Exists(Membership.objects.filter(unit=OuterRef("pk")))
        )
    )


def contact_people_of(employer: Organisation, *, viewer: Membership) -> list[ContactPerson]:
    return list(
        ContactPerson.objects.filter(employer=employer, owner_id=viewer.unit.organisation_id).select_related(
            "workplace"
        )
    )


@dataclass(frozen=True)
class ContactRow:
    contact: EmployerContact
    seekers: list[Client]
    hidden: int  # job seekers the viewer may not see


def contact_log(employer: Organisation, *, viewer: Membership) -> QuerySet[EmployerContact]:
    return (
        EmployerContact.objects.filter(employer=employer, owner_id=viewer.unit.organisation_id)
        .select_related("coach__user", "contact_person")
        .order_by("-on", "-id")
    )


def contact_rows(contacts: list[EmployerContact], *, viewer: Membership) -> list[ContactRow]:
    """The job seekers of a page of contacts: those the viewer may see (client relationship and the
    consent rule) by name, the others only counted. Two queries for the page."""
    links = list(
        EmployerContact.job_seekers.through.objects.filter(
            employercontact_id__in=[c.pk for c in contacts]
        ).values_list(
            "employercontact_id", "ipsperiod__client_id", "ipsperiod__organisation_id", "ipsperiod__register"
        )
    )
    visible_clients = {
        row[0]
        for row in access.disclosed_rows(viewer, [(client_id, org, reg) for _, client_id, org, reg in links])
    }
    seen = (
        {
            c.pk: c
            for c in Client.objects.filter(pk__in=visible_clients).filter(access.client_relationship(viewer))
        }
        if visible_clients and access.works_with_clients(viewer)
        else {}
    )
    rows = []
    for contact in contacts:
        clients = [client_id for contact_id, client_id, _, _ in links if contact_id == contact.pk]
        shown = [seen[c] for c in clients if c in seen]
        rows.append(ContactRow(contact=contact, seekers=shown, hidden=len(clients) - len(shown)))
    return rows


def openings(
    *, viewer: Membership, status: str = OpeningStatus.OPEN, employer: Organisation | None = None
) -> QuerySet[JobOpening]:
    found = JobOpening.objects.filter(owner_id=viewer.unit.organisation_id).select_related(
        "employer", "municipality"
    )
    if status:
        found = found.filter(status=status)
    if employer is not None:
        found = found.filter(employer=employer)
    return found.order_by("-created_at", "-id")


def opening_for(
    *, viewer: Membership, public_id: uuid.UUID | str, action: str = "employer.view"
) -> JobOpening:
    opening = (
        JobOpening.objects.select_related("employer", "municipality").filter(public_id=public_id).first()
    )
    if opening is None:
        raise Http404
    permissions.require(viewer, action, opening, hide=True)
    return opening


def periods_to_link(*, viewer: Membership) -> QuerySet[IpsPeriod]:
    """The open periods a coach may name as the job seekers of an employer contact: their own caseload."""
    return (
        IpsPeriod.objects.filter(coach=viewer, closed_on__isnull=True)
        .filter(access.client_relationship(viewer, client_field="client"))
        .select_related("client")
        .order_by("client__last_name", "client__first_names")
    )


# --- Job starts and ends for the insights -------------------------------------------------------------


@dataclass(frozen=True)
class JobEvent:
    """A job start or end, without names: what the insights count."""

    kind: str  # "start" or "end"
    on: date
    organisation_id: int
    unit_id: int
    first: bool
    wage_type: str
    hours_per_week: Decimal
    end_reason: str


def job_events(*, organisation_id: int, start: date, end: date) -> list[JobEvent]:
    """Every IPS job start and end of an organisation's register between `start` and `end` (both
    included), for aggregate figures only (no client, no name). One query."""
    first_start = (
        Job.objects.filter(client_id=OuterRef("client_id")).order_by("starts_on", "id").values("id")[:1]
    )
    from django.db.models import Subquery

    jobs = (
        Job.objects.filter(organisation_id=organisation_id)
        .filter(Q(starts_on__range=(start, end)) | Q(ends_on__range=(start, end)))
        .annotate(first_id=Subquery(first_start))
        .values(
            "id",
            "first_id",
            "starts_on",
            "ends_on",
            "organisation_id",
            "period__case__unit_id",
            "wage_type",
            "hours_per_week",
            "end_reason",
        )
    )
    events: list[JobEvent] = []
    for job in jobs:
        common = {
            "organisation_id": job["organisation_id"],
            "unit_id": job["period__case__unit_id"],
            "first": job["id"] == job["first_id"],
            "wage_type": job["wage_type"],
            "hours_per_week": job["hours_per_week"],
        }
        if start <= job["starts_on"] <= end:
            events.append(JobEvent(kind="start", on=job["starts_on"], end_reason="", **common))
        if job["ends_on"] and start <= job["ends_on"] <= end:
            events.append(JobEvent(kind="end", on=job["ends_on"], end_reason=job["end_reason"], **common))
    return sorted(events, key=lambda e: (e.on, e.kind))


@dataclass(frozen=True)
class CaseJobs:
    """A case's IPS path for the insights' per-case facts: when it first entered IPS, its first job
    start (and that job's end and days held, `None` while it lasts) and its first competitive job start."""

    entered_on: date | None = None
    first_start: date | None = None
    first_end: date | None = None
    first_days: int | None = None
    competitive_start: date | None = None


def case_jobs(case_ids: list[int]) -> dict[int, CaseJobs]:
    """The IPS entry and first job starts of each case that has any (no client, no name). Two queries."""
    entered = dict(
        IpsPeriod.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(first=Min("entered_on"))
        .values_list("case_id", "first")
        .order_by()
    )
    first: dict[int, tuple[date, date | None]] = {}
    competitive: dict[int, date] = {}
    for case_id, starts_on, ends_on, wage_type in (
        Job.objects.filter(period__case_id__in=case_ids)
        .order_by("starts_on", "id")
        .values_list("period__case_id", "starts_on", "ends_on", "wage_type")
    ):
        first.setdefault(case_id, (starts_on, ends_on))
        if wage_type == WageType.COMPETITIVE:
            competitive.setdefault(case_id, starts_on)
    found = {}
    for case_id in set(entered) | set(first):
        start, end = first.get(case_id, (None, None))
        found[case_id] = CaseJobs(
            entered_on=entered.get(case_id),
            first_start=start,
            first_end=end,
            first_days=(end - start).days if start is not None and end is not None else None,
            competitive_start=competitive.get(case_id),
        )
    return found


# --- Fidelity reviews -----------------------------------------------------------------------------------


def reviews(*, viewer: Membership) -> list[FidelityReview]:
    return list(
        FidelityReview.objects.filter(unit__organisation_id=viewer.unit.organisation_id)
        .select_related("unit")
        .prefetch_related("ratings")
        .order_by("reviewed_on", "id")
    )


def review_for(*, viewer: Membership, public_id: uuid.UUID | str) -> FidelityReview:
    review = FidelityReview.objects.select_related("unit").filter(public_id=public_id).first()
    if review is None or review.unit.organisation_id != viewer.unit.organisation_id:
        permissions.refuse(viewer, "ips.unit", review, hide=True)
    permissions.require(viewer, "ips.unit", review, hide=True)
    return review


def previous_review(review: FidelityReview) -> FidelityReview | None:
    return (
        FidelityReview.objects.filter(
            unit__organisation_id=review.unit.organisation_id, reviewed_on__lt=review.reviewed_on
        )
        .prefetch_related("ratings")
        .order_by("-reviewed_on", "-id")
        .first()
    )


def contact_people_queryset(employer: Organisation, *, viewer: Membership) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.filter(employer=employer, owner_id=viewer.unit.organisation_id)
