"""Every write of referrals: draft one from a case, send it, and move it through the provider's answers.
Each step checks permission and the allowed transitions, writes a history row, the audit event and a
timeline entry in one transaction. Catalogue writes are the admin's and the HSDS importer's (hsds.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.audit.labels import AuditLabel
from polku.clients import access, progress, timeline
from polku.clients.models import Case, Consent, Register
from polku.clients.timeline import TimelineKind
from polku.core import names, story_time
from polku.network.models import (
    NEEDS_REASON,
    SENDER_STATUSES,
    TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    Urgency,
)
from polku.plans.models import PlanAction
from polku.screening import services as screening_services
from polku.screening.models import SupportNeed


@transaction.atomic
def refer(
    *,
    case: Case,
    service: Service,
    by: Membership,
    reason: str,
    urgency: str = Urgency.NORMAL,
    register: str | None = None,
    shared_information: str = "",
    consent: Consent | None = None,
    need: SupportNeed | None = None,
    source: str = "",
    plan_action: PlanAction | None = None,
) -> Referral:
    """A draft referral from the case to the service; `send` sends it. `plan_action`: the action of the
    case's agreed service plan that names the service, when the referral is made from it. The referral's
    register follows the service's category (TaxonomyTerm.register); a `register` given is checked
    against it."""
    permissions.require(by, "referral.create", case, hide=not access.knows_of_case(by, case))
    errors: dict[str, str] = {}
    reason = reason.strip()
    shared_information = shared_information.strip()
    if register is not None and register != service.category.register:
        errors["register"] = _(
            "A referral to %(category)s is a record of the register “%(register)s”, set by the category."
        ) % {"category": service.category.name, "register": Register(service.category.register).label}
    register = service.category.register
    if not service.is_active:
        errors["service"] = _("This service is no longer active in the catalogue.")
    if len(reason) < 5:
        errors["reason"] = _("Say in a sentence why the client is referred.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if consent is not None:
        problem = consent_problem(
            consent,
            client_id=case.client_id,
            discloser_id=by.unit.organisation_id,
            provider=service.provider.organisation_id,
            register=register,
        )
        if problem:
            errors["consent"] = problem
    if shared_information and consent is None:
        errors["consent"] = _("Information is shared only under the client's consent: choose the consent.")
    if need is not None and need.client_id != case.client_id:
        errors["need"] = _("Choose a support need of this client.")
    if plan_action is not None:
        # Read afresh: whether its version is agreed is decided by the stored row, not a copy in memory.
        plan_action = PlanAction.objects.select_related("goal__version__plan__client").get(pk=plan_action.pk)
        version = plan_action.goal.version
        if (
            version.plan.case_id != case.pk
            or not version.is_agreed
            or not permissions.can(by, "plan.view", version.plan)
        ):
            errors["plan_action"] = _("Refer from an action of this case's agreed service plan.")
        elif plan_action.service_id != service.pk:
            errors["plan_action"] = _("The action names another service.")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        case=case,
        client=case.client,
        service=service,
        need=need,
        plan_action=plan_action,
        source=source.strip(),
        reason=reason,
        shared_information=shared_information,
        consent=consent,
        urgency=urgency,
        organisation=by.unit.organisation,
        register=register,
        created_by=by,
    )
    ReferralStatusChange.objects.create(referral=referral, status=ReferralStatus.DRAFT, by=by)
    _on_timeline(
        referral, "referral.drafted", by=by, params=names.both("service", service.name_fi, service.name_sv)
    )
    audit.record(
        by, "referral.create", referral, client=case.client, details={"service": str(service.public_id)}
    )
    return referral


def consent_problem(
    consent: Consent, *, client_id: int, discloser_id: int, provider: int | None, register: str
) -> str:
    """Why the consent does not let the referral's information go to the provider (empty if it does):
    it must be the client's, valid today, let the sending organisation disclose, name the provider's
    organisation when the provider is in Polku, and cover the referral's register."""
    if consent.client_id != client_id:
        return _("Choose a consent of this client.")
    if not consent.is_valid_on():
        return _("The client's consent is not valid today (it has been revoked or has expired).")
    if consent.discloser_id != discloser_id:
        return _("The consent must let your organisation disclose the information.")
    if provider is not None and consent.recipient_id != provider:
        return _("The consent must name the service's provider as the recipient.")
    if register not in consent.registers:
        return _("The consent does not cover %(register)s records, the register of this referral.") % {
            "register": Register(register).label.lower()
        }
    return ""


