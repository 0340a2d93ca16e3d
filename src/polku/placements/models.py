"""Work trials (työkokeilu) and rehabilitative work activity (kuntouttava työtoiminta): the placement
at a host, its goals, daily attendance and the host's feedback given through a single-use link.

A placement is a record of the register of the case's organisation (employment services for a work
trial, social welfare for rehabilitative work activity), shown to other organisations only under the
client's consent, like a contact note. Writes go through `services.py`, reads through `selectors.py`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.models import Case, Client, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord

# Rehabilitative work activity is by law (Act 189/2001, section 2) one to five days a week and four to
# eight hours a day; Polku keeps work trials within the same frame as a rule of thumb.
MIN_DAYS_PER_WEEK, MAX_DAYS_PER_WEEK = 1, 5
MIN_HOURS_PER_DAY, MAX_HOURS_PER_DAY = Decimal(4), Decimal(8)


HOST_MISSING = _(
    "Choose the host unit in Polku, or type the name of the host organisation if it is not in Polku."
)


class PlacementKind(models.TextChoices):
    WORK_TRIAL = "work_trial", _("Work trial")
    REHABILITATIVE_WORK = "rehabilitative_work", _("Rehabilitative work activity")


REGISTER_OF_KIND = {
    PlacementKind.WORK_TRIAL: Register.EMPLOYMENT,
    PlacementKind.REHABILITATIVE_WORK: Register.SOCIAL,
}


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    ENDED = "ended", _("Ended")
    INTERRUPTED = "interrupted", _("Interrupted")


class Placement(PublicRecord):
    """A client's work trial or rehabilitative work activity period at a host organisation."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="placements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=PlacementKind.choices)
    host_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_placements",
        verbose_name=_("host unit in Polku"),
    )
    host_name = models.CharField(_("host organisation"), max_length=200, blank=True)
    host_unit_name = models.CharField(_("host unit or department"), max_length=200, blank=True)
    supervisor_name = models.CharField(_("supervisor"), max_length=200)
    supervisor_email = models.EmailField(_("supervisor's email"))
    supervisor_phone = models.CharField(_("supervisor's phone"), max_length=40, blank=True)
    tasks = limits.text(_("tasks"), limits.SUMMARY)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    days_per_week = models.PositiveSmallIntegerField(_("days per week"))
    hours_per_day = models.DecimalField(_("hours per day"), max_digits=3, decimal_places=1)
    interrupted_on = models.DateField(_("interrupted on"), null=True, blank=True)
    interruption_reason = limits.text(_("reason for the interruption"), limits.REASON, blank=True)
    interrupted_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(host_unit__isnull=False) | ~Q(host_name=""), name="placement_has_a_host"
            ),
            models.CheckConstraint(
                condition=Q(interrupted_on__isnull=True) | ~Q(interruption_reason=""),
                name="placement_interrupted_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["host_unit", "starts_on"], name="placement_host")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.host_label} ({self.starts_on:%d.%m.%Y})"

    @property
    def host_label(self) -> str:
        """The host as people name it: the Polku unit, or the name typed in for an outside employer."""
        if self.host_unit is not None:
            return f"{self.host_unit.organisation.display_name}: {self.host_unit.display_name}"
        return f"{self.host_name}: {self.host_unit_name}" if self.host_unit_name else self.host_name

    def status_on(self, on: date | None = None) -> str:
        on = on or timezone.localdate()
        if self.interrupted_on is not None and self.interrupted_on <= on:
            return PlacementStatus.INTERRUPTED
        if on < self.starts_on:
            return PlacementStatus.PLANNED
        if on > self.ends_on:
            return PlacementStatus.ENDED
        return PlacementStatus.ONGOING

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(PlacementStatus(self.status).label)

    @property
    def last_day(self) -> date:
        """The last day the placement runs: its end, or the day it was interrupted."""
        return min(self.ends_on, self.interrupted_on) if self.interrupted_on else self.ends_on

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date must be on or after the start date.")
        if self.days_per_week is not None and not (
            MIN_DAYS_PER_WEEK <= self.days_per_week <= MAX_DAYS_PER_WEEK
        ):
            errors["days_per_week"] = _("Choose from %(min)s to %(max)s days a week.") % {
                "min": MIN_DAYS_PER_WEEK,
                "max": MAX_DAYS_PER_WEEK,
            }
        if self.hours_per_day is not None and not (
            MIN_HOURS_PER_DAY <= self.hours_per_day <= MAX_HOURS_PER_DAY
        ):
            errors["hours_per_day"] = _("Choose from %(min)s to %(max)s hours a day.") % {
                "min": MIN_HOURS_PER_DAY,
                "max": MAX_HOURS_PER_DAY,
            }
        if self.hours_per_day is not None and (self.hours_per_day * 2) % 1:
            errors["hours_per_day"] = _("Give the hours in whole or half hours, for example 4 or 5.5.")
        if self.host_unit_id is None and not self.host_name.strip():
            errors["host_name"] = HOST_MISSING
        if self.host_unit_id is not None and self.host_name.strip():
            errors["host_name"] = _("Either choose a host unit in Polku or type a host's name, not both.")
        if errors:
            raise ValidationError(errors)


class PlacementGoal(models.Model):
    """A goal for the placement, as the placement's own row and text. It may point to the goal of the
    case's service plan it serves: a goal of an agreed plan version (never changed or deleted), followed
    to the latest agreed version through the goal's `key`. Only the placement goal's own text is shown
    to the host; the plan stays with those who may read it."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    plan_goal = models.ForeignKey(
        "plans.Goal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement_goals",
        verbose_name=_("goal of the service plan"),
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT_WITH_NOTICE = "absent_notice", _("Absent with notice")
    ABSENT_WITHOUT_NOTICE = "absent_no_notice", _("Absent without notice")
    SICK = "sick", _("Sick")


class Attendance(models.Model):
    """One day's attendance at the placement, entered by the worker or by the host."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance")
    on = models.DateField(_("date"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "on"], name="attendance_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.on}: {self.status}"


class AttendanceChange(models.Model):
    """A history row per change of a day's attendance (ARCHITECTURE.md rule 4): the first recording
    (from "not recorded"), a correction, or a clearing (to "not recorded"). Written once."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance_changes")
    on = models.DateField(_("date"))
    old_status = models.CharField(_("before"), max_length=20, choices=AttendanceStatus.choices, blank=True)
    new_status = models.CharField(_("after"), max_length=20, choices=AttendanceStatus.choices, blank=True)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["placement", "at"], name="attendance_change_placement")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.on}: {self.old_status or '-'} → {self.new_status or '-'}"

    @property
    def is_correction(self) -> bool:
        """A change to a day that was already recorded (not its first recording)."""
        return bool(self.old_status)


class FeedbackStage(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term feedback")
    FINAL = "final", _("Final feedback")


class FeedbackRequest(PublicRecord):
    """A link sent to the host's supervisor. Only the SHA-256 of the token is stored; the link works
    once, until it expires, and not after a newer link for the same stage has been sent."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="feedback_requests")
    stage = models.CharField(_("feedback"), max_length=16, choices=FeedbackStage.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(_("sent to"))
    sent_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=story_time.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.stage} → {self.sent_to}"

    def is_usable(self, at: Any = None) -> bool:
        at = at or story_time.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > at

    def state(self) -> str:
        if self.used_at is not None:
            return str(_("Answered"))
        if self.revoked_at is not None:
            return str(_("Replaced by a newer link"))
        if self.expires_at <= timezone.now():
            return str(_("Expired"))
        return str(_("Waiting for an answer"))


class Rating(models.IntegerChoices):
    POOR = 1, _("1 – Poor")
    FAIR = 2, _("2 – Fair")
    GOOD = 3, _("3 – Good")
    VERY_GOOD = 4, _("4 – Very good")
    EXCELLENT = 5, _("5 – Excellent")


# The structured ratings of the feedback form, in the order the form asks them.
RATED_ASPECTS = (
    ("attendance", _("Attendance and punctuality")),
    ("instructions", _("Following instructions")),
    ("pace", _("Work pace")),
    ("quality", _("Quality of work")),
    ("cooperation", _("Cooperation")),
    ("endurance", _("Physical endurance")),
    ("learning", _("Learning new tasks")),
    ("initiative", _("Initiative")),
)


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue the placement as it is")
    MORE_DEMANDING = "more_demanding", _("Continue with more demanding tasks or longer days")
    EMPLOYMENT = "employment", _("Employment (with or without wage subsidy)")
    STUDIES = "studies", _("Studies or training")
    OTHER_PLACEMENT = "other_placement", _("Another kind of work or placement")
    REHABILITATION = "rehabilitation", _("Rehabilitation or assessment of work ability")
    OTHER = "other", _("Something else (see the comments)")


class Feedback(PublicRecord):
    """The host's feedback, given once for each stage: through a feedback link (`request`) or in Polku by
    a logged-in work trial host of the host unit (`given_by_member`; the stage's unanswered link, if any,
    is used up with it). A rating left empty means that the supervisor could not observe it."""

    request = models.OneToOneField(
        FeedbackRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback"
    )
    given_by_member = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="feedback")
    stage = models.CharField(_("feedback"), max_length=16, choices=FeedbackStage.choices)
    ratings = models.JSONField(_("ratings"), default=dict)
    strengths = limits.text(_("strengths"), limits.PUBLIC_FEEDBACK, blank=True)
    to_develop = limits.text(_("what to develop"), limits.PUBLIC_FEEDBACK, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=32, choices=Recommendation.choices)
    recommendation_note = limits.text(_("about the recommendation"), limits.PUBLIC_FEEDBACK, blank=True)
    given_by = models.CharField(_("given by"), max_length=200)
    submitted_at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["placement", "stage"], name="feedback_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.stage} {self.submitted_at:%Y-%m-%d}"

    def rating_summary(self) -> str:
        """The ratings in one line, for where the feedback is shown with something else (an assessment
        finding): "average 3.9 of 5 (7 of 8 aspects rated)"."""
        rated = [value for value in self.ratings.values() if value in Rating.values]
        if not rated:
            return str(_("no aspect rated"))
        return str(_("average %(average)s of 5 (%(rated)s of %(total)s aspects rated)")) % {
            "average": f"{sum(rated) / len(rated):.1f}".replace(".", ","),
            "rated": len(rated),
            "total": len(RATED_ASPECTS),
        }

    def rating_rows(self) -> list[tuple[str, str]]:
        """(aspect, rating as shown) in the form's order; "could not observe" for an empty rating."""
        rows = []
        for key, label in RATED_ASPECTS:
            value = self.ratings.get(key)
            shown = str(Rating(value).label) if value in Rating.values else str(_("Could not observe"))
            rows.append((str(label), shown))
        return rows
