"""A client's period in IPS with its phase changes, the coach's working time and the figures the
IPS model sets (caseload per coach, employer contacts a week, rapid job search, follow-along gaps)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models import Case, Client, Register
from polku.core import limits, story_time
from polku.core.models import ClockedDateTimeField, PublicRecord

# IPS-25 item 1: full fidelity is at most 20 active clients per full-time employment specialist.
CASELOAD_LIMIT_PER_FTE = 20
# IPS-25 item 17: six face-to-face employer contacts per specialist per week.
EMPLOYER_CONTACTS_PER_WEEK = 6
# The caseload's flags: rapid job search (item 15) and follow-along (item 23), in days.
RAPID_SEARCH_DAYS = 30
FOLLOW_ALONG_GAP_DAYS = 30


class Phase(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement")
    JOB_SEARCH = "job_search", _("Job search")
    WORKING = "working", _("Working (follow-along)")
    CLOSED = "closed", _("Closed")


ACTIVE_PHASES = (Phase.JOB_SEARCH, Phase.WORKING)


class JobField(models.TextChoices):
    """Kinds of work, broad enough for a client's preference and an opening to meet (ISCO-like)."""

    OFFICE = "office", _("Office and customer service")
    SALES = "sales", _("Sales and retail")
    CARE = "care", _("Care and social work")
    CLEANING = "cleaning", _("Cleaning and property services")
    FOOD = "food", _("Kitchen, restaurant and catering")
    LOGISTICS = "logistics", _("Warehouse, transport and logistics")
    MANUFACTURING = "manufacturing", _("Manufacturing and workshops")
    CONSTRUCTION = "construction", _("Construction and maintenance")
    IT = "it", _("IT and digital work")
    OUTDOORS = "outdoors", _("Outdoor, garden and farm work")
    CREATIVE = "creative", _("Culture, media and crafts")
    OTHER = "other", _("Other work")


class Adjustment(models.TextChoices):
    """Workplace adjustments a client may want and an employer may offer."""

    FLEXIBLE_HOURS = "flexible_hours", _("Flexible working hours")
    GRADUAL_START = "gradual_start", _("Gradual start")
    QUIET_SPACE = "quiet_space", _("A quiet place to work")
    WRITTEN_INSTRUCTIONS = "written_instructions", _("Written instructions")
    MENTOR = "mentor", _("A named colleague to ask")
    REMOTE = "remote", _("Some remote work")
    ERGONOMIC = "ergonomic", _("Ergonomic or physical adjustments")
    BREAKS = "breaks", _("Extra breaks")


def bits_of(values: list[str], choices: type[models.TextChoices]) -> int:
    """A list of choice values as a bit mask (bit n: the n-th choice), so that matching can compare
    preferences in SQL on every database (SQLite has no JSON containment)."""
    order = list(choices.values)
    return sum(1 << order.index(value) for value in set(values) if value in order)


class Disclosure(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    NONE = "none", _("Nothing is told to employers")
    PARTIAL = "partial", _("Some things may be told (see the note)")
    FULL = "full", _("The coach may tell employers about the situation")


class IpsPeriod(PublicRecord):
    """A client's period in IPS, from entry by their own wish to work to closing. Zero exclusion: no
    readiness is asked. The phase changes are history rows (`PhaseChange`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ips_periods")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="ips_periods")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(
        _("register"), max_length=16, choices=Register.choices, default=Register.EMPLOYMENT
    )
    coach = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="ips_caseload", verbose_name=_("job coach")
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.ENGAGEMENT)
    entered_on = models.DateField(_("entered IPS on"), default=timezone.localdate)
    wish = limits.text(_("the client's wish to work, in their words"), limits.SHORT_NOTE, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    handover = limits.text(_("hand-over when support ends"), limits.REASON, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("IPS period")
        verbose_name_plural = _("IPS periods")
        ordering = ["-entered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "organisation"],
                condition=Q(closed_on__isnull=True),
                name="ips_one_open_period_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, phase__in=["engagement", "job_search", "working"])
                | Q(closed_on__isnull=False, phase="closed"),
                name="ips_closed_when_phase_closed",
            ),
        ]
        indexes = [models.Index(fields=["coach", "phase"], name="ips_coach_phase")]

    def __str__(self) -> str:
        return f"IPS {self.entered_on:%d.%m.%Y}"

    @property
    def is_active(self) -> bool:
        return self.phase in ACTIVE_PHASES


class PhaseChange(models.Model):
    period = models.ForeignKey(IpsPeriod, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    on = models.DateField(_("on"))
    changed_at = models.DateTimeField(default=story_time.now)
    changed_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.phase} {self.on:%d.%m.%Y}"


class CoachProfile(models.Model):
    """A job coach's working time for IPS, as a share of full time (FTE): the caseload limit is
    20 active clients per full-time coach."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="coach_profile")
    fte = models.DecimalField(
        _("share of full time in IPS"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
    )
    updated_at = ClockedDateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.fte}"

    @property
    def caseload_limit(self) -> int:
        return int(CASELOAD_LIMIT_PER_FTE * self.fte)


def place_codes_of(codes: list[str]) -> str:
    """Municipality codes as `CareerProfile.place_codes`: ",091,564," (sorted), "" for none."""
    return f",{','.join(sorted(codes))}," if codes else ""


def validate_hours(hours_min: int, hours_max: int) -> None:
    if hours_max < hours_min:
        raise ValidationError({"hours_max": _("The most hours cannot be fewer than the fewest.")})
    if hours_max > 60:
        raise ValidationError({"hours_max": _("At most 60 hours a week.")})
