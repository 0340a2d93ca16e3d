"""The client and the life of a case: creating and updating a client, revealing the identity code,
opening a case (also after break-the-glass), its status, next step and closing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import basis as audit_basis
from polku.audit import services as audit
from polku.clients import edits, identity, progress, timeline
from polku.clients.models import (
    BreakGlassAccess,
    Case,
    CaseOutcome,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Municipality,
)
from polku.core import names, story_time

CLIENT_DETAIL_FIELDS = (
    "first_names",
    "last_name",
    "municipality",
    "languages",
    "other_language",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
    "preferred_contact_channel",
    "needs_interpreter",
    "interpreter_language",
)


@dataclass(frozen=True)
class NewCase:
    client: Client
    case: Case
    client_existed: bool


def _check_details(details: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "other" in details.get("languages", []) and not details.get("other_language", "").strip():
        errors["other_language"] = _("Name the other language.")
    if details.get("needs_interpreter") and not details.get("interpreter_language", "").strip():
        errors["interpreter_language"] = _("Name the language the interpreter is needed for.")
    if not isinstance(details.get("municipality"), Municipality):
        errors["municipality"] = _("Choose the municipality of residence.")
    if errors:
        raise ValidationError(errors)


class ExistingClient(Exception):
    """The identity code typed into the new client form is one Polku already holds, and no case was
    opened: the way on is the client's overview when the worker sees the client (`visible`), else the
    break-the-glass page, the documented way to a client outside one's teams. `ask` is the personal worker
    of the open case of the worker's own unit, when there is one, to ask to be added to its team."""

    def __init__(self, client: Client, *, visible: bool, ask: Membership | None = None) -> None:
        super().__init__("The person is already a client in Polku.")
        self.client, self.visible, self.ask = client, visible, ask


@transaction.atomic
def create_client(
    *,
    by: Membership,
    identity_code: str,
    source: str,
    opened_on: date | None = None,
    open_for_existing: bool = False,
    **details: Any,
) -> NewCase:
    """Register a client and open their first case in the worker's unit. An identity code Polku already
    holds never makes a second client, and the details typed in are not written over theirs:

    - when the worker's own organisation has had a case of the client and the worker's unit has none open
      (a client coming back), the new case is opened for the person who is already there;
    - otherwise no case is opened and `ExistingClient` says the way on: the client's overview when the
      worker sees the client, else break-the-glass. A case for a client of another organisation is opened
      only from the client's overview (`open_case`, or `open_case_from_break_glass`, its own step).

    `open_for_existing`: open the case for the existing client whatever organisation holds them (the
    registry screening of the unit's own area, `intake`)."""
    permissions.require(by, "client.create")
    code = identity.parse(identity_code)
    existing = (
        Client.objects.select_for_update().filter(identity_code_hash=identity.lookup_hash(code.code)).first()
    )
    if existing is not None:
        if not open_for_existing:
            _check_may_attach(existing, by)
        case = _open_case(client=existing, by=by, source=source, opened_on=opened_on)
        audit.record(
            by,
            "client.matched_existing",
            existing,
            client=existing,
            basis=audit_basis.team(case.public_id, by.role),
        )
        return NewCase(client=existing, case=case, client_existed=True)
    unknown = set(details) - set(CLIENT_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    _check_details(details)
    client = Client(
        identity_code_encrypted=identity.encrypt(code.code),
        identity_code_hash=identity.lookup_hash(code.code),
        identity_code_masked=code.masked,
        birth_date=code.birth_date,
        sex=code.sex,
        created_by=by,
        **details,
    )
    client.full_clean(exclude=["identity_code_encrypted", "identity_code_hash", "created_by"])
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Someone registered the same person a moment ago: the same rules as above.
        existing = Client.objects.get(identity_code_hash=client.identity_code_hash)
        if not open_for_existing:
            _check_may_attach(existing, by)
        case = _open_case(client=existing, by=by, source=source, opened_on=opened_on)
        return NewCase(client=existing, case=case, client_existed=True)
    case = _open_case(client=client, by=by, source=source, opened_on=opened_on)
    audit.record(by, "client.create", client, client=client, basis=audit_basis.team(case.public_id, by.role))
    return NewCase(client=client, case=case, client_existed=False)


def _check_may_attach(client: Client, by: Membership) -> None:
    """Raise `ExistingClient` unless a new case of `by`'s unit may be opened for the client from the new
    client form: the client is their own organisation's (a case of it, open or closed) and the unit has
    no open case of the client."""
    if permissions.can(by, "client.view", client):
        raise ExistingClient(client, visible=True)
    cases = list(
        Case.objects.filter(client=client, unit__organisation_id=by.unit.organisation_id).select_related(
            "personal_worker__user", "personal_worker__unit__organisation"
        )
    )
    unit_case = next((case for case in cases if case.unit_id == by.unit_id and case.is_open), None)
    if not cases or unit_case is not None:
        raise ExistingClient(client, visible=False, ask=unit_case.personal_worker if unit_case else None)


@transaction.atomic
def open_case(*, client: Client, by: Membership, source: str, opened_on: date | None = None) -> Case:
    """A new case in the worker's unit for a client they already see (on another unit's team, or through
    break-the-glass). After their own case has closed, the worker finds the client again by entering the
    identity code in the new client form, which attaches the new case the same way."""
    permissions.require(by, "case.open", client, hide=True)
    return _open_case(client=client, by=by, source=source, opened_on=opened_on)


@transaction.atomic
def open_case_from_break_glass(
    *, client: Client, by: Membership, source: str, reason: str, opened_on: date | None = None
) -> Case:
    """Open a case in the worker's unit for a client they see only through break-the-glass. Its own step,
    not `open_case`: the worker confirms it with a reason of its own, it is audited with that reason and
    the break-the-glass access it came from, and the client's timeline tells everyone who sees the client
    (their personal workers first) who opened a case where, when and why: an entry of no case and no
    register. From then on the worker works on their own case; the client's access report and export
    show them their own organisation's part only (`access.own_part`)."""
    permissions.require(by, "case.open_from_break_glass", client, hide=True)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("State the reason in a sentence; it is shown to the client.")})
    glass = (
        BreakGlassAccess.objects.filter(client=client, membership=by, expires_at__gt=story_time.now())
        .order_by("-at")
        .first()
    )
    case = _open_case(client=client, by=by, source=source, opened_on=opened_on)
    timeline.add(
        client,
        "case.opened_from_break_glass",
        by=by,
        obj=case,
        params={
            **names.both("unit", by.unit.name, by.unit.name_sv),
            **names.both("organisation", by.unit.organisation.name, by.unit.organisation.name_sv),
        },
        text=reason,
    )
    audit.record(
        by,
        "case.open_from_break_glass",
        case,
        client=client,
        reason=reason,
        details={"break_glass_at": glass.at.isoformat() if glass else ""},
        basis=audit_basis.break_glass(glass.reason if glass else ""),
    )
    return case


