"""Per-case facts for knowledge-based management (tiedolla johtaminen), targets and the county map.

A `CaseFact` is one row per case holding the dates of each step of the client's path, recomputed from
the base tables by `services.refresh` (never edited by hand), so that a corrected date in any app
changes past figures at the next refresh. Indicators sum and count these indexed rows instead of
joining the base tables (docs/architecture.md, "Knowledge-based management").
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.models import Case, Municipality
from polku.core import story_time


class AgeBand(models.TextChoices):
    UNDER_25 = "-24", _("under 25")
    FROM_25 = "25-34", _("25–34")
    FROM_35 = "35-44", _("35–44")
    FROM_45 = "45-54", _("45–54")
    FROM_55 = "55-", _("55 and over")


def age_band(age: int) -> str:
    if age < 25:
        return AgeBand.UNDER_25
    if age < 35:
        return AgeBand.FROM_25
    if age < 45:
        return AgeBand.FROM_35
    if age < 55:
        return AgeBand.FROM_45
    return AgeBand.FROM_55


class CaseFact(models.Model):
    """The facts of one case that the indicators count: where it belongs and when it reached each step.
    Days between steps are stored so that medians and percentiles read one integer column."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    worker = models.ForeignKey(
        Membership, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    municipality = models.CharField(max_length=3)
    county = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=32)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    # The funnel's dates: identified is the day the case was opened.
    identified_on = models.DateField()
    first_contact_on = models.DateField(null=True)
    assessment_on = models.DateField(null=True)
    plan_agreed_on = models.DateField(null=True)
    referral_sent_on = models.DateField(null=True)
    service_started_on = models.DateField(null=True)
    # From the employment (IPS) app (`facts.job_start_dates`): the first IPS entry, the first job start,
    # that job's end and days held (empty while it lasts) and the first competitive job start.
    ips_entered_on = models.DateField(null=True)
    job_started_on = models.DateField(null=True)
    job_ended_on = models.DateField(null=True)
    first_job_days = models.IntegerField(null=True)
    competitive_job_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)
    outcome = models.CharField(max_length=32, blank=True)
    days_to_contact = models.IntegerField(null=True)
    days_to_plan = models.IntegerField(null=True)
    days_to_service = models.IntegerField(null=True)
    days_to_job = models.IntegerField(null=True)
    # GAS at the latest review: goals rated and of them at 0 or better; the T-scores first and latest.
    gas_goals = models.PositiveSmallIntegerField(default=0)
    gas_goals_met = models.PositiveSmallIntegerField(default=0)
    gas_reviews = models.PositiveSmallIntegerField(default=0)
    t_score_first = models.FloatField(null=True)
    t_score_latest = models.FloatField(null=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "identified_on"], name="fact_org_identified"),
            models.Index(fields=["municipality", "identified_on"], name="fact_municipality_identified"),
            models.Index(fields=["county", "identified_on"], name="fact_county_identified"),
            models.Index(fields=["identified_on"], name="fact_identified"),
            models.Index(fields=["worker", "closed_on"], name="fact_worker_closed"),
            models.Index(fields=["job_started_on"], name="fact_job_started"),
        ]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"


class ServiceKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    PLACEMENT = "placement", _("Placement")


class ServiceFact(models.Model):
    """One referral or placement of a case, as the service indicators count it."""

    fact = models.ForeignKey(CaseFact, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(max_length=16, choices=ServiceKind.choices)
    category = models.CharField(max_length=64, blank=True)  # referral: the catalogue category's code
    provider = models.CharField(max_length=200, blank=True)  # referral: the provider's name (an organisation)
    placement_kind = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=32)
    is_terminal = models.BooleanField(default=False)
    sent_on = models.DateField(null=True)  # referral sent, placement start
    days_to_answer = models.IntegerField(null=True)
    days_to_start = models.IntegerField(null=True)
    days_present = models.PositiveIntegerField(default=0)
    days_absent = models.PositiveIntegerField(default=0)
    has_feedback = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["kind", "sent_on"], name="service_fact_kind_sent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} ({self.fact_id})"


class MeasureFact(models.Model):
    """A repeated measure of a case: the first and latest current score of one questionnaire."""

    fact = models.ForeignKey(CaseFact, on_delete=models.CASCADE, related_name="measures")
    instrument = models.CharField(max_length=32)
    first_on = models.DateField()
    first_score = models.IntegerField()
    latest_on = models.DateField()
    latest_score = models.IntegerField()
    responses = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.instrument} ({self.fact_id})"


