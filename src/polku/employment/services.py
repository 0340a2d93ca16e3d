"""Every write to IPS records: permission, validation, audit and history in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit
from polku.audit import services as audit
from polku.clients import services as client_services
from polku.clients import timeline
from polku.clients.models import Case, Municipality, Register
from polku.employment.models import (
    Adjustment,
    BenefitsCounselling,
    CareerProfile,
    CoachProfile,
    ContactPerson,
    Disclosure,
    EmployerContact,
    FidelityRating,
    FidelityReview,
    FollowAlong,
    IpsPeriod,
    Job,
    JobField,
    JobOpening,
    OpeningDiscussion,
    Phase,
    PhaseChange,
    fidelity_band,
    validate_hours,
)


def _today() -> date:
    return timezone.localdate()


def _not_future(on: date, field: str) -> None:
    if on > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def ips_enter(
    *, case: Case, by: Membership, coach: Membership | None = None, wish: str = "", on: date | None = None
) -> IpsPeriod:
    """Take the client into IPS by their own wish to work (zero exclusion: nothing else is asked).
    The coach joins the case team if not on it."""
    permissions.require(by, "ips.enter", case, hide=True)
    coach = coach or by
    on = on or _today()
    _not_future(on, "on")
    if on < case.opened_on:
        raise ValidationError({"on": _("IPS cannot start before the case was opened.")})
    if (
        not coach.has_role(Role.JOB_COACH)
        or coach.unit.organisation_id != by.unit.organisation_id
        or not coach.is_active_on()
    ):
        raise ValidationError({"coach": _("Choose a job coach of your organisation.")})
    if IpsPeriod.objects.filter(
        client=case.client, organisation_id=by.unit.organisation_id, closed_on__isnull=True
    ).exists():
        raise ValidationError(_("The client is already in IPS."))
    if not case.team.filter(membership=coach, ended_on__isnull=True).exists():
        client_services.add_team_member(case=case, member=coach, by=by, responsibility=_("IPS job coach"))
    period = IpsPeriod.objects.create(
        case=case,
        client=case.client,
        organisation_id=by.unit.organisation_id,
        register=Register.EMPLOYMENT,
        coach=coach,
        entered_on=on,
        wish=wish,
        created_by=by,
    )
    PhaseChange.objects.create(period=period, phase=Phase.ENGAGEMENT, on=on, changed_by=by)
    timeline.add(case.client, "ips.entered", by=by, case=case, obj=period, register=Register.EMPLOYMENT)
    audit.record(by, "ips.enter", period, client=case.client)
    return period


@transaction.atomic
def ips_change_phase(
    *, period: IpsPeriod, by: Membership, phase: str, on: date | None = None, handover: str = ""
) -> IpsPeriod:
    """Move the period to another phase; closing it records the hand-over."""
    permissions.require(by, "ips.manage", period, hide=True)
    period = IpsPeriod.objects.select_for_update().get(pk=period.pk)
    on = on or _today()
    _not_future(on, "on")
    if phase not in Phase.values or phase == period.phase:
        raise ValidationError({"phase": _("Choose a different phase.")})
    if on < period.entered_on:
        raise ValidationError({"on": _("The date cannot be before the entry into IPS.")})
    if phase == Phase.CLOSED:
        if not handover.strip():
            raise ValidationError(
                {"handover": _("Write the hand-over: who supports the client from now on.")}
            )
        period.closed_on, period.handover = on, handover.strip()
    period.phase = phase
    period.save(update_fields=["phase", "closed_on", "handover", "updated_at"])
    PhaseChange.objects.create(period=period, phase=phase, on=on, changed_by=by)
    timeline.add(
        period.client,
        "ips.phase",
        by=by,
        case=period.case,
        obj=period,
        register=period.register,
        params={"phase": phase},
    )
    audit.record(by, "ips.phase", period, client=period.client, details={"phase": phase})
    return period


@transaction.atomic
def coach_set_fte(*, coach: Membership, fte: Decimal, by: Membership) -> CoachProfile:
    """Record the coach's share of full time in IPS (the coach, or a manager of the organisation)."""
    if not (
        by.pk == coach.pk
        or (by.has_role(Role.MANAGER) and by.unit.organisation_id == coach.unit.organisation_id)
    ):
        permissions.refuse(by, "ips.unit", coach, hide=True)
    if not Decimal("0.05") <= fte <= Decimal("1"):
        raise ValidationError({"fte": _("Give the share of full time between 0.05 and 1.")})
    profile, _created = CoachProfile.objects.update_or_create(membership=coach, defaults={"fte": fte})
    audit.record(by, "ips.coach_fte", coach, details={"fte": str(fte)})
    return profile