def consent_holds(referral: Referral) -> bool:
    """Whether the referral's consent still lets its shared information reach the provider (a referral
    without a consent shares nothing)."""
    return referral.consent is not None and not _referral_consent_problem(referral)


def _referral_consent_problem(referral: Referral) -> str:
    if referral.consent is None:
        return ""
    return consent_problem(
        referral.consent,
        client_id=referral.client_id,
        discloser_id=referral.organisation_id,
        provider=referral.service.provider.organisation_id,
        register=referral.register,
    )


def _on_timeline(
    referral: Referral, kind: str, *, by: Membership, params: dict[str, Any], text: str = ""
) -> None:
    """A timeline entry of the referral's register: the referral is a record of the sending organisation
    ("referred to substance services" says something of the client's health), so another organisation on
    the case team sees it only under the client's consent, as it sees the referral itself."""
    # The receiving unit's answer is still an entry of the sending organisation's record.
    timeline.add(
        referral.client,
        kind,
        by=by,
        case=referral.case,
        obj=referral,
        register=referral.register,
        organisation=referral.organisation,
        params=params,
        text=text,
    )


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__unit", "client", "service__provider", "need", "consent")
        .get(pk=referral.pk)
    )


@transaction.atomic
def move(*, referral: Referral, to: str, by: Membership, reason: str = "") -> Referral:
    """Move the referral to `to` when the lifecycle allows it and `by` may: sending, discarding a draft
    and withdrawing a sent referral before the answer (with a reason; both "cancelled") are the sending
    side's; the answers are the receiving unit's, or the sending worker's for a provider not in Polku."""
    referral = _locked(referral)
    action = "referral.send" if to in SENDER_STATUSES else "referral.answer"
    visible = permissions.can(by, "referral.view", referral) or permissions.can(
        by, "referral.view_incoming", referral
    )
    permissions.require(by, action, referral, hide=not visible)
    if to not in ReferralStatus.values:
        raise ValidationError(_("Unknown referral status."))
    if to not in TRANSITIONS.get(referral.status, ()):
        raise ValidationError(
            _("A referral that is “%(current)s” cannot be marked “%(new)s”.")
            % {
                "current": ReferralStatus(referral.status).label,
                "new": ReferralStatus(to).label,
            },
            code="transition_not_allowed",
        )
    reason = reason.strip()
    if to in NEEDS_REASON and len(reason) < 5:
        raise ValidationError({"reason": _("Give the reason in a sentence.")})
    if to == ReferralStatus.CANCELLED and referral.status == ReferralStatus.SENT and len(reason) < 5:
        raise ValidationError({"reason": _("Say in a sentence why the sent referral is withdrawn.")})
    if to == ReferralStatus.SENT:
        # Sending shares the information: the consent is checked again, as it stands now.
        problem = _referral_consent_problem(referral)
        if problem:
            raise ValidationError(
                _(
                    "The referral cannot be sent: %(problem)s Record a new consent with the client, or "
                    "discard this draft and refer again without sharing information."
                )
                % {"problem": problem},
                code="consent_not_valid",
            )
    now, previous = story_time.now(), referral.status
    on_behalf = to not in SENDER_STATUSES and referral.organisation_id == by.unit.organisation_id
    ReferralStatusChange.objects.create(
        referral=referral,
        status=to,
        previous_status=referral.status,
        at=now,
        by=by,
        reason=reason,
        on_behalf=on_behalf,
    )
    fields = ["status", "status_changed_at", "updated_at"]
    referral.status, referral.status_changed_at = to, now
    if to == ReferralStatus.SENT:
        referral.sent_at = now
        fields.append("sent_at")
    elif to in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        referral.answered_at = now
        fields.append("answered_at")
        if to == ReferralStatus.ACCEPTED:
            referral.accepted_at = now
            fields.append("accepted_at")
    elif to == ReferralStatus.STARTED:
        referral.started_at = now
        sent_on = timezone.localtime(referral.sent_at or now).date()
        referral.days_to_start = max((timezone.localtime(now).date() - sent_on).days, 0)
        fields += ["started_at", "days_to_start"]
    if not TRANSITIONS.get(to):
        referral.ended_at = now
        fields.append("ended_at")
    referral.save(update_fields=fields)
    _on_timeline(
        referral,
        "referral.status",
        by=by,
        params={**names.both("service", referral.service.name_fi, referral.service.name_sv), "status": to},
        text=reason,
    )
    audit.record(
        by,
        f"referral.{to}",
        referral,
        client=referral.client,
        details={"from": previous, "on_behalf": on_behalf},
    )
    if to == ReferralStatus.SENT:
        _act_on_need(referral, by)
    elif to == ReferralStatus.STARTED:
        progress.advance_case(referral.case, cause="referral.started", by=by)
    return referral


