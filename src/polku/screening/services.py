"""Every write of support needs and screening rules: flag needs from facts, mark them acted on or
dismissed, and revise rules (a new version each time)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, User
from polku.audit import services as audit
from polku.clients import timeline
from polku.clients.models import Case, Client, Contact, Register
from polku.clients.timeline import TimelineKind
from polku.core import plugins, story_time
from polku.screening import evaluation
from polku.screening.models import (
    NeedEvidence,
    NeedKind,
    NeedStatus,
    NeedStatusChange,
    ScreeningRule,
    SupportNeed,
)


def current_rules(*, only_facts: Any = None) -> list[evaluation.CompiledRule]:
    """The active current versions of the rules, compiled (see `evaluation.compile_rules`)."""
    rules = ScreeningRule.objects.filter(is_current=True, is_active=True).order_by("priority", "code")
    return evaluation.compile_rules([rule.spec() for rule in rules], only_facts=only_facts)


@transaction.atomic
def screen_client(
    *,
    client: Client,
    case: Case | None,
    facts: evaluation.Facts,
    by: Membership | None,
    source_description: str,
    rules: list[evaluation.CompiledRule] | None = None,
    fact_registers: Mapping[str, str] | None = None,
    register: str = Register.EMPLOYMENT,
    organisation: Organisation | None = None,
    actor: dict[str, Any] | None = None,
) -> list[SupportNeed]:
    """Run the rules over the facts and flag the needs they find, as records of `by`'s organisation. A
    need's register is the most sensitive register of the facts its rule read: `fact_registers` names a
    fact's register (questionnaire answers), `register` is for the others (registry facts). The caller
    passes only facts `by` may see. An open need of the same kind and register gets the new evidence
    instead of a twin; the same evidence twice is recorded once. Returns the needs flagged or given new
    evidence.

    `by` is None when the client answered a questionnaire in their own Polku: the caller (the client's
    answers, `instruments.services_client`) has decided the client may answer it and passes the
    `organisation` whose record the answers are (the case unit's) with the facts that organisation may
    read, and `actor`, the audit details naming the client. The rules, the needs and their evidence are
    then exactly those of staff entry in that organisation; no staff member is recorded as acting."""
    if by is not None:
        permissions.require(by, "need.screen", client, hide=True)
        organisation = by.unit.organisation
    elif organisation is None or actor is None:
        raise ValueError("Screening without a staff member needs the organisation and the actor.")
    findings = evaluation.evaluate(rules if rules is not None else current_rules(), facts)
    touched: dict[int, SupportNeed] = {}
    for finding in findings:
        need_register = _most_sensitive(
            [(fact_registers or {}).get(fact, register) for fact in finding.facts] or [register]
        )
        need = _flag(
            client=client,
            case=case,
            finding=finding,
            by=by,
            source=source_description,
            register=need_register,
            organisation=organisation,
            actor=actor,
        )
        if need is not None:
            touched[need.pk] = need
    return list(touched.values())


_SENSITIVITY = [Register.HEALTH, Register.SOCIAL, Register.EMPLOYMENT]


def _most_sensitive(registers: list[str]) -> str:
    return (
        next(r for r in _SENSITIVITY if r in registers)
        if set(registers) & set(_SENSITIVITY)
        else Register.HEALTH
    )


def _flag(
    *,
    client: Client,
    case: Case | None,
    finding: evaluation.Finding,
    by: Membership | None,
    source: str,
    register: str,
    organisation: Organisation,
    actor: dict[str, Any] | None,
) -> SupportNeed | None:
    spec = finding.rule
    details = {**(actor or {}), "rule": spec.code, "version": spec.version}
    need = (
        SupportNeed.objects.select_for_update()
        .filter(client=client, kind=spec.need_kind, organisation=organisation, register=register)
        .filter(status=NeedStatus.OPEN)
        .first()
    )
    if need is None:
        need = SupportNeed.objects.create(
            client=client,
            case=case,
            kind=spec.need_kind,
            priority=spec.priority,
            rule_id=spec.id,
            organisation=organisation,
            register=register,
        )
        NeedStatusChange.objects.create(need=need, status=NeedStatus.OPEN, by=by, note=source)
        timeline.add(
            client,
            "need.flagged",
            by=by,
            case=case,
            obj=need,
            register=register,
            params={"kind": spec.need_kind},
            organisation=organisation,
        )
        audit.record(by, "need.flag", need, client=client, details=details)
    elif any(e.facts == finding.facts for e in need.evidence.filter(rule_id=spec.id)):
        return None
    else:
        if spec.priority < need.priority:
            need.priority = spec.priority
            need.save(update_fields=["priority", "updated_at"])
        audit.record(by, "need.evidence", need, client=client, details=details)
    NeedEvidence.objects.create(need=need, rule_id=spec.id, facts=finding.facts, source=source, by=by)
    return need


# --- What a need was acted on with: anything that can be shown as a link ---------------------------

Describe = Callable[[Any], tuple[str, str]]  # the object -> (label, url)


@dataclass(frozen=True)
class NeedActionType:
    """A kind of record (`key`: its model's `app_label.modelname`, a referral say) a need can be acted on
    with, and how the need shows it: `describe(record)` gives the link's text and address. Apps contribute
    theirs from their `AppConfig.ready()` (`polku.core.plugins.contribute`)."""

    key: str
    describe: Describe


def _describe_case(case: Case) -> tuple[str, str]:
    label = _("Case in %(unit)s, opened %(on)s") % {
        "unit": case.unit.display_name,
        "on": date_format(case.opened_on, "SHORT_DATE_FORMAT"),
    }
    return label, reverse("clients:detail", args=[case.client.public_id])


def _describe_contact(contact: Contact) -> tuple[str, str]:
    label = _("%(kind)s on %(on)s") % {
        "kind": contact.get_kind_display(),
        "on": date_format(contact.happened_on, "SHORT_DATE_FORMAT"),
    }
    return label, reverse("clients:detail", args=[contact.client.public_id]) + "#timeline"


# What a need can be acted on with whatever apps are installed (ScreeningConfig.ready contributes them).
ACTION_TYPES = (
    NeedActionType("clients.case", _describe_case),
    NeedActionType("clients.contact", _describe_contact),
)


def _locked(need: SupportNeed) -> SupportNeed:
    return SupportNeed.objects.select_for_update().select_related("client").get(pk=need.pk)


@transaction.atomic
def act_on_need(*, need: SupportNeed, by: Membership, action: Model, note: str = "") -> SupportNeed:
    """Mark the need acted on, pointing at what was done (a contact, the case, later a referral)."""
    need = _locked(need)
    permissions.require(by, "need.manage", need, hide=True)
    if not need.is_open:
        raise ValidationError(_("This need has already been acted on or dismissed."))
    label_lower = action._meta.label_lower
    action_type = plugins.contribution(NeedActionType, label_lower)
    if action_type is None or getattr(action, "client_id", None) != need.client_id:
        raise ValidationError({"action": _("Choose something done for this client.")})
    label, url = action_type.describe(action)
    action_id = str(getattr(action, "public_id", action.pk))
    NeedStatusChange.objects.create(
        need=need,
        status=NeedStatus.ACTED_ON,
        previous_status=need.status,
        by=by,
        note=note,
        action_type=label_lower,
        action_id=action_id,
    )
    need.status, need.status_changed_at = NeedStatus.ACTED_ON, story_time.now()
    need.action_type, need.action_id, need.action_label, need.action_url = label_lower, action_id, label, url
    need.save(
        update_fields=[
            "status",
            "status_changed_at",
            "action_type",
            "action_id",
            "action_label",
            "action_url",
            "updated_at",
        ]
    )
    timeline.add(
        need.client,
        "need.acted_on",
        by=by,
        obj=need,
        register=need.register,
        params={"kind": need.kind, "action": label},
    )
    audit.record(by, "need.act", need, client=need.client, details={"action": label_lower})
    return need


@transaction.atomic
def dismiss_need(*, need: SupportNeed, by: Membership, reason: str) -> SupportNeed:
    need = _locked(need)
    permissions.require(by, "need.manage", need, hide=True)
    reason = reason.strip()
    if not need.is_open:
        raise ValidationError(_("This need has already been acted on or dismissed."))
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why the need is dismissed.")})
    NeedStatusChange.objects.create(
        need=need, status=NeedStatus.DISMISSED, previous_status=need.status, by=by, note=reason
    )
    need.status, need.status_changed_at, need.dismissal_reason = (
        NeedStatus.DISMISSED,
        story_time.now(),
        reason,
    )
    need.save(update_fields=["status", "status_changed_at", "dismissal_reason", "updated_at"])
    timeline.add(
        need.client,
        "need.dismissed",
        by=by,
        obj=need,
        register=need.register,
        params={"kind": need.kind},
        text=reason,
    )
    audit.record(by, "need.dismiss", need, client=need.client)
    return need


@transaction.atomic
def revise_rule(*, rule: ScreeningRule, by: Membership | User | None, **changes: Any) -> ScreeningRule:
    """A new version of the rule with the changes; the old version stays for the needs it flagged."""
    old = ScreeningRule.objects.select_for_update().get(pk=rule.pk)
    if not old.is_current:
        raise ValidationError(_("Only the current version of a rule can be revised."))
    fields = ("name", "description", "conditions", "need_kind", "priority", "is_active")
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"Unknown rule fields: {sorted(unknown)}")
    new = ScreeningRule(
        code=old.code,
        version=old.version + 1,
        **{field: changes.get(field, getattr(old, field)) for field in fields},
    )
    new.full_clean(exclude=["code"])
    old.is_current = False
    old.save(update_fields=["is_current"])
    new.save()
    audit.record(by, "screening_rule.revise", new, details={"code": new.code, "version": new.version})
    return new


def _kind(params: dict[str, Any]) -> dict[str, Any]:
    try:
        return {**params, "kind": str(NeedKind(str(params.get("kind"))).label)}
    except ValueError:
        return params


# What screening writes to the client timeline (ScreeningConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind("need.flagged", gettext_lazy("Support need flagged: %(kind)s"), _kind),
    TimelineKind("need.acted_on", gettext_lazy("Support need acted on: %(kind)s (%(action)s)"), _kind),
    TimelineKind("need.dismissed", gettext_lazy("Support need dismissed: %(kind)s"), _kind),
)
