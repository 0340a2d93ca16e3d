"""What the client writes in their own Polku about their plan: history rows, never changed, so the
agreed plan stays as agreed and the worker's ratings stay the worker's."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client
from polku.core import limits, story_time
from polku.core.models import PublicRecord
from polku.plans.models import ServicePlan


class ActionMark(PublicRecord):
    """The client marks an action the plan gives to them done (or not yet), with a comment. Matched to
    the action by its key, which stays the same across plan versions; the latest row is the current."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    # The plan's case, kept here so the team's panel finds the marks without reading plan tables.
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="+")
    action_key = models.UUIDField()
    done = models.BooleanField(_("done"), default=False)
    comment = limits.text(_("comment"), limits.REASON, blank=True)
    at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["plan", "action_key"], name="portal_mark_plan_key")]


class GoalSelfRating(PublicRecord):
    """The client's own rating of a goal's attained GAS level before a review, stored beside the worker's
    rating (plans.GoalRating), never in its place."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ServicePlan, on_delete=models.PROTECT, related_name="+")
    goal_key = models.UUIDField()
    level = models.SmallIntegerField(
        _("how far I have come"), validators=[MinValueValidator(-2), MaxValueValidator(2)]
    )
    note = limits.text(_("comment"), limits.REASON, blank=True)
    at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["plan", "goal_key"], name="portal_selfrating_plan_key")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="portal_selfrating_in_gas_range"
            )
        ]


class Message(PublicRecord):
    """A message between the client and the team of one of their cases: written by the client
    (`author` empty) or by a team member. Plain text; the email notice never carries it."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = limits.text(_("message"), limits.REASON)
    at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="portal_message_case_at")]

    @property
    def from_client(self) -> bool:
        return self.author_id is None


class AccessibilityFeedback(models.Model):
    """Feedback on the accessibility of Polku (Act 306/2019 §15): from anyone, logged in or not. No
    client is linked; a contact address only if the sender gives one for an answer."""

    text = limits.text(_("feedback"), limits.REASON)
    page = models.CharField(_("page"), max_length=200, blank=True)
    contact = models.CharField(_("contact for an answer"), max_length=200, blank=True)
    at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"accessibility feedback {self.at:%Y-%m-%d}"


class FeedbackOccasion(models.TextChoices):
    PLAN_AGREED = "plan_agreed", _("After agreeing the plan")
    REVIEW = "review", _("After a review")
    CASE_CLOSED = "case_closed", _("At the end of the service")


class ServiceFeedback(models.Model):
    """The client's short feedback on the service, for aggregate figures only: it names the organisation,
    the occasion and the month, never the client, the case or the worker. The client's own marker that
    they answered (`FeedbackGiven`) is kept apart from it, so no answer can be traced back to a person."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(_("occasion"), max_length=16, choices=FeedbackOccasion.choices)
    month = models.DateField(_("month"))
    heard = models.PositiveSmallIntegerField(
        _("I was heard"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    knew_responsible = models.BooleanField(_("I knew who was responsible for my matters"))
    useful = models.PositiveSmallIntegerField(
        _("The service was useful to me"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    def __str__(self) -> str:
        return f"{self.occasion} {self.month:%Y-%m}"


class FeedbackGiven(models.Model):
    """That the client answered the feedback of this occasion of this case (so it is not asked again)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=16, choices=FeedbackOccasion.choices)
    key = models.CharField(max_length=64)  # the plan version or review the occasion was

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "occasion", "key"], name="portal_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.occasion} {self.key}"


class QuestionnaireRequest(PublicRecord):
    """A team member asks the client to fill in a self-assessment questionnaire in their own Polku. The
    client's answers are an `instruments.Response` (answered by the client, saved as they go); the
    request is done when that response is completed."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("instruments.InstrumentVersion", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=story_time.now)
    response = models.OneToOneField(
        "instruments.Response", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["client", "completed_at"], name="portal_qrequest_open")]

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
