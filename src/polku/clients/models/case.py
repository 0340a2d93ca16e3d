"""A client's case with its status and personal worker history, its team, contacts and timeline."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import CLIENT_WORK_ROLES, Membership, Organisation, Role, Unit
from polku.clients.models.client import Client, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord


class CaseSource(models.TextChoices):
    REGISTRY_SCREENING = "registry_screening", _("Registry screening")
    REFERRAL = "referral", _("Referral from another service")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    KELA = "kela", _("Kela")
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services")


class CaseStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    SCREENING = "screening", _("Screening")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Planning")
    ACTIVE_SERVICES = "active_services", _("Active services")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    OPEN_MARKET_FULL_TIME = "open_market_full_time", _("Open labour market, full-time")
    OPEN_MARKET_PART_TIME = "open_market_part_time", _("Open labour market, part-time")
    WAGE_SUBSIDY = "wage_subsidy", _("Wage-subsidised work")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    STUDIES = "studies", _("Studies")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    DISABILITY_BENEFIT = "disability_benefit", _("Disability benefit process")
    OTHER_SERVICES = "other_services", _("Other services")
    MOVED_AWAY = "moved_away", _("Moved away")
    NO_LONGER_NEEDS_SUPPORT = "no_longer_needs_support", _("No longer needs support")
    CONTACT_LOST = "contact_lost", _("Contact lost")


class Case(PublicRecord):
    """Case (asiakkuus): one client's service relationship with one unit, from opening to outcome.
    A closed case stays as it was; working with the client again opens a new case."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit"))
    source = models.CharField(_("source"), max_length=32, choices=CaseSource.choices)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    opened_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=story_time.now)
    personal_worker = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("personal worker"),
    )
    next_step = models.CharField(_("next planned action or review"), max_length=200, blank=True)
    next_step_on = models.DateField(_("due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=CaseOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "unit"], condition=Q(closed_on__isnull=True), name="case_one_open_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, outcome="") | Q(closed_on__isnull=False) & ~Q(outcome=""),
                name="case_closed_with_outcome",
            ),
        ]
        indexes = [models.Index(fields=["personal_worker", "closed_on"], name="case_caseload")]

    def __str__(self) -> str:
        return f"{self.client} – {self.unit.display_name} ({self.opened_on:%d.%m.%Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def is_overdue_on(self, day: date) -> bool:
        return self.next_step_on is not None and self.next_step_on < day


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(_("status"), max_length=32, choices=CaseStatus.choices)
    previous_status = models.CharField(max_length=32, choices=CaseStatus.choices, blank=True)
    at = models.DateTimeField(_("time"), default=story_time.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    note = limits.text(_("note"), limits.REASON, blank=True)
    # The work that moved the case (a key of `progress.CAUSES`); empty for a change made by hand.
    cause = models.CharField(_("cause"), max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status} {self.at:%Y-%m-%d}"


class CaseWorkerChange(models.Model):
    """A personal worker assignment or hand-over, with the note for the next worker."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="worker_changes")
    worker = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    previous_worker = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("time"), default=story_time.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    note = limits.text(_("hand-over note"), limits.SUMMARY, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.worker_id} {self.at:%Y-%m-%d}"


TEAM_ROLES = CLIENT_WORK_ROLES


class CaseTeamMember(PublicRecord):
    """A period on a case team. Being on a team (now) is what lets staff see the client."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="team")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="team_periods")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    responsibility = models.CharField(_("responsibility in the team"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "membership"], condition=Q(ended_on__isnull=True), name="team_member_once"
            )
        ]
        indexes = [models.Index(fields=["membership", "ended_on"], name="team_member_active")]

    @property
    def is_active(self) -> bool:
        return self.ended_on is None and self.started_on <= timezone.localdate()


class ContactKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    MESSAGE = "message", _("Message")


class Contact(PublicRecord):
    """A contact with the client and its note. It belongs to the author organisation's register."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("contact type"), max_length=16, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    note = limits.text(_("note"), limits.NOTE)
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["case", "happened_on"], name="contact_case_on")]


class TimelineEntry(models.Model):
    """One thing that happened on the client's path. Apps add entries through `clients.timeline.add`;
    an entry of a register (a contact note, say) is shown under the same consent rules as its record."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="timeline")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=64)
    at = models.DateTimeField(default=story_time.now)
    actor = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    register = models.CharField(max_length=16, choices=Register.choices, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    text = limits.text(None, limits.NOTE, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "at"], name="timeline_client_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
