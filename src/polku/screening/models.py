"""Support needs and the screening rules that flag them.

A rule is versioned data: editing one in the admin writes a new version and retires the old, and a
need keeps the version that flagged it. A need's status changes are history rows (ARCHITECTURE.md
rule 4); the need itself carries its current state for the overview.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models import Case, Client, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord
from polku.screening import evaluation


class NeedKind(models.TextChoices):
    WORK_ABILITY_ASSESSMENT = "work_ability_assessment", _("Work ability assessment")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    SOCIAL_AND_FINANCIAL = "social_and_financial", _("Social and financial situation")
    SKILLS_AND_EDUCATION = "skills_and_education", _("Skills and education")
    HOUSING = "housing", _("Housing")
    EVERYDAY_FUNCTIONING = "everyday_functioning", _("Everyday functioning")


class Priority(models.IntegerChoices):
    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")


class ScreeningRule(models.Model):
    """One version of a screening rule. `code` names the rule across its versions."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = limits.text(_("description"), limits.SUMMARY, blank=True)
    conditions = models.JSONField(
        _("conditions"),
        help_text=_(
            'For example {"match": "all", "conditions": [{"fact": "age", "op": "gte", "value": 50}]}. '
            "Operators: eq, ne, lt, lte, gt, gte, in, not_in, is_true, is_false."
        ),
    )
    need_kind = models.CharField(_("support need"), max_length=32, choices=NeedKind.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=story_time.now, editable=False)

    class Meta:
        verbose_name = _("screening rule")
        verbose_name_plural = _("screening rules")
        ordering = ["priority", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="screening_rule_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="screening_rule_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def clean(self) -> None:
        evaluation.validate(self.conditions)

    def spec(self) -> evaluation.RuleSpec:
        return evaluation.RuleSpec(
            id=self.pk,
            code=self.code,
            version=self.version,
            name=self.name,
            need_kind=self.need_kind,
            priority=self.priority,
            conditions=self.conditions,
        )


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTED_ON = "acted_on", _("Acted on")
    DISMISSED = "dismissed", _("Dismissed")


class SupportNeed(PublicRecord):
    """A need for support flagged for a client by an organisation. A need is a record of that
    organisation's register: the most sensitive register of the facts that flagged it (a need flagged
    from PHQ-9 answers is health information), shown to other organisations only under the client's
    consent, like a contact note. One open need per kind and register in an organisation: new evidence
    joins it."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="support_needs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("support need"), max_length=32, choices=NeedKind.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    rule = models.ForeignKey(
        ScreeningRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("flagged by")
    )
    status = models.CharField(_("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    status_changed_at = models.DateTimeField(default=story_time.now)
    # What was done about it (acted on): a reference rendered as a link, e.g. a contact or the case.
    action_type = models.CharField(max_length=64, blank=True)
    action_id = models.CharField(max_length=64, blank=True)
    action_label = models.CharField(max_length=200, blank=True)
    action_url = models.CharField(max_length=200, blank=True)
    dismissal_reason = limits.text(_("reason"), limits.REASON, blank=True)

    class Meta:
        verbose_name = _("support need")
        verbose_name_plural = _("support needs")
        ordering = ["priority", "-status_changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "organisation", "register"],
                condition=Q(status="open"),
                name="support_need_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == NeedStatus.OPEN


class NeedEvidence(models.Model):
    """Why a need was flagged: the rule version and the facts or answers it read, with their values."""

    need = models.ForeignKey(SupportNeed, on_delete=models.PROTECT, related_name="evidence")
    rule = models.ForeignKey(ScreeningRule, on_delete=models.PROTECT, related_name="+")
    facts = models.JSONField(default=dict)
    source = models.CharField(_("source"), max_length=200, blank=True)
    at = models.DateTimeField(default=story_time.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.need_id}: rule {self.rule_id}"

    def fact_items(self) -> list[tuple[str, Any]]:
        return sorted(self.facts.items())


class NeedStatusChange(models.Model):
    need = models.ForeignKey(SupportNeed, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=16, choices=NeedStatus.choices)
    previous_status = models.CharField(max_length=16, choices=NeedStatus.choices, blank=True)
    at = models.DateTimeField(default=story_time.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")
    note = limits.text(None, limits.REASON, blank=True)
    action_type = models.CharField(max_length=64, blank=True)
    action_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.need_id}: {self.status}"
