"""Starting and ending a job, and recording follow-along support."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, OrganisationKind
from polku.audit import services as audit
from polku.clients import timeline
from polku.employment.models import (
    CareerProfile,
    Disclosure,
    FollowAlong,
    IpsPeriod,
    Job,
    JobOpening,
    Phase,
)
from polku.employment.services.dates import not_future
from polku.employment.services.periods import ips_change_phase


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
    not_future(starts_on, "starts_on")
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
    not_future(ends_on, "ends_on")
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
    not_future(on, "on")
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
