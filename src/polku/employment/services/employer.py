"""The employer side: employers, workplaces, contact people, the contact log, openings and a client's
decision about an opening."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, OrganisationKind, Unit
from polku.audit import services as audit
from polku.employment.models import (
    Adjustment,
    ContactPerson,
    EmployerContact,
    IpsPeriod,
    JobOpening,
    OpeningDiscussion,
    validate_hours,
)
from polku.employment.services.dates import not_future, today


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
def workplace_change(*, workplace: Unit, by: Membership, name: str) -> Unit:
    permissions.require(by, "employer.workplace_manage", workplace, hide=True)
    before = workplace.name
    workplace.name = name.strip()
    workplace.full_clean()
    workplace.save()
    audit.record(by, "employer.workplace_change", workplace, details={"before": before})
    return workplace


@transaction.atomic
def workplace_remove(*, workplace: Unit, by: Membership) -> Unit:
    """A removed workplace is no longer listed or offered; openings and contact people that named it
    keep it (the unit is marked inactive, not deleted)."""
    permissions.require(by, "employer.workplace_manage", workplace, hide=True)
    workplace.is_active = False
    workplace.save(update_fields=["is_active"])
    audit.record(by, "employer.workplace_remove", workplace)
    return workplace


CONTACT_PERSON_FIELDS = ("name", "title", "phone", "email")


@transaction.atomic
def contact_person_change(*, person: ContactPerson, by: Membership, **values: Any) -> ContactPerson:
    permissions.require(by, "employer.manage", person, hide=True)
    unknown = set(values) - set(CONTACT_PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact person fields: {sorted(unknown)}")
    changed = sorted(name for name, value in values.items() if getattr(person, name) != value)
    for name, value in values.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.full_clean(exclude=["owner", "employer"])
    person.save()
    audit.record(by, "employer.contact_person_change", person, details={"fields": changed})
    return person


@transaction.atomic
def contact_person_remove(*, person: ContactPerson, by: Membership) -> None:
    """Remove a contact person. The past contacts with them keep their name as text."""
    permissions.require(by, "employer.manage", person, hide=True)
    EmployerContact.objects.filter(contact_person=person).update(contact_person_name=person.name)
    audit.record(by, "employer.contact_person_remove", person)
    person.delete()


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
    not_future(on, "on")
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
    on = on or today()
    not_future(on, "on")
    discussion = OpeningDiscussion(
        period=period, opening=opening, on=on, decision=decision, note=note, recorded_by=by
    )
    discussion.full_clean(exclude=["period", "opening", "recorded_by"])
    discussion.save()
    audit.record(by, "ips.discussion", discussion, client=period.client, details={"decision": decision})
    return discussion