class Watermark(models.Model):
    """How far the incremental refresh has read the audit log (one row per name)."""

    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    ran_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


class CountyMunicipality(models.Model):
    """Which wellbeing services county a municipality belongs to (administered in the admin)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    county = models.CharField(_("wellbeing services county"), max_length=64)

    class Meta:
        verbose_name = _("municipality's wellbeing services county")
        verbose_name_plural = _("municipalities' wellbeing services counties")
        ordering = ["county", "municipality"]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.county}"


class Target(models.Model):
    """A target an organisation set for one indicator over a period (Espoo: 1,500 plans agreed)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    indicator = models.CharField(_("indicator"), max_length=64)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=story_time.now)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["starts_on", "indicator"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="target_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value} ({self.starts_on}–{self.ends_on})"


class SituationSnapshot(models.Model):
    """The counts of a situation report as they were when it was made, so that the next report shows the
    change since this one (one per organisation, municipality and day)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField()
    made_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-made_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "municipality", "made_on"], name="situation_snapshot_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.made_on}"


class CostRule(models.Model):
    """A version of the rule for the municipal share of unemployment benefits, in force from a date until
    the next version. `steps` is a list of {"from_day": n, "share": 0.5, "to_be_checked": bool}: the share
    the municipality pays from the n-th paid day on; `benefits` the benefits it covers."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("in force from"), unique=True)
    benefits = models.JSONField(_("benefits covered"), default=list)
    steps = models.JSONField(_("steps"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cost rule")
        verbose_name_plural = _("cost rules")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from})"

    @property
    def has_steps_to_check(self) -> bool:
        return any(step.get("to_be_checked") for step in self.steps)


class RollupLevel(models.TextChoices):
    """Which scope a roll-up row sums: the same columns as `scopes.Scope.q` filters on."""

    ORGANISATION = "organisation"
    UNIT = "unit"
    MUNICIPALITY = "municipality"  # an organisation's clients living in one municipality
    COUNTY = "county"
    ALL = "all"


class MonthlyFigure(models.Model):
    """A monthly roll-up of the case facts (the `rollups` package): for one level and its scope columns, one
    measure (`key`, e.g. a step or an outcome) counted by the month of its date. `since` and `until`
    are the months the cases were identified and closed, for the figures about cases open during a
    period; `value` a day count (histograms of the times between steps). Never edited by
    hand: `services.refresh` adds the difference between a batch's new and old facts,
    `rollups.rebuild` recomputes every row."""

    level = models.CharField(max_length=16, choices=RollupLevel.choices)
    organisation_id = models.IntegerField(null=True)
    unit_id = models.IntegerField(null=True)
    municipality = models.CharField(max_length=3, blank=True)
    county = models.CharField(max_length=64, blank=True)
    worker_id = models.IntegerField(null=True)
    measure = models.CharField(max_length=24)
    key = models.CharField(max_length=200, blank=True)  # up to a provider's name
    month = models.DateField(null=True)
    since = models.DateField(null=True)
    until = models.DateField(null=True)
    value = models.IntegerField(null=True)
    n = models.BigIntegerField(default=0)
    amount = models.FloatField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["level", "measure", "month"], name="rollup_level_measure"),
            models.Index(fields=["organisation_id", "level", "measure"], name="rollup_organisation"),
            models.Index(fields=["county", "level", "measure"], name="rollup_county"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.measure} {self.key} {self.month}: {self.n}"


class FeedbackFact(models.Model):
    """A client's anonymous answer on the service (from the portal, through `clients.extensions.
    FeedbackSource`), as the feedback indicator counts it: the organisation, occasion and month only,
    like the answer itself. Copied by `services.refresh_feedback` past a watermark; answers are never
    edited, so a copy never needs recomputing (`refresh_insights --all` copies them all again)."""

    source = models.CharField(max_length=64)
    answer_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    occasion = models.CharField(max_length=32)
    month = models.DateField()
    heard = models.PositiveSmallIntegerField()
    knew_responsible = models.BooleanField()
    useful = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"], name="feedback_fact_organisation")]
        constraints = [
            models.UniqueConstraint(fields=["source", "answer_id"], name="feedback_fact_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.answer_id}"