PROFILE_FIELDS = (
    "work_history",
    "education",
    "job_fields",
    "hours_min",
    "hours_max",
    "environment",
    "strengths",
    "adjustments",
    "disclosure",
    "disclosure_note",
)


@transaction.atomic
def profile_save(
    *, period: IpsPeriod, by: Membership, municipalities: Sequence[Municipality] = (), **values: Any
) -> CareerProfile:
    """Create or update the career profile. A changed disclosure decision is dated today."""
    permissions.require(by, "ips.manage", period, hide=True)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown career profile fields: {sorted(unknown)}")
    validate_hours(values.get("hours_min", 0), values.get("hours_max", 40))
    if not set(values.get("job_fields", [])) <= set(JobField.values):
        raise ValidationError({"job_fields": _("Choose the kinds of work from the list.")})
    if not set(values.get("adjustments", [])) <= set(Adjustment.values):
        raise ValidationError({"adjustments": _("Choose the adjustments from the list.")})
    profile = CareerProfile.objects.select_for_update().filter(period=period).first()
    created = profile is None
    if profile is None:
        profile = CareerProfile(period=period, updated_by=by)
    before = profile.disclosure
    for name, value in values.items():
        setattr(profile, name, value)
    if created or profile.disclosure != before:
        profile.disclosure_decided_on = _today() if profile.disclosure != Disclosure.UNDECIDED else None
    profile.updated_by = by
    profile.full_clean(exclude=["period", "updated_by", "municipalities"])
    profile.save()
    profile.municipalities.set(municipalities)
    changed = sorted(values) if not created else ["created"]
    audit.record(by, "ips.profile", profile, client=period.client, details={"fields": changed})
    return profile


@transaction.atomic
def counselling_record(
    *,
    period: IpsPeriod,
    by: Membership,
    reason: str,
    offered_on: date,
    given_on: date | None = None,
    given_by: str = "",
    questions: str = "",
) -> BenefitsCounselling:
    permissions.require(by, "ips.manage", period, hide=True)
    _not_future(offered_on, "offered_on")
    if given_on is not None:
        _not_future(given_on, "given_on")
        if given_on < offered_on:
            raise ValidationError({"given_on": _("Counselling cannot be given before it was offered.")})
        if not given_by.strip():
            raise ValidationError({"given_by": _("Say who gave the counselling.")})
    record = BenefitsCounselling(
        period=period,
        reason=reason,
        offered_on=offered_on,
        given_on=given_on,
        given_by=given_by.strip(),
        questions=questions,
        recorded_by=by,
    )
    record.full_clean(exclude=["period", "recorded_by"])
    record.save()
    audit.record(by, "ips.counselling", record, client=period.client)
    return record


# --- Employers -----------------------------------------------------------------------------------


@transaction.atomic
def employer_add(*, by: Membership, name: str, business_id: str, municipality_code: str = "") -> Organisation:
    """An employer by business ID: the existing organisation when Polku knows it (a work trial host's,
    say), otherwise a new organisation of kind employer."""
    permissions.require(by, "employer.manage", None)
    candidate = Organisation(
        kind=OrganisationKind.EMPLOYER,
        name=name.strip(),
        business_id=business_id.strip(),
        municipality_code=municipality_code,
    )
    candidate.clean()  # normalises the business ID
    existing = Organisation.objects.filter(business_id=candidate.business_id).first()
    if existing is not None:
        if existing.kind != OrganisationKind.EMPLOYER:
            raise ValidationError(
                {
                    "business_id": _(
                        "This business ID belongs to an organisation that is not an employer in Polku."
                    )
                }
            )
        return existing
    candidate.full_clean()
    candidate.save()
    audit.record(by, "employer.add", candidate)
    return candidate


@transaction.atomic
def workplace_add(*, employer: Organisation, by: Membership, name: str) -> Unit:
    permissions.require(by, "employer.manage", None)
    unit = Unit(organisation=employer, name=name.strip())
    unit.full_clean()
    unit.save()
    audit.record(by, "employer.workplace_add", unit)
    return unit


@transaction.atomic
def contact_person_add(
    *,
    employer: Organisation,
    by: Membership,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    workplace: Unit | None = None,
) -> ContactPerson:
    permissions.require(by, "employer.manage", None)
    if workplace is not None and workplace.organisation_id != employer.pk:
        raise ValidationError({"workplace": _("Choose a workplace of this employer.")})
    person = ContactPerson(
        owner_id=by.unit.organisation_id,
        employer=employer,
        workplace=workplace,
        name=name.strip(),
        title=title,
        phone=phone,
        email=email,
    )
    person.full_clean(exclude=["owner", "employer"])
    person.save()
    audit.record(by, "employer.contact_person_add", person)
    return person


