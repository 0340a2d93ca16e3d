"""Clients, their cases (asiakkuus), case teams, contacts, consents and the client timeline.

Every change of state is a row: status changes, personal worker changes and team periods are kept,
never overwritten (ARCHITECTURE.md rule 4). Writes go through `services.py`, reads of client data
through `selectors.py`, which scope them with `access.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import CLIENT_WORK_ROLES, Membership, Organisation, Role, Unit
from polku.core import limits, search
from polku.core.models import PublicRecord


class Register(models.TextChoices):
    """The register a record belongs to; it decides who may see the record (consent)."""

    SOCIAL = "social", _("Social welfare")
    HEALTH = "health", _("Health care")
    EMPLOYMENT = "employment", _("Employment services")


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    # The catalogue's services already offer it (ISO 639-1 "se"); Sámi speakers have language rights
    # in their home region under the Sámi Language Act (1086/2003).
    NORTHERN_SAMI = "se", _("Northern Sámi")
    OTHER = "other", _("Other")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Municipality(models.Model):
    """Statistics Finland's municipality classification (loaded by a data migration)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=64)
    name_sv = models.CharField(_("name in Swedish"), max_length=64)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_sv if get_language() == "sv" else self.name_fi


class ClientQuerySet(models.QuerySet["Client"]):
    def visible_to(self, viewer: Membership) -> ClientQuerySet:
        from polku.clients import access  # access reads this module's models

        return self.filter(access.client_relationship(viewer))


class Client(PublicRecord):
    """A person served by Polku. One row per person: the identity code's keyed hash is unique."""

    identity_code_encrypted = models.TextField(editable=False)
    identity_code_hash = models.CharField(max_length=64, unique=True, editable=False)
    identity_code_masked = models.CharField(_("identity code"), max_length=11, editable=False)
    first_names = models.CharField(_("first names"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    # The names as searched (`core.search.fold`: lower case, no accents, in any order), kept on every save.
    search_name = models.CharField(max_length=310, blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    other_language = models.CharField(_("other language"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    preferred_contact_channel = models.CharField(
        _("preferred contact channel"), max_length=16, choices=ContactChannel.choices, blank=True
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=100, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_names"]
        indexes = [models.Index(fields=["last_name", "first_names"], name="client_name")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search.fold(f"{self.first_names} {self.last_name}")
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_names", "last_name"} & set(fields):
            kwargs["update_fields"] = [*fields, "search_name"]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    def age_on(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        return (
            on.year
            - self.birth_date.year
            - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))
        )

    @property
    def age(self) -> int:
        return self.age_on()

    def language_labels(self) -> list[str]:
        labels = [
            str(Language(code).label)
            for code in self.languages
            if code in Language.values and code != "other"
        ]
        if "other" in self.languages and self.other_language:
            labels.append(self.other_language)
        return labels


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
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
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
        return f"{self.client} – {self.unit.name} ({self.opened_on:%d.%m.%Y})"

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
    at = models.DateTimeField(_("time"), default=timezone.now)
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
    at = models.DateTimeField(_("time"), default=timezone.now)
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


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written")
    ELECTRONIC = "electronic", _("Electronic")
    VERBAL_WITH_WITNESS = "verbal_with_witness", _("Verbal, with a witness")
    OWN_POLKU = "own_polku", _("By the client in their own Polku")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, on: date | None = None) -> ConsentQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
            valid_from__lte=on,
        )


class Consent(PublicRecord):
    """The client's consent that `discloser` may disclose records of the chosen registers to `recipient`."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    discloser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("disclosing organisation")
    )
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving organisation")
    )
    covers_social = models.BooleanField(_("social welfare records"), default=False)
    covers_health = models.BooleanField(_("health care records"), default=False)
    covers_employment = models.BooleanField(_("employment services records"), default=False)
    purpose = models.CharField(_("purpose"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    method = models.CharField(_("how it was given"), max_length=32, choices=ConsentMethod.choices)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    # Empty when the client gave the consent themself in their own Polku (method "own_polku").
    recorded_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Revocation is written once and never undone; a new consent is a new row.
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_note = models.CharField(_("revocation note"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(covers_social=True) | Q(covers_health=True) | Q(covers_employment=True),
                name="consent_covers_a_register",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="consent_valid_until_after_valid_from",
            ),
            models.CheckConstraint(condition=~Q(discloser=models.F("recipient")), name="consent_between_two"),
        ]

    @property
    def recorded_by_client(self) -> bool:
        return self.recorded_by_id is None

    @property
    def registers(self) -> list[str]:
        return [
            register
            for register, covered in (
                (Register.SOCIAL, self.covers_social),
                (Register.HEALTH, self.covers_health),
                (Register.EMPLOYMENT, self.covers_employment),
            )
            if covered
        ]

    def register_labels(self) -> list[str]:
        return [str(Register(r).label) for r in self.registers]

    def is_valid_on(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.valid_from <= on
            and (self.valid_until is None or self.valid_until >= on)
            and (self.revoked_on is None or self.revoked_on > on)
        )

    def state(self) -> str:
        today = timezone.localdate()
        if self.revoked_on is not None and self.revoked_on <= today:
            return str(_("Revoked"))
        if self.valid_from > today:
            return str(_("Not yet valid"))
        if self.valid_until is not None and self.valid_until < today:
            return str(_("Expired"))
        return str(_("Valid"))

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not (self.covers_social or self.covers_health or self.covers_employment):
            errors["covers_social"] = _("Choose at least one register the consent covers.")
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end date cannot be before the start date.")
        if self.method == ConsentMethod.VERBAL_WITH_WITNESS and not self.witness.strip():
            errors["witness"] = _("A verbal consent needs the name of the witness.")
        if self.discloser_id and self.discloser_id == self.recipient_id:
            errors["recipient"] = _("The receiving organisation must differ from the disclosing one.")
        if errors:
            raise ValidationError(errors)


class BreakGlassAccess(models.Model):
    """A personal worker's time-limited access to a client outside their teams, with the stated reason."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="break_glass_accesses")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = limits.text(_("reason"), limits.REASON)
    at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["membership", "expires_at"], name="break_glass_active")]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class TimelineEntry(models.Model):
    """One thing that happened on the client's path. Apps add entries through `clients.timeline.add`;
    an entry of a register (a contact note, say) is shown under the same consent rules as its record."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="timeline")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)
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
