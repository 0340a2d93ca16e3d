"""The career profile of a period with its change history, and benefits counselling."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership
from polku.clients.models import Municipality
from polku.core import limits, story_time
from polku.core.models import PublicRecord
from polku.employment.models.period import Disclosure, IpsPeriod


class CareerProfile(PublicRecord):
    """The career (vocational) profile, built in the first meetings and updated after every job. Health
    limitations are not kept here: they stay in the health register under its consent rules."""

    period = models.OneToOneField(IpsPeriod, on_delete=models.CASCADE, related_name="career_profile")
    work_history = limits.text(_("work history"), limits.SUMMARY, blank=True)
    education = limits.text(_("education"), limits.SUMMARY, blank=True)
    job_fields = models.JSONField(_("kinds of work wanted"), default=list, blank=True)
    job_field_bits = models.PositiveIntegerField(default=0, editable=False)
    hours_min = models.PositiveSmallIntegerField(_("hours per week, at least"), default=0)
    hours_max = models.PositiveSmallIntegerField(_("hours per week, at most"), default=40)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("places")
    )
    # The places' codes as ",091,564," ("" for none), kept by `services.profile_save` with the
    # municipalities, so that matching tests a place without a subquery per profile.
    place_codes = models.TextField(default="", blank=True, editable=False)
    environment = limits.text(_("working environment wanted"), limits.SHORT_NOTE, blank=True)
    strengths = limits.text(_("strengths"), limits.SHORT_NOTE, blank=True)
    adjustments = models.JSONField(_("support or adjustments wanted at work"), default=list, blank=True)
    adjustment_bits = models.PositiveIntegerField(default=0, editable=False)
    disclosure = models.CharField(
        _("disclosure to employers"), max_length=16, choices=Disclosure.choices, default=Disclosure.UNDECIDED
    )
    disclosure_note = limits.text(_("what may be told"), limits.SHORT_NOTE, blank=True)
    disclosure_decided_on = models.DateField(_("disclosure decided on"), null=True, blank=True)
    updated_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_max__gte=models.F("hours_min")), name="career_hours_order"
            )
        ]


class CounsellingReason(models.TextChoices):
    START = "start", _("Before the job search")
    JOB_OFFER = "job_offer", _("Before a job start")
    CHANGE = "change", _("Hours or pay changed")


# The career profile fields a coach writes (`services.profile_save`), besides the places.
PROFILE_FIELDS = (
    "work_history",
    "education",
    "job_fields",
    "hours_min",
    "hours_max",
    "environment",
    "strengths",
    "adjustments",
    "disclosure",
    "disclosure_note",
)


class CareerProfileChange(models.Model):
    """A history row of the career profile: who changed which fields when, and the values before
    (`previous`: field name to the earlier value, places as a list of codes; empty when created)."""

    profile = models.ForeignKey(CareerProfile, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=story_time.now)
    changed_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created = models.BooleanField(default=False)
    fields = models.JSONField(default=list)
    previous = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.changed_at:%d.%m.%Y %H:%M}"


class BenefitsCounselling(PublicRecord):
    """Benefits (work-incentive) counselling: offered, given, by whom, on what."""

    period = models.ForeignKey(IpsPeriod, on_delete=models.CASCADE, related_name="counselling")
    reason = models.CharField(_("reason"), max_length=16, choices=CounsellingReason.choices)
    offered_on = models.DateField(_("offered on"))
    given_on = models.DateField(_("given on"), null=True, blank=True)
    given_by = models.CharField(_("given by"), max_length=200, blank=True)
    questions = limits.text(_("questions covered"), limits.SHORT_NOTE, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-offered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_on__isnull=True) | Q(given_on__gte=models.F("offered_on")),
                name="counselling_given_after_offer",
            )
        ]
