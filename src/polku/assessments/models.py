"""The multidisciplinary work ability assessment (monialainen työkyvyn arviointi).

The case's personal worker starts an assessment and invites team members, each for one domain
(somatic, psychological, social, vocational). Each writes findings in their domain, with ICF codes and
questionnaire results attached. The team meets with the client; the personal worker concludes with one
of a fixed list of conclusions and recommendations. A concluded assessment never changes: the rows
refuse it (as a completed questionnaire response does); a correction is an addendum.

A finding is a record of its author's organisation in the register of its domain: somatic and
psychological findings are health care records, and reach another organisation only under the
client's consent (`clients.access.disclosed_records`).

The vocabularies (kinds, domains, conclusions) are in choices.py; the querysets that refuse changes to
a concluded assessment, and the error they refuse with, in locking.py.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.assessments.choices import (
    DOMAIN_REGISTER,
    AssessmentConclusion,
    AssessmentEvent,
    AssessmentKind,
    Domain,
)
from polku.assessments.locking import (
    AddendumQuerySet,
    AssessmentLocked,
    AssessmentQuerySet,
    PartQuerySet,
    check_open,
)
from polku.clients.models import Case, Client, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord

# The models moved here from the plans app (migrations plans 0005 and assessments 0001 moved them in
# Django's state only): each keeps its table, `plans_<model>` (`Meta.db_table`), and the data in it.

__all__ = [
    "Assessment",
    "AssessmentAddendum",
    "AssessmentHistory",
    "AssessmentInvitation",
    "AssessmentMeeting",
    "Finding",
    "FindingFeedback",
    "Recommendation",
]


class Assessment(PublicRecord):
    """One assessment in a case, from its start to its conclusion."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    question = limits.text(_("what the assessment should answer"), limits.SUMMARY, blank=True)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    started_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    conclusion = models.CharField(
        _("conclusion"), max_length=32, choices=AssessmentConclusion.choices, blank=True
    )
    summary = limits.text(_("multidisciplinary summary"), limits.NOTE, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        db_table = "plans_assessment"
        verbose_name = _("work ability assessment")
        verbose_name_plural = _("work ability assessments")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_at__isnull=True, conclusion="")
                | Q(concluded_at__isnull=False, concluded_on__isnull=False) & ~Q(conclusion=""),
                name="assessment_concluded_with_conclusion",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(concluded_at__isnull=True), name="assessment_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%d.%m.%Y}"

    @property
    def is_concluded(self) -> bool:
        return self.concluded_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Assessment.objects.filter(pk=self.pk, concluded_at__isnull=False).exists():
            raise AssessmentLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_concluded:
            raise AssessmentLocked()
        return super().delete(*args, **kwargs)


class AssessmentPart(PublicRecord):
    """A row of an assessment that is written while it is open and never changes after it is concluded."""

    assessment_id: int

    objects = PartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_open(self.assessment_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_open(self.assessment_id)
        return super().delete(*args, **kwargs)


class AssessmentInvitation(AssessmentPart):
    """A team member asked to assess one domain."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="invitations")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    invited_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "plans_assessmentinvitation"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member", "domain"], name="invitation_once")
        ]


class Finding(AssessmentPart):
    """What one professional found in their domain: a record of their organisation's register."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="findings")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    text = limits.text(_("findings"), limits.NOTE)
    icf_codes = models.JSONField(_("ICF codes"), default=list, blank=True)
    responses = models.ManyToManyField(
        "instruments.Response",
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire results"),
        db_table="plans_finding_responses",
    )
    placement_feedback: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "placements.Feedback",
        through="FindingFeedback",
        blank=True,
        related_name="+",
        verbose_name=_("feedback from work placements"),
    )
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "plans_finding"
        ordering = ["domain", "created_at", "id"]
        indexes = [models.Index(fields=["assessment", "domain"], name="finding_assessment_domain")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.text[:40]}"

    def icf_categories(self) -> list[tuple[str, str]]:
        """(code, title) of the finding's ICF codes, in the current language."""
        from polku.assessments import icf

        return icf.described(self.icf_codes)

    def clean(self) -> None:
        expected = DOMAIN_REGISTER.get(self.domain)  # type: ignore[call-overload]
        if expected and self.register != expected:
            raise ValidationError({"register": _("A finding belongs to the register of its domain.")})


class FindingFeedback(models.Model):
    """A work placement host's submitted feedback attached to a finding (typically a vocational one) as
    evidence. Attached when the finding is written; like the finding, never changed once the assessment
    is concluded. The feedback itself stays a placement record: it is shown with the finding only to
    those who may read the placement."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="feedback_links")
    feedback = models.ForeignKey("placements.Feedback", on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "plans_findingfeedback"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["finding", "feedback"], name="finding_feedback_once")]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.feedback_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _check_finding_open(self.finding_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _check_finding_open(self.finding_id)
        return super().delete(*args, **kwargs)


def _check_finding_open(finding_id: int) -> None:
    check_open(Finding.objects.filter(pk=finding_id).values_list("assessment_id", flat=True).get())


class AssessmentMeeting(AssessmentPart):
    """The team meeting with the client, and the client's own view in their own words."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    participants = limits.text(_("participants"), limits.LIST)
    client_view = limits.text(_("the client's own view"), limits.NOTE)
    notes = limits.text(_("notes of the discussion"), limits.NOTE, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "plans_assessmentmeeting"
        ordering = ["held_on", "id"]


class RecommendationQuerySet(PartQuerySet["Recommendation"]):
    # Linking code may set other fields of a concluded assessment's recommendation (links/).
    locked_fields = frozenset({"text", "order", "assessment"})


class Recommendation(PublicRecord):
    """One recommendation of the conclusion, in its order. Its text and place never change once the
    assessment is concluded; other fields (a link to the plan action it became) may be set later."""

    LOCKED_FIELDS = frozenset({"text", "order", "assessment"})

    objects = RecommendationQuerySet.as_manager()

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="recommendations")
    order = models.PositiveIntegerField(_("order"))
    text = limits.text(_("recommendation"), limits.GOAL)

    class Meta:
        db_table = "plans_recommendation"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "order"], name="recommendation_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:40]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if self.pk is None or fields is None or set(fields) & self.LOCKED_FIELDS:
            check_open(self.assessment_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_open(self.assessment_id)
        return super().delete(*args, **kwargs)


class AssessmentAddendum(PublicRecord):
    """A correction or addition to a concluded assessment, by a member of its team: a record of the
    author's organisation in its register, shown to another organisation only under consent."""

    objects = AddendumQuerySet.as_manager()

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    text = limits.text(_("addendum"), limits.NOTE)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # A record of the author's organisation: in the case register for the case organisation, in the
    # strictest register of their invited domains for an invited contributor (conclusion.add_addendum).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    written_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        db_table = "plans_assessmentaddendum"
        ordering = ["created_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("An addendum never changes; write another one."))
        super().save(*args, **kwargs)


class AssessmentHistory(models.Model):
    """A dated row per start and conclusion, with the kind, the unit and the conclusion copied in, so
    that management can count assessments per period and unit without reading the assessments."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="history")
    event = models.CharField(max_length=16, choices=AssessmentEvent.choices)
    on = models.DateField()
    at = models.DateTimeField(default=story_time.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AssessmentKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    conclusion = models.CharField(max_length=32, choices=AssessmentConclusion.choices, blank=True)

    class Meta:
        db_table = "plans_assessmenthistory"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["event", "on", "unit"], name="assessment_history_count")]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.event} {self.on:%Y-%m-%d}"
