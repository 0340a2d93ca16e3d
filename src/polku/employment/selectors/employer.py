"""The employer side through the viewer's organisation: employers, workplaces, contact people, the
contact log, openings and what clients decided about them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, OrganisationKind, Unit
from polku.clients import access
from polku.clients.models import Client
from polku.employment.models import (
    ContactPerson,
    EmployerContact,
    IpsPeriod,
    JobOpening,
    OpeningDiscussion,
    OpeningStatus,
)


def discussions_of(period: IpsPeriod) -> list[OpeningDiscussion]:
    return list(period.discussions.select_related("opening__employer"))


def contacts_on_behalf_of(period: IpsPeriod) -> list[EmployerContact]:
    return list(period.employer_contacts.select_related("employer", "coach__user"))


def employers(*, viewer: Membership, query: str = "") -> QuerySet[Organisation]:
    """Employer organisations (work trial hosts' too), with this organisation's contacts and open
    openings counted."""
    own = viewer.unit.organisation_id
    found = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, is_active=True)
    if query:
        found = found.filter(Q(name__icontains=query) | Q(business_id__icontains=query))
    # Each count in its own subquery: two joins in one query would multiply contacts by openings.
    return found.annotate(
        contact_count=_count(EmployerContact.objects.filter(employer=OuterRef("pk"), owner_id=own)),
        open_openings=_count(
            JobOpening.objects.filter(employer=OuterRef("pk"), owner_id=own, status=OpeningStatus.OPEN)
        ),
    ).order_by("name")


def _count(rows: QuerySet[Any]) -> Coalesce:
    return Coalesce(Subquery(rows.order_by().values("employer").annotate(n=Count("*")).values("n")), 0)


def employer_choices() -> QuerySet[Organisation]:
    """The active employers to pick from (a job start's employer), by name."""
    return Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, is_active=True).order_by("name")


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


def contact_people_queryset(employer: Organisation, *, viewer: Membership) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.filter(employer=employer, owner_id=viewer.unit.organisation_id)
