"""IPS supported employment (Individual Placement and Support): a client's period in IPS with its
phases, the career profile, benefits counselling, employers' contact people, the employer contact log,
job openings and what the client decided about them, jobs held with follow-along support, and the
unit's IPS-25 fidelity reviews.

A client's IPS records belong to the employment register of the organisation that runs the IPS
service (the coach's organisation): others read them only under the client's consent, as any
register record. Employers are `accounts.Organisation` rows of kind "employer" (the work trial hosts'
organisations too) and their workplaces are its units; the employer side (contact people, the contact
log, openings) is the coaching organisation's working knowledge, seen by its job coaches and managers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.models import Case, Client, Municipality, Register
from polku.core import limits
from polku.core.models import PublicRecord

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
    changed_at = models.DateTimeField(default=timezone.now)
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
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.fte}"

    @property
    def caseload_limit(self) -> int:
        return int(CASELOAD_LIMIT_PER_FTE * self.fte)


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


class ContactPerson(PublicRecord):
    """A person at an employer the coaching organisation deals with."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_contact_people")
    workplace = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=limits.NAME)
    title = models.CharField(_("title"), max_length=limits.NAME, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ContactPurpose(models.TextChoices):
    LEARN_NEEDS = "learn_needs", _("Learning the employer's needs")
    PRESENT = "present", _("Presenting a job seeker")
    FOLLOW_UP = "follow_up", _("Follow-up")


class EmployerContact(PublicRecord):
    """One contact with an employer in job development, and the job seekers it was on behalf of."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_contacts")
    contact_person = models.ForeignKey(
        ContactPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    on = models.DateField(_("date"))
    face_to_face = models.BooleanField(_("face to face"), default=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=ContactPurpose.choices)
    note = limits.text(_("note"), limits.SHORT_NOTE, blank=True)
    coach = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="employer_contacts")
    job_seekers = models.ManyToManyField(IpsPeriod, blank=True, related_name="employer_contacts")

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["coach", "on"], name="employer_contact_coach_on")]


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class WageType(models.TextChoices):
    COMPETITIVE = "competitive", _("Competitive")
    WAGE_SUBSIDISED = "wage_subsidised", _("Wage-subsidised (palkkatuki)")
    OTHER = "other", _("Other")


class JobOpening(PublicRecord):
    """A job opening found in job development. Part-time work is first class: hours are a range."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_openings")
    workplace = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=limits.NAME)
    tasks = limits.text(_("tasks"), limits.SHORT_NOTE, blank=True)
    job_field = models.CharField(_("kind of work"), max_length=16, choices=JobField.choices)
    hours_min = models.PositiveSmallIntegerField(_("hours per week, at least"))
    hours_max = models.PositiveSmallIntegerField(_("hours per week, at most"))
    adjustments = models.JSONField(_("adjustments the employer can make"), default=list, blank=True)
    adjustment_bits = models.PositiveIntegerField(default=0, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    wage_type = models.CharField(
        _("wage"), max_length=16, choices=WageType.choices, default=WageType.COMPETITIVE
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_max__gte=models.F("hours_min")), name="opening_hours_order"
            )
        ]
        indexes = [models.Index(fields=["owner", "status", "job_field"], name="opening_owner_status")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.adjustment_bits = bits_of(self.adjustments, Adjustment)
        super().save(*args, **kwargs)

    @property
    def is_part_time(self) -> bool:
        return self.hours_min < 30


class Decision(models.TextChoices):
    THINKING = "thinking", _("Thinking it over")
    APPLY = "apply", _("Wants to apply")
    DECLINED = "declined", _("Not interested")


class OpeningDiscussion(PublicRecord):
    """The coach discussed an opening with the client; the client chose."""

    period = models.ForeignKey(IpsPeriod, on_delete=models.CASCADE, related_name="discussions")
    opening = models.ForeignKey(JobOpening, on_delete=models.PROTECT, related_name="discussions")
    on = models.DateField(_("date"))
    decision = models.CharField(_("the client's decision"), max_length=16, choices=Decision.choices)
    note = limits.text(_("note"), limits.SHORT_NOTE, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]


class EndReason(models.TextChoices):
    QUIT = "quit", _("Quit")
    FIRED = "fired", _("Dismissed")
    TEMPORARY_ENDED = "temporary_ended", _("Temporary job ended")
    MOVED = "moved", _("Moved to another job")


class Job(PublicRecord):
    """A job held during IPS. Whether it is the client's first job start in IPS and its tenure are
    computed (`selectors.jobs_of`), never typed."""

    period = models.ForeignKey(IpsPeriod, on_delete=models.PROTECT, related_name="jobs")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="ips_jobs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(
        _("register"), max_length=16, choices=Register.choices, default=Register.EMPLOYMENT
    )
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_jobs")
    opening = models.ForeignKey(
        JobOpening, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    title = models.CharField(_("title"), max_length=limits.NAME)
    job_field = models.CharField(_("kind of work"), max_length=16, choices=JobField.choices)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    wage_type = models.CharField(_("wage"), max_length=16, choices=WageType.choices)
    starts_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True, end_reason="")
                | Q(ends_on__isnull=False) & ~Q(end_reason=""),
                name="job_ended_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="job_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def tenure_days(self, on: date | None = None) -> int:
        """Days in the job: to its end, or to `on` (today) while it lasts."""
        end = self.ends_on or on or timezone.localdate()
        return max((end - self.starts_on).days, 0)


