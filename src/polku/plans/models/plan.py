"""The service plan (asiakassuunnitelma) of a case: goals in the client's own words with their Goal
Attainment Scaling levels, actions under the goals, and versions. Its follow-up (reviews, the progress
of actions, the dated events that knowledge-based management counts) is followup.py's.

A plan is a chain of versions. A draft is edited freely; agreeing it with the client fixes it: an
agreed version, its goals and actions never change again (the models refuse it, and so do the
services). A change is a new draft copied from the agreed version. Goals and actions keep a `key`
across versions, so versions can be compared and a goal's progress followed over reviews.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models import Case, Client, Register
from polku.core import limits
from polku.core.models import PublicRecord

__all__ = [
    "ActionStatus",
    "AgreedPlanIsFixed",
    "AgreementMethod",
    "Goal",
    "PlanAction",
    "PlanVersion",
    "PlanVersionStatus",
    "Responsible",
    "ServicePlan",
]

GAS_LEVELS = (-2, -1, 0, 1, 2)


class AgreedPlanIsFixed(ValidationError):
    """Raised on any attempt to change an agreed version, its goals or its actions."""

    def __init__(self) -> None:
        super().__init__(
            _("An agreed plan cannot be changed. Start a new version to make changes."), code="agreed"
        )


class ServicePlan(PublicRecord):
    """The case's service plan: one per case. A record of the case organisation's register, shown to
    another organisation only under the client's consent."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="service_plan")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="service_plans")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # When the next review is due: the agreement date (or the last review) plus the agreed rhythm.
    # Kept on the plan so that the caseload can flag due reviews in one query.
    next_review_on = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        verbose_name = _("service plan")
        verbose_name_plural = _("service plans")
        indexes = [models.Index(fields=["next_review_on"], name="plan_next_review")]

    def __str__(self) -> str:
        return f"{self.case_id}: plan"


class PlanVersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class AgreementMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")
    WRITING = "writing", _("In writing")
    ELECTRONIC = "electronic", _("Electronically")
    OWN_POLKU = "own_polku", _("By the client in their own Polku")