@transaction.atomic
def employer_contact_record(
    *,
    employer: Organisation,
    by: Membership,
    on: date,
    face_to_face: bool,
    purpose: str,
    note: str = "",
    contact_person: ContactPerson | None = None,
    job_seekers: Sequence[IpsPeriod] = (),
) -> EmployerContact:
    """Log a contact with an employer. Each job seeker it was on behalf of must be on the coach's own
    caseload; each gets an audit event on their record."""
    permissions.require(by, "employer.manage", None)
    _not_future(on, "on")
    if contact_person is not None and (
        contact_person.employer_id != employer.pk or contact_person.owner_id != by.unit.organisation_id
    ):
        raise ValidationError({"contact_person": _("Choose a contact person of this employer.")})
    for period in job_seekers:
        if (
            period.coach_id != by.pk
            or period.closed_on is not None
            or not permissions.can(by, "ips.manage", period)
        ):
            raise ValidationError({"job_seekers": _("Choose job seekers from your own IPS caseload.")})
    contact = EmployerContact(
        owner_id=by.unit.organisation_id,
        employer=employer,
        contact_person=contact_person,
        on=on,
        face_to_face=face_to_face,
        purpose=purpose,
        note=note,
        coach=by,
    )
    contact.full_clean(exclude=["owner", "employer", "coach", "contact_person"])
    contact.save()
    contact.job_seekers.set(job_seekers)
    audit.record(
        by,
        "employer.contact",
        contact,
        details={"employer": str(employer.public_id), "job_seekers": len(job_seekers)},
    )
    for period in job_seekers:
        audit.record(by, "ips.employer_contact", contact, client=period.client)
    return contact


OPENING_FIELDS = (
    "title",
    "tasks",
    "job_field",
    "hours_min",
    "hours_max",
    "adjustments",
    "municipality",
    "wage_type",
    "starts_on",
    "workplace",
)


@transaction.atomic
def opening_save(
    *,
    by: Membership,
    employer: Organisation | None = None,
    opening: JobOpening | None = None,
    status: str | None = None,
    **values: Any,
) -> JobOpening:
    """Add an opening (with `employer`) or change one (with `opening`)."""
    if opening is None:
        assert employer is not None
        permissions.require(by, "employer.manage", None)
        opening = JobOpening(owner_id=by.unit.organisation_id, employer=employer, created_by=by)
    else:
        permissions.require(by, "employer.manage", opening, hide=True)
        opening = JobOpening.objects.select_for_update().get(pk=opening.pk)
    validate_hours(
        values.get("hours_min", opening.hours_min or 0), values.get("hours_max", opening.hours_max or 0)
    )
    if not set(values.get("adjustments", [])) <= set(Adjustment.values):
        raise ValidationError({"adjustments": _("Choose the adjustments from the list.")})
    workplace = values.get("workplace")
    if workplace is not None and workplace.organisation_id != opening.employer_id:
        raise ValidationError({"workplace": _("Choose a workplace of this employer.")})
    for name, value in values.items():
        if name not in OPENING_FIELDS:
            raise TypeError(name)
        setattr(opening, name, value)
    if status is not None:
        opening.status = status
    opening.full_clean(exclude=["owner", "employer", "created_by", "municipality", "workplace"])
    opening.save()
    audit.record(by, "employer.opening", opening, details={"status": opening.status})
    return opening


@transaction.atomic
def discussion_record(
    *,
    period: IpsPeriod,
    opening: JobOpening,
    by: Membership,
    decision: str,
    on: date | None = None,
    note: str = "",
) -> OpeningDiscussion:
    permissions.require(by, "ips.manage", period, hide=True)
    permissions.require(by, "employer.view", opening, hide=True)
    on = on or _today()
    _not_future(on, "on")
    discussion = OpeningDiscussion(
        period=period, opening=opening, on=on, decision=decision, note=note, recorded_by=by
    )
    discussion.full_clean(exclude=["period", "opening", "recorded_by"])
    discussion.save()
    audit.record(by, "ips.discussion", discussion, client=period.client, details={"decision": decision})
    return discussion


# --- Jobs and follow-along --------------------------------------------------------------------------