def _open_case(*, client: Client, by: Membership, source: str, opened_on: date | None) -> Case:
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("A case cannot be opened in the future.")})
    if opened_on < client.birth_date:
        raise ValidationError({"opened_on": _("A case cannot be opened before the client was born.")})
    if Case.objects.filter(client=client, unit=by.unit, closed_on__isnull=True).exists():
        raise ValidationError(
            _(
                "This person is already a client of your unit with an open case. Ask the case's personal "
                "worker to add you to its team."
            ),
            code="open_case_exists",
        )
    case = Case(
        client=client, unit=by.unit, source=source, opened_on=opened_on, opened_by=by, personal_worker=by
    )
    case.full_clean(exclude=["client", "unit", "opened_by", "personal_worker"])
    case.save()
    CaseStatusChange.objects.create(case=case, status=CaseStatus.IDENTIFIED, by=by)
    CaseWorkerChange.objects.create(case=case, worker=by, by=by)
    CaseTeamMember.objects.create(case=case, membership=by, role=by.role, started_on=opened_on, added_by=by)
    timeline.add(
        client,
        "case.opened",
        by=by,
        case=case,
        obj=case,
        params=names.both("unit", by.unit.name, by.unit.name_sv),
    )
    audit.record(
        by,
        "case.open",
        case,
        client=client,
        details={"source": source},
        basis=audit_basis.team(case.public_id, by.role),
    )
    return case


