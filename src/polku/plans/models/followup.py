"""The follow-up of an agreed service plan: the progress of its actions, reviews (the attained GAS level
of each goal, the measures taken, the decision) and the dated events that knowledge-based management
counts. Each row is written once and never changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.models import Case
from polku.core import limits, story_time
from polku.core.models import PublicRecord
from polku.plans.models.plan import ActionStatus, Goal, PlanVersion, ServicePlan

__all__ = [
    "ActionProgress",
    "GoalRating",
    "PlanEvent",
    "PlanEventKind",
    "PlanReview",
    "ReviewDecision",
    "ReviewMeasure",
]


class ActionProgress(models.Model):
    """The progress of an action of an agreed version, as it happens (planned, in progress, done,
    cancelled): a history row per change, so that the agreed version itself stays as agreed with the
    client. Matched to the action by its key, which stays the same across versions. Never changes."""

    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="action_progress")
    action_key = models.UUIDField()
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    on = models.DateField(_("date"))
    note = limits.text(_("note"), limits.REASON, blank=True)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["plan", "action_key"], name="action_progress_plan_key")]

    def __str__(self) -> str:
        return f"{self.action_key}: {self.status} {self.on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("A progress record never changes; record the new status instead."))
        super().save(*args, **kwargs)


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue with the plan")
    REVISE = "revise", _("Revise the plan")
    CLOSE = "close", _("Close the plan")


class PlanReview(PublicRecord):
    """A review of an agreed version: the attained GAS level of each goal, the T-score, the measures
    taken, notes and the decision. A record of the plan's register, written once."""

    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("held on"))
    t_score = models.FloatField(_("GAS T-score"))
    notes = limits.text(_("notes"), limits.NOTE, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["held_on", "id"]


class GoalRating(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="ratings")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="ratings")
    level = models.SmallIntegerField(_("attained level"))

    class Meta:
        ordering = ["goal__position", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="rating_once_per_goal"),
            models.CheckConstraint(condition=Q(level__gte=-2, level__lte=2), name="rating_in_gas_range"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.level:+d}"


class ReviewMeasure(models.Model):
    """A completed questionnaire response taken as a repeated measure at the review."""

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="measures")
    response = models.ForeignKey("instruments.Response", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "response"], name="measure_once")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.response_id}"


class PlanEventKind(models.TextChoices):
    AGREED = "plan_agreed", _("Plan agreed")
    REVIEW_HELD = "review_held", _("Review held")
    GOAL_ATTAINED = "goal_attained", _("Goal attained")


class PlanEvent(models.Model):
    """A dated history row for knowledge-based management (tiedolla johtaminen): how many plans were
    agreed, reviews held and goals attained, in any period and unit. Written once, never changed."""

    kind = models.CharField(max_length=16, choices=PlanEventKind.choices)
    on = models.DateField()
    at = models.DateTimeField(default=story_time.now)
    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, null=True, related_name="+")
    review = models.ForeignKey(PlanReview, on_delete=models.PROTECT, null=True, related_name="+")
    goal_key = models.UUIDField(null=True)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["kind", "on", "unit"], name="plan_event_kind_on_unit")]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"