@transaction.atomic
def job_start(
    *,
    period: IpsPeriod,
    by: Membership,
    employer: Organisation,
    title: str,
    job_field: str,
    hours_per_week: Decimal,
    wage_type: str,
    starts_on: date,
    opening: JobOpening | None = None,
) -> Job:
    """A job start: a timeline entry and an audit event; the period moves to "working"."""
    permissions.require(by, "ips.manage", period, hide=True)
    _not_future(starts_on, "starts_on")
    if starts_on < period.entered_on:
        raise ValidationError({"starts_on": _("A job in IPS cannot start before the entry into IPS.")})
    if employer.kind != OrganisationKind.EMPLOYER:
        raise ValidationError({"employer": _("Choose an employer.")})
    if not Decimal("0.5") <= hours_per_week <= Decimal("60"):
        raise ValidationError({"hours_per_week": _("Give the hours per week between 0.5 and 60.")})
    job = Job(
        period=period,
        client=period.client,
        organisation=period.organisation,
        register=period.register,
        employer=employer,
        opening=opening,
        title=title.strip(),
        job_field=job_field,
        hours_per_week=hours_per_week,
        wage_type=wage_type,
        starts_on=starts_on,
        recorded_by=by,
    )
    job.full_clean(exclude=["period", "client", "organisation", "employer", "opening", "recorded_by"])
    job.save()
    if opening is not None and opening.owner_id == period.organisation_id:
        JobOpening.objects.filter(pk=opening.pk).update(status="filled")
    timeline.add(
        period.client,
        "ips.job_started",
        by=by,
        case=period.case,
        obj=job,
        register=period.register,
        params={"title": job.title, "employer": employer.name},
    )
    audit.record(by, "ips.job_start", job, client=period.client)
    if IpsPeriod.objects.filter(pk=period.pk).values_list("phase", flat=True).get() != Phase.WORKING:
        ips_change_phase(period=period, by=by, phase=Phase.WORKING, on=starts_on)
    return job


@transaction.atomic
def job_end(*, job: Job, by: Membership, ends_on: date, reason: str) -> Job:
    permissions.require(by, "ips.manage", job.period, hide=True)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.ends_on is not None:
        raise ValidationError(_("The job has already ended."))
    _not_future(ends_on, "ends_on")
    if ends_on < job.starts_on:
        raise ValidationError({"ends_on": _("A job cannot end before it started.")})
    job.ends_on, job.end_reason = ends_on, reason
    job.full_clean(exclude=["period", "client", "organisation", "employer", "opening", "recorded_by"])
    job.save(update_fields=["ends_on", "end_reason", "updated_at"])
    timeline.add(
        job.client,
        "ips.job_ended",
        by=by,
        case=job.period.case,
        obj=job,
        register=job.register,
        params={"title": job.title, "reason": reason},
    )
    audit.record(by, "ips.job_end", job, client=job.client, details={"reason": reason})
    return job


@transaction.atomic
def follow_along_record(
    *,
    period: IpsPeriod,
    by: Membership,
    on: date,
    with_employer: bool = False,
    note: str = "",
    job: Job | None = None,
) -> FollowAlong:
    """A follow-along contact; one with the employer only where the client's disclosure decision lets
    the coach talk to employers about them."""
    permissions.require(by, "ips.manage", period, hide=True)
    _not_future(on, "on")
    if job is not None and job.period_id != period.pk:
        raise ValidationError({"job": _("Choose one of this client's jobs.")})
    if with_employer:
        profile = CareerProfile.objects.filter(period=period).first()
        if profile is None or profile.disclosure not in (Disclosure.PARTIAL, Disclosure.FULL):
            raise ValidationError(
                {"with_employer": _("The client has not allowed contacts with the employer about them.")}
            )
    contact = FollowAlong(
        period=period, job=job, on=on, with_employer=with_employer, note=note, recorded_by=by
    )
    contact.full_clean(exclude=["period", "job", "recorded_by"])
    contact.save()
    audit.record(by, "ips.follow_along", contact, client=period.client)
    return contact


# --- Fidelity ----------------------------------------------------------------------------------------


@transaction.atomic
def review_record(
    *,
    by: Membership,
    reviewed_on: date,
    reviewers: str,
    scores: dict[int, int],
    evidence: dict[int, str],
    scale_version: str = "IPS-25 (2019)",
) -> FidelityReview:
    """An IPS-25 review of the viewer's unit: all 25 items rated 1-5."""
    permissions.require(by, "ips.fidelity_record", None)
    _not_future(reviewed_on, "reviewed_on")
    if sorted(scores) != list(range(1, 26)) or not all(1 <= s <= 5 for s in scores.values()):
        raise ValidationError(_("Rate every one of the 25 items from 1 to 5."))
    review = FidelityReview.objects.create(
        unit=by.unit,
        reviewed_on=reviewed_on,
        reviewers=reviewers.strip(),
        scale_version=scale_version,
        created_by=by,
    )
    FidelityRating.objects.bulk_create(
        [
            FidelityRating(review=review, item=item, score=score, evidence=evidence.get(item, ""))
            for item, score in sorted(scores.items())
        ]
    )
    total = sum(scores.values())
    audit.record(by, "ips.fidelity_review", review, details={"total": total, "band": fidelity_band(total)})
    return review
