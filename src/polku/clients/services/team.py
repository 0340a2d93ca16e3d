"""The people working with the client: the case's personal worker and team periods, and the
contacts they record with the client."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Role
from polku.audit import services as audit
from polku.clients import edits, timeline
from polku.clients.models import (
    TEAM_ROLES,
    Case,
    CaseTeamMember,
    CaseWorkerChange,
    Contact,
)
from polku.clients.services.lifecycle import lock_case
from polku.core import story_time


@transaction.atomic
def assign_personal_worker(*, case: Case, worker: Membership, by: Membership, note: str = "") -> Case:
    """Hand the case to a new personal worker; the previous one leaves the team and stays in the history."""
    case = lock_case(case)
    permissions.require(by, "case.manage", case)
    if not worker.has_role(Role.PERSONAL_WORKER) or not worker.is_active_on():
        raise ValidationError({"worker": _("Only a personal worker with a valid role can own a case.")})
    if worker.unit.organisation_id != case.unit.organisation_id:
        raise ValidationError(
            {"worker": _("The new personal worker must work in the organisation that owns the case.")}
        )
    if worker.pk == case.personal_worker_id:
        raise ValidationError({"worker": _("This worker already owns the case.")})
    previous = case.personal_worker
    # Read before the hand-over ends the worker's own team period: what allowed it is the access before.
    basis = audit.basis_of(by, case.client)
    CaseWorkerChange.objects.create(case=case, worker=worker, previous_worker=previous, by=by, note=note)
    if previous is not None:
        case.team.filter(membership=previous, ended_on__isnull=True).update(
            ended_on=timezone.localdate(), ended_by=by, updated_at=story_time.now()
        )
    today = timezone.localdate()
    # A period that would start later starts now: the owner of a case must see it from the hand-over on.
    case.team.filter(membership=worker, ended_on__isnull=True, started_on__gt=today).update(
        started_on=today, updated_at=story_time.now()
    )
    if not case.team.filter(membership=worker, ended_on__isnull=True).exists():
        CaseTeamMember.objects.create(case=case, membership=worker, role=worker.role, added_by=by)
    case.personal_worker = worker
    case.save(update_fields=["personal_worker", "updated_at"])
    timeline.add(
        case.client,
        "case.worker_assigned",
        by=by,
        case=case,
        obj=case,
        params={"worker": str(worker.user)},
        text=note,
    )
    audit.record(
        by, "case.assign", case, client=case.client, details={"worker": str(worker.public_id)}, basis=basis
    )
    return case


@transaction.atomic
def add_team_member(
    *,
    case: Case,
    member: Membership,
    by: Membership,
    responsibility: str = "",
    started_on: date | None = None,
) -> CaseTeamMember:
    case = lock_case(case)
    permissions.require(by, "case.manage", case)
    started_on = started_on or timezone.localdate()
    if member.role not in TEAM_ROLES or not member.is_active_on():
        raise ValidationError(
            {"member": _("Only staff working with clients, in a valid role, can join a case team.")}
        )
    if case.team.filter(membership=member, ended_on__isnull=True).exists():
        raise ValidationError({"member": _("This person is already on the team.")})
    if started_on < case.opened_on:
        raise ValidationError({"started_on": _("Membership cannot start before the case was opened.")})
    period = CaseTeamMember.objects.create(
        case=case,
        membership=member,
        role=member.role,
        responsibility=responsibility,
        started_on=started_on,
        added_by=by,
    )
    timeline.add(
        case.client,
        "team.member_added",
        by=by,
        case=case,
        obj=period,
        params={"member": str(member.user), "role": member.role},
    )
    audit.record(by, "team.add", period, client=case.client, details={"member": str(member.public_id)})
    return period


@transaction.atomic
def end_team_membership(*, period: CaseTeamMember, by: Membership) -> CaseTeamMember:
    period = (
        CaseTeamMember.objects.select_for_update()
        .select_related("case__client", "membership__user")
        .get(pk=period.pk)
    )
    permissions.require(by, "case.manage", period.case)
    if period.ended_on is not None:
        raise ValidationError(_("This team membership has already ended."))
    if period.membership_id == period.case.personal_worker_id:
        raise ValidationError(_("The personal worker leaves the team by handing the case over."))
    period.ended_on, period.ended_by = timezone.localdate(), by
    period.save(update_fields=["ended_on", "ended_by", "updated_at"])
    timeline.add(
        period.case.client,
        "team.member_ended",
        by=by,
        case=period.case,
        obj=period,
        params={"member": str(period.membership.user)},
    )
    audit.record(by, "team.end", period, client=period.case.client)
    return period


@transaction.atomic
def record_contact(
    *,
    case: Case,
    by: Membership,
    kind: str,
    happened_on: date,
    note: str,
    register: str,
    duration_minutes: int | None = None,
    participants: str = "",
    idempotency_key: str | None = None,
) -> Contact:
    """A contact with its note. The same `idempotency_key` again (the form sent twice) records nothing
    and returns the contact the first sending recorded (`clients.edits`)."""
    permissions.require(by, "case.record_contact", case)
    earlier = edits.earlier_submission(idempotency_key, Contact)
    if earlier is not None and earlier.case_id == case.pk:
        return earlier
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("A contact cannot be recorded in the future.")})
    if happened_on < case.opened_on:
        raise ValidationError({"happened_on": _("The date is before the case was opened.")})
    contact = Contact(
        case=case,
        client=case.client,
        kind=kind,
        happened_on=happened_on,
        duration_minutes=duration_minutes,
        participants=participants,
        note=note,
        register=register,
        organisation=by.unit.organisation,
        author=by,
    )
    contact.full_clean(exclude=["case", "client", "organisation", "author"])
    contact.save()
    edits.remember_submission(idempotency_key, contact)
    timeline.add(
        case.client,
        "contact.recorded",
        by=by,
        case=case,
        obj=contact,
        register=register,
        params={
            "kind": kind,
            "register": register,
            "on": happened_on.isoformat(),
            "minutes": duration_minutes,
        },
        text=note,
    )
    audit.record(by, "contact.record", contact, client=case.client)
    return contact