class PlanVersionQuerySet(models.QuerySet["PlanVersion"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=PlanVersionStatus.AGREED).exists():
            raise AgreedPlanIsFixed()
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(status=PlanVersionStatus.AGREED).exists():
            raise AgreedPlanIsFixed()
        return super().delete()


class PlanVersion(PublicRecord):
    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlanVersionStatus.choices, default=PlanVersionStatus.DRAFT
    )
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = limits.text(
        _("the client's situation and wishes, in their own words"), limits.SUMMARY, blank=True
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        _("review every (weeks)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreement_method = models.CharField(
        _("how the client agreed"), max_length=16, choices=AgreementMethod.choices, blank=True
    )
    agreed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # A team member asked the client to agree this draft in their own Polku
    # (`services.agreement_client`); an agreement there leaves `agreed_by` empty (the client agreed).
    client_asked_at = models.DateTimeField(null=True, blank=True)
    client_asked_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status="draft"), name="plan_one_draft"),
            models.CheckConstraint(
                condition=Q(status="draft", agreed_on__isnull=True)
                | Q(status="agreed", agreed_on__isnull=False) & ~Q(agreement_method=""),
                name="plan_agreed_with_date_and_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number} ({self.status})"

    @property
    def is_agreed(self) -> bool:
        return self.status == PlanVersionStatus.AGREED

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Agreeing is the last change: a row stored as agreed is never written again.
        if self.pk and PlanVersion.objects.filter(pk=self.pk, status=PlanVersionStatus.AGREED).exists():
            raise AgreedPlanIsFixed()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if PlanVersion.objects.filter(pk=self.pk, status=PlanVersionStatus.AGREED).exists():
            raise AgreedPlanIsFixed()
        return super().delete(*args, **kwargs)


def _refuse_if_agreed(version_id: int | None) -> None:
    if version_id and PlanVersion.objects.filter(pk=version_id, status=PlanVersionStatus.AGREED).exists():
        raise AgreedPlanIsFixed()


_Part = TypeVar("_Part", bound=models.Model)


class PartOfVersionQuerySet(models.QuerySet[_Part]):
    """Goals and actions of an agreed version refuse bulk changes too, as their rows refuse save()."""

    version_path = "version"

    def refuse_if_agreed(self) -> None:
        if self.filter(**{f"{self.version_path}__status": PlanVersionStatus.AGREED}).exists():
            raise AgreedPlanIsFixed()

    def _refuse_objs(self, objs: Any) -> list[Any]:
        objs = list(objs)
        for version_id in {obj.version_id_of() for obj in objs}:
            _refuse_if_agreed(version_id)
        return objs

    def update(self, **kwargs: Any) -> int:
        self.refuse_if_agreed()
        return super().update(**kwargs)

    def delete(self) -> Any:
        self.refuse_if_agreed()
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[_Part]:
        return super().bulk_create(self._refuse_objs(objs), *args, **kwargs)

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        objs = self._refuse_objs(objs)
        # The rows as stored count, not as changed in memory.
        type(self)(model=self.model).filter(pk__in=[obj.pk for obj in objs]).refuse_if_agreed()
        return super().bulk_update(objs, *args, **kwargs)


class GoalQuerySet(PartOfVersionQuerySet["Goal"]):
    version_path = "version"


class PlanActionQuerySet(PartOfVersionQuerySet["PlanAction"]):
    version_path = "goal__version"


class PartOfVersion(PublicRecord):
    """Goals and actions: changeable only while their version is a draft."""

    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def version_id_of(self) -> int | None:
        raise NotImplementedError

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_if_agreed(self.version_id_of())
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _refuse_if_agreed(self.version_id_of())
        return super().delete(*args, **kwargs)


class Goal(PartOfVersion):
    """A goal in the client's own words (stored as typed), with its GAS scale: what each level from -2
    to +2 looks like, the level at the start (baseline) and the goal's weight."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    text = limits.text(_("goal in the client's own words"), limits.GOAL)
    level_minus_2 = limits.text(_("−2: much less than expected"), limits.GAS_LEVEL)
    level_minus_1 = limits.text(_("−1: somewhat less than expected"), limits.GAS_LEVEL)
    level_0 = limits.text(_("0: the expected outcome"), limits.GAS_LEVEL)
    level_plus_1 = limits.text(_("+1: somewhat more than expected"), limits.GAS_LEVEL)
    level_plus_2 = limits.text(_("+2: much more than expected"), limits.GAS_LEVEL)
    baseline_level = models.SmallIntegerField(
        _("level at the start"),
        default=-1,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    LEVEL_FIELDS = {
        -2: "level_minus_2",
        -1: "level_minus_1",
        0: "level_0",
        1: "level_plus_1",
        2: "level_plus_2",
    }

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_level__gte=-2, baseline_level__lte=2), name="goal_baseline_in_gas_range"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="goal_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def version_id_of(self) -> int | None:
        return self.version_id

    def levels(self) -> list[tuple[int, str]]:
        """(level, description) from -2 to +2."""
        return [(level, getattr(self, field)) for level, field in self.LEVEL_FIELDS.items()]

    def level_text(self, level: int) -> str:
        field = self.LEVEL_FIELDS.get(level)
        return getattr(self, field) if field else ""


class Responsible(models.TextChoices):
    CLIENT = "client", _("The client")
    WORKER = "worker", _("The personal worker")
    TEAM_MEMBER = "team_member", _("A team member")
    EXTERNAL = "external", _("An external service")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanAction(PartOfVersion):
    """What is done towards a goal, who does it, by when."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    what = limits.text(_("what is done"), limits.GOAL)
    responsible = models.CharField(_("who is responsible"), max_length=16, choices=Responsible.choices)
    responsible_name = models.CharField(_("name of the team member or service"), max_length=200, blank=True)
    # A service of the catalogue (what a referral can be made to), or another service named as text.
    service = models.ForeignKey(
        "services.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service in the catalogue"),
    )
    service_name = models.CharField(  # noqa: DJ001
        _("other service (not in the catalogue)"), max_length=200, null=True, blank=True
    )
    # The assessment recommendation the action was made from (the assessment itself stays locked).
    from_recommendation = models.ForeignKey(
        "assessments.Recommendation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("from the recommendation"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.what[:60]

    def version_id_of(self) -> int | None:
        if not self.goal_id:
            return None
        return Goal.objects.filter(pk=self.goal_id).values_list("version_id", flat=True).first()

    def clean(self) -> None:
        if self.responsible in (Responsible.TEAM_MEMBER, Responsible.EXTERNAL) and not (
            self.responsible_name.strip() or (self.service_name or "").strip() or self.service_id
        ):
            raise ValidationError({"responsible_name": _("Name the team member or the service responsible.")})
        if self.service_id and (self.service_name or "").strip():
            raise ValidationError(
                {"service_name": _("Choose a service of the catalogue or name another service, not both.")}
            )
