"""Registry extracts, the people in them (per unit) with their facts and history, and the worklist state.

A person known from an extract is not a client: Polku holds their identity code (encrypted, found by
the keyed hash exactly as `clients.identity` does), names, municipality and the registry facts, so that
the screening rules can run over them. Contacting the person opens a case through `clients.services`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Unit
from polku.clients.models import Case, Client, Municipality
from polku.core import limits, story_time
from polku.core.models import PublicRecord


class ExtractStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking the file")
    WRITING = "writing", _("Saving")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class RegistryExtract(PublicRecord):
    """One import of a registry extract file into a unit, with its progress and outcome."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    uploaded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(_("status"), max_length=16, choices=ExtractStatus.choices, default="queued")
    rows_checked = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # The line checking stopped on when the problems reached REGISTRY_EXTRACT_MAX_PROBLEMS (0: every line
    # was checked): there may be more problems after it.
    stopped_at_line = models.PositiveIntegerField(default=0)
    new_people = models.PositiveIntegerField(default=0)
    changed_people = models.PositiveIntegerField(default=0)
    unchanged_people = models.PositiveIntegerField(default=0)
    flagged_people = models.PositiveIntegerField(default=0)
    extract_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("registry extract")
        verbose_name_plural = _("registry extracts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_running(self) -> bool:
        return self.status in (ExtractStatus.QUEUED, ExtractStatus.CHECKING, ExtractStatus.WRITING)

    @property
    def percent(self) -> int:
        if self.status in (ExtractStatus.DONE, ExtractStatus.WRITING):
            return 100
        return min(99, round(100 * self.rows_checked / self.rows_total)) if self.rows_total else 0


class ExtractProblem(models.Model):
    """A reason a row or the file was rejected. Never holds an identity code (only a masked one)."""

    extract = models.ForeignKey(RegistryExtract, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField(_("line"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"{self.line} {self.column}: {self.reason}"


class Benefit(models.TextChoices):
    LABOUR_MARKET_SUBSIDY = "labour_market_subsidy", _("Labour market subsidy")
    BASIC_ALLOWANCE = "basic_allowance", _("Basic unemployment allowance")
    EARNINGS_RELATED = "earnings_related", _("Earnings-related allowance")
    NONE = "none", _("No benefit")


class WorklistState(models.TextChoices):
    OPEN = "", _("Not yet contacted")
    CONTACTED = "contacted", _("Contacted")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class RegistryPerson(PublicRecord):
    """A person of a unit's registry extracts, with the current facts and the screening outcome."""

    # Every index and foreign key check is paid for on each of 300,000 rows of an import (bench/README.md),
    # so the keys have no indexes of their own (the unit leads the unique (unit, hash) index), and the
    # unit and municipality are not checked by the database: the import locks the unit's row and checks
    # every municipality code against the municipality table before it writes.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    identity_code_encrypted = models.TextField(editable=False)
    identity_code_hash = models.CharField(max_length=64, editable=False)
    identity_code_masked = models.CharField(_("identity code"), max_length=11, editable=False)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(max_length=8)
    first_names = models.CharField(_("first names"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    # The facts as of `facts_on` (the extract date they came from); earlier versions are history rows.
    facts_on = models.DateField(_("extract date"))
    unemployed_since = models.DateField(_("unemployed since"), null=True, blank=True)
    benefit = models.CharField(_("benefit"), max_length=32, choices=Benefit.choices)
    disability_or_illness = models.BooleanField(_("disability or long-term illness"))
    last_activation_ended = models.DateField(_("last activation service ended"), null=True, blank=True)
    facts_digest = models.CharField(max_length=32)
    # Screening: the rules that matched ([{"rule": id, "facts": {...}}]) and the highest priority (1 first).
    flags = models.JSONField(default=list, blank=True)
    flags_digest = models.CharField(max_length=32, blank=True)
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    # The worklist's default order: how strongly the rules flagged the person (screening.evaluation.score).
    score = models.PositiveIntegerField(default=0)
    # The worklist: what the unit did about the person.
    state = models.CharField(max_length=16, choices=WorklistState.choices, blank=True, default="")
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reason = limits.text(_("reason"), limits.REASON, blank=True)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("person in a registry extract")
        verbose_name_plural = _("people in registry extracts")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "identity_code_hash"], name="registry_person_once_per_unit"
            )
        ]
        indexes = [
            # The worklist's orders by score (the default) and by unemployment (selectors.WORKLIST_ORDERS);
            # by age and by name sort the unit's flagged people without an index, to keep imports fast.
            models.Index(
                fields=["unit", "unemployed_since", "-score", "id"],
                condition=Q(priority__isnull=False, state=""),
                name="registry_worklist_unemployment",
            ),
            models.Index(
                fields=["unit", "-score", "id"],
                condition=Q(priority__isnull=False, state=""),
                name="registry_worklist_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"


class RegistryFactsHistory(models.Model):
    """A superseded version of a person's facts: what they were as of `facts_on`, until `replaced_by`."""

    person = models.ForeignKey(RegistryPerson, on_delete=models.PROTECT, related_name="history")
    facts_on = models.DateField()
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unemployed_since = models.DateField(null=True)
    benefit = models.CharField(max_length=32, choices=Benefit.choices)
    disability_or_illness = models.BooleanField()
    last_activation_ended = models.DateField(null=True)
    replaced_by = models.ForeignKey(RegistryExtract, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=story_time.now)

    class Meta:
        ordering = ["facts_on", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.facts_on}"