@transaction.atomic
def update_client(
    *, client: Client, by: Membership, expected_version: str | None = None, **details: Any
) -> Client:
    """The client's basic details; refused if someone saved them after `expected_version`."""
    permissions.require(by, "client.edit", client, hide=True)
    client = edits.check_version(
        client,
        expected_version,
        message=_("%(who)s changed the client's details at %(time)s after you opened them."),
        actions=("client.update",),
    )
    unknown = set(details) - set(CLIENT_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    merged = {field: getattr(client, field) for field in CLIENT_DETAIL_FIELDS} | details
    _check_details(merged)
    changed = sorted(field for field, value in details.items() if getattr(client, field) != value)
    for field, value in details.items():
        setattr(client, field, value)
    client.full_clean(exclude=["identity_code_encrypted", "identity_code_hash", "created_by"])
    if changed:
        client.save(update_fields=[*changed, "updated_at"])
        timeline.add(client, "client.details_changed", by=by, obj=client, params={"fields": changed})
        audit.record(by, "client.update", client, client=client, details={"fields": changed})
    return client


def reveal_identity_code(*, client: Client, by: Membership) -> str:
    """The full identity code, shown only on this explicit and audited request."""
    permissions.require(by, "client.reveal_identity_code", client, hide=True)
    audit.record(by, "client.identity_code.reveal", client, client=client)
    return identity.decrypt(client.identity_code_encrypted)


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("client", "unit").get(pk=case.pk)


# The audited writes that change a case's own row (its version, `clients.edits`).
CASE_WRITES = ("case.status", "case.next_step", "case.assign", "case.close")


def _check_case_version(case: Case, expected_version: str | None) -> None:
    edits.check_version(
        case,
        expected_version,
        message=_("%(who)s changed the case at %(time)s after you opened it."),
        actions=CASE_WRITES,
    )


@transaction.atomic
def change_status(
    *, case: Case, status: str, by: Membership, note: str = "", expected_version: str | None = None
) -> Case:
    case = lock_case(case)
    permissions.require(by, "case.manage", case)
    _check_case_version(case, expected_version)
    if status == CaseStatus.CLOSED:
        raise ValidationError({"status": _("Close the case with its outcome instead.")})
    if status not in CaseStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == case.status:
        raise ValidationError({"status": _("The case already has this status.")})
    moment = progress.status_moment(case)
    CaseStatusChange.objects.create(
        case=case, status=status, previous_status=case.status, at=moment, by=by, note=note
    )
    case.status, case.status_changed_at = status, moment
    case.save(update_fields=["status", "status_changed_at", "updated_at"])
    timeline.add(
        case.client, "case.status_changed", by=by, case=case, obj=case, params={"status": status}, text=note
    )
    audit.record(by, "case.status", case, client=case.client, details={"status": status})
    return case


@transaction.atomic
def close_case(
    *, case: Case, outcome: str, by: Membership, closed_on: date | None = None, note: str = ""
) -> Case:
    """Close with an outcome. The team's periods end with it, so access ends too."""
    case = lock_case(case)
    permissions.require(by, "case.manage", case)
    closed_on = closed_on or timezone.localdate()
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome from the list.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A case cannot be closed in the future.")})
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot be closed before it was opened.")})
    basis = audit.basis_of(by, case.client)  # before closing ends the team periods that allowed it
    moment = progress.status_moment(case)
    CaseStatusChange.objects.create(
        case=case, status=CaseStatus.CLOSED, previous_status=case.status, at=moment, by=by, note=note
    )
    case.status, case.status_changed_at = CaseStatus.CLOSED, moment
    case.closed_on, case.outcome = closed_on, outcome
    case.save(update_fields=["status", "status_changed_at", "closed_on", "outcome", "updated_at"])
    case.team.filter(ended_on__isnull=True).update(
        ended_on=timezone.localdate(), ended_by=by, updated_at=story_time.now()
    )
    timeline.add(
        case.client, "case.closed", by=by, case=case, obj=case, params={"outcome": outcome}, text=note
    )
    audit.record(by, "case.close", case, client=case.client, details={"outcome": outcome}, basis=basis)
    return case


@transaction.atomic
def plan_next_step(
    *, case: Case, step: str, due_on: date, by: Membership, expected_version: str | None = None
) -> Case:
    case = lock_case(case)
    permissions.require(by, "case.manage", case)
    _check_case_version(case, expected_version)
    step = step.strip()
    if not step:
        raise ValidationError({"step": _("Say what the next action or review is.")})
    case.next_step, case.next_step_on = step, due_on
    case.save(update_fields=["next_step", "next_step_on", "updated_at"])
    timeline.add(
        case.client,
        "case.next_step",
        by=by,
        case=case,
        obj=case,
        params={"on": due_on.isoformat(), "step": step},
    )
    audit.record(by, "case.next_step", case, client=case.client)
    return case