class FollowAlong(PublicRecord):
    """A follow-along support contact while working: with the client, or with the employer where the
    client's disclosure decision allows it."""

    period = models.ForeignKey(IpsPeriod, on_delete=models.CASCADE, related_name="follow_alongs")
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_alongs"
    )
    on = models.DateField(_("date"))
    with_employer = models.BooleanField(_("with the employer"), default=False)
    note = limits.text(_("note"), limits.SHORT_NOTE, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]


class FidelityBand(models.TextChoices):
    EXEMPLARY = "exemplary", _("Exemplary fidelity")
    GOOD = "good", _("Good fidelity")
    FAIR = "fair", _("Fair fidelity")
    NOT_SUPPORTED = "not_supported", _("Not supported employment")


def fidelity_band(total: int) -> str:
    """IPS-25 bands: 115-125 exemplary, 100-114 good, 74-99 fair, 73 or less not supported employment."""
    if not 25 <= total <= 125:
        raise ValueError(f"An IPS-25 total is 25-125, not {total}.")
    if total >= 115:
        return FidelityBand.EXEMPLARY
    if total >= 100:
        return FidelityBand.GOOD
    if total >= 74:
        return FidelityBand.FAIR
    return FidelityBand.NOT_SUPPORTED


class FidelityReview(PublicRecord):
    """An IPS-25 fidelity review of a unit's IPS service."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="fidelity_reviews")
    reviewed_on = models.DateField(_("review date"))
    scale_version = models.CharField(_("scale version"), max_length=40, default="IPS-25 (2019)")
    reviewers = models.CharField(_("reviewers"), max_length=limits.LINE)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    @property
    def total(self) -> int:
        return sum(rating.score for rating in self.ratings.all())


class FidelityRating(models.Model):
    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="ratings")
    item = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    evidence = limits.text(_("evidence"), limits.SHORT_NOTE, blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="fidelity_one_rating_per_item"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="fidelity_score_1_5"),
            models.CheckConstraint(condition=Q(item__gte=1, item__lte=25), name="fidelity_item_1_25"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


def validate_hours(hours_min: int, hours_max: int) -> None:
    if hours_max < hours_min:
        raise ValidationError({"hours_max": _("The most hours cannot be fewer than the fewest.")})
    if hours_max > 60:
        raise ValidationError({"hours_max": _("At most 60 hours a week.")})
