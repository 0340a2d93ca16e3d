"""Entering a client into IPS, changing the period's phase and the coach's working time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Role
from polku.audit import services as audit
from polku.clients import services as client_services
from polku.clients import timeline
from polku.clients.models import Case, Register
from polku.employment.models import (
    CoachProfile,
    IpsPeriod,
    Phase,
    PhaseChange,
)
from polku.employment.services.dates import not_future, today


@transaction.atomic
def ips_enter(
    *, case: Case, by: Membership, coach: Membership | None = None, wish: str = "", on: date | None = None
) -> IpsPeriod:
    """Take the client into IPS by their own wish to work (zero exclusion: nothing else is asked).
    The coach joins the case team if not on it."""
    permissions.require(by, "ips.enter", case, hide=True)
    coach = coach or by
    on = on or today()
    not_future(on, "on")
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
    on = on or today()
    not_future(on, "on")
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
