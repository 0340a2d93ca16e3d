"""The responses given to questionnaires, and the safety alerts they raise. A response keeps the version
it answered, so old scores stay explainable after a new version is published."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models import Case, Client, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord
from polku.instruments.models.definitions import AlertRule, Band, InstrumentVersion

__all__ = [
    "AnsweredBy",
    "Response",
    "ResponseQuerySet",
    "SafetyAlert",
]


class AnsweredBy(models.TextChoices):
    STAFF_WITH_CLIENT = "staff_with_client", _("Staff with the client present")
    CLIENT = "client", _("The client on their own device")


class ResponseQuerySet(models.QuerySet["Response"]):
    def completed(self) -> ResponseQuerySet:
        return self.filter(completed_at__isnull=False)

    def current(self) -> ResponseQuerySet:
        """Completed and not superseded by a completed correction."""
        corrected = Response.objects.filter(supersedes=models.OuterRef("pk"), completed_at__isnull=False)
        return self.completed().exclude(models.Exists(corrected))


class Response(PublicRecord):
    """Answers to one version, in one case. A draft holds partial answers and may be saved again; a
    completed response never changes. A correction is a new response that `supersedes` the old one."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="questionnaire_responses")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="questionnaire_responses")
    answered_by = models.CharField(_("answered by"), max_length=32, choices=AnsweredBy.choices)
    # Empty when the client answered on their own device (`services_client`): no staff member entered it.
    entered_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    answers = models.JSONField(_("answers"), default=dict, blank=True)  # link id -> value
    item_scores = models.JSONField(default=dict, blank=True)  # link id -> score (scored items)
    total_score = models.IntegerField(_("score"), null=True, blank=True)
    subscale_scores = models.JSONField(default=dict, blank=True)  # subscale code -> score
    band = models.ForeignKey(Band, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["client", "completed_at"], name="response_client_completed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(total_score__isnull=False),
                name="response_completed_has_score",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} – {self.public_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Response.objects.filter(pk=self.pk, completed_at__isnull=False).exists():
            raise ValidationError(_("A completed response never changes; record a correction instead."))
        super().save(*args, **kwargs)


class SafetyAlert(PublicRecord):
    """Raised by an alert rule when a response is completed; stays on the client overview and in the
    personal worker's caseload until a team member acknowledges it."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="alerts")
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="safety_alerts")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="safety_alerts")
    raised_at = models.DateTimeField(default=story_time.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.CharField(_("what was done"), max_length=limits.SHORT_NOTE, blank=True)

    class Meta:
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["case", "acknowledged_at"], name="alert_case_open")]

    def __str__(self) -> str:
        return f"{self.rule} {self.raised_at:%Y-%m-%d %H:%M}"