def send(*, referral: Referral, by: Membership) -> Referral:
    return move(referral=referral, to=ReferralStatus.SENT, by=by)


def _act_on_need(referral: Referral, by: Membership) -> None:
    """A referral sent for a flagged need marks the need acted on, when the need is the sender's to act on."""
    need = referral.need
    if need is not None and need.is_open and permissions.can(by, "need.manage", need):
        screening_services.act_on_need(need=need, by=by, action=referral)


def _describe_referral(referral: Referral) -> tuple[str, str]:
    return (
        _("Referral to %(service)s") % {"service": referral.service.name},
        reverse("network:referral", args=[referral.public_id]),
    )


# A referral can be what a support need was acted on with (ServicesConfig.ready contributes it).
NEED_ACTION_TYPES = (screening_services.NeedActionType("services.referral", _describe_referral),)


def _status(params: dict[str, Any]) -> dict[str, Any]:
    try:
        return {**params, "status": str(ReferralStatus(str(params.get("status"))).label)}
    except ValueError:
        return params


# The client timeline's kinds of this app (its AppConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind("referral.drafted", gettext_lazy("Referral drafted: %(service)s")),
    TimelineKind("referral.status", gettext_lazy("Referral to %(service)s: %(status)s"), _status),
)
# How the client's access report names this app's actions (its AppConfig.ready contributes them).
AUDIT_LABELS = (
    AuditLabel("referral.create", gettext_lazy("Drafted a referral")),
    AuditLabel("referral.view", gettext_lazy("Viewed a referral")),
    AuditLabel("referral.view_incoming", gettext_lazy("Viewed a referral the unit received")),
    AuditLabel(
        "referral.incoming", gettext_lazy("Saw the client's referral among a unit's incoming referrals")
    ),
    AuditLabel("referral.sent", gettext_lazy("Sent a referral")),
    AuditLabel("referral.accepted", gettext_lazy("Accepted a referral")),
    AuditLabel("referral.declined", gettext_lazy("Declined a referral")),
    AuditLabel("referral.started", gettext_lazy("Recorded that the service started")),
    AuditLabel("referral.completed", gettext_lazy("Recorded that the service was completed")),
    AuditLabel("referral.discontinued", gettext_lazy("Recorded that the service was discontinued")),
    AuditLabel("referral.did_not_attend", gettext_lazy("Recorded that the client did not attend")),
    AuditLabel("referral.cancelled", gettext_lazy("Cancelled a referral")),
)
