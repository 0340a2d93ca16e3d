"""The service catalogue (shaped after Open Referral HSDS 3.0) and referrals from a case to a service.

A catalogue record's `public_id` is its HSDS id, so an export imported elsewhere keeps its ids and a
second import updates instead of duplicating. A referral's state changes are history rows
(ARCHITECTURE.md rule 4); the referral carries its current state and the times the indicators need.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.models import Case, Client, Consent, Municipality, Register
from polku.core import limits, names
from polku.core.models import PublicRecord

# Days a sent referral may wait for an answer, and an accepted one for its start, before it shows as
# overdue on the personal worker's caseload. A deployment may set POLKU_REFERRAL_ANSWER_DAYS /
# POLKU_REFERRAL_START_DAYS in its settings; these are the defaults.
REFERRAL_ANSWER_DAYS = 14
REFERRAL_START_DAYS = 30


def answer_days() -> int:
    return int(getattr(settings, "POLKU_REFERRAL_ANSWER_DAYS", REFERRAL_ANSWER_DAYS))


def start_days() -> int:
    return int(getattr(settings, "POLKU_REFERRAL_START_DAYS", REFERRAL_START_DAYS))


def _translated(obj: Any, field: str) -> str:
    """The field in the current language, falling back to Finnish."""
    language = (get_language() or "fi")[:2]
    value = getattr(obj, f"{field}_{language}", "") if language in ("fi", "sv", "en") else ""
    return str(value or getattr(obj, f"{field}_fi"))


class TaxonomyTerm(PublicRecord):
    """A kind of service (the catalogue's category), administered in the admin."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = limits.text(_("description"), limits.SUMMARY, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    register = models.CharField(
        _("register of referrals"),
        max_length=16,
        choices=Register.choices,
        default=Register.EMPLOYMENT,
        help_text=_(
            "A referral to a service of this category is a record of this register (health care for "
            "health services, social welfare for social services), disclosed only under a consent for it."
        ),
    )

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "name_fi"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _translated(self, "name")


class Provider(PublicRecord):
    """An organisation offering services (HSDS organization). `organisation` links it to a Polku
    organisation when the provider works in Polku too."""

    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    description = limits.text(_("description"), limits.SUMMARY)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation in Polku"),
    )

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (Swedish where given, else Finnish)."""
        return names.in_reader_language(self.name, self.name_sv)


class ServiceLanguage(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    SAMI = "se", _("Sámi")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    UKRAINIAN = "uk", _("Ukrainian")
    ESTONIAN = "et", _("Estonian")
    SIGN_LANGUAGE = "fse", _("Finnish Sign Language")


class Service(PublicRecord):
    """A service in the catalogue. `unit` is the Polku unit that receives its referrals, when there is
    one: its staff then answer the referrals themselves."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving unit in Polku"),
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description_fi = limits.text(_("description in Finnish"), limits.SUMMARY)
    description_sv = limits.text(_("description in Swedish"), limits.SUMMARY, blank=True)
    description_en = limits.text(_("description in English"), limits.SUMMARY, blank=True)
    category = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    need_kinds = models.JSONField(
        _("support needs it answers"),
        default=list,
        blank=True,
        help_text=_('Support need kinds, for example ["mental_health", "substance_use"].'),
    )
    eligibility = limits.text(_("eligibility"), limits.SUMMARY, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_('Language codes, for example ["fi", "sv"].')
    )
    application_process = limits.text(_("how to apply"), limits.SUMMARY, blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_id = models.UUIDField(default=uuid.uuid4, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_fi", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _translated(self, "name")

    @property
    def description(self) -> str:
        return _translated(self, "description")

    def need_labels(self) -> list[str]:
        from polku.screening.models import NeedKind

        return [str(NeedKind(kind).label) for kind in self.need_kinds if kind in NeedKind.values]

    def language_labels(self) -> list[str]:
        return [
            str(ServiceLanguage(code).label) if code in ServiceLanguage.values else code
            for code in self.languages
        ]


class ServiceLocation(models.Model):
    """Where a service is given (HSDS service_at_location with its location, address and accessibility;
    each keeps its own HSDS id)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location_id = models.UUIDField(default=uuid.uuid4, editable=False)
    address_id = models.UUIDField(default=uuid.uuid4, editable=False)
    accessibility_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5)
    post_office = models.CharField(_("post office"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    accessibility = limits.text(_("accessibility"), limits.SUMMARY, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.street_address}, {self.postal_code} {self.post_office}"


class ServiceContact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone_id = models.UUIDField(default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


# --- Referrals -----------------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
    CANCELLED = "cancelled", _("Cancelled")


# Where a referral may go from each status. The rest are refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    # The sender discards a draft or withdraws a sent referral before the provider answers: "cancelled".
    ReferralStatus.DRAFT: (ReferralStatus.SENT, ReferralStatus.CANCELLED),
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED),
    ReferralStatus.ACCEPTED: (ReferralStatus.STARTED, ReferralStatus.DID_NOT_ATTEND),
    ReferralStatus.STARTED: (
        ReferralStatus.COMPLETED,
        ReferralStatus.DISCONTINUED,
        ReferralStatus.DID_NOT_ATTEND,
    ),
    ReferralStatus.DECLINED: (),
    ReferralStatus.COMPLETED: (),
    ReferralStatus.DISCONTINUED: (),
    ReferralStatus.DID_NOT_ATTEND: (),
    ReferralStatus.CANCELLED: (),
}
# The sending side's moves (the rest are the provider's answers).
SENDER_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.CANCELLED})
NEEDS_REASON = frozenset({ReferralStatus.DECLINED, ReferralStatus.DISCONTINUED})
# The provider's answers; the sending side only drafts and sends.
PROVIDER_STATUSES = frozenset(
    {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.STARTED,
        ReferralStatus.COMPLETED,
        ReferralStatus.DISCONTINUED,
        ReferralStatus.DID_NOT_ATTEND,
    }
)


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    SOON = "soon", _("Within two weeks")
    NORMAL = "normal", _("Normal")


def overdue_since(now: Any = None) -> dict[str, Any]:
    """The moments before which a referral is overdue: sent without an answer for ANSWER_DAYS, or
    accepted without a start for START_DAYS (the parameters of `overdue_q`)."""
    now = now or timezone.now()
    return {
        "sent_before": now - timedelta(days=answer_days()),
        "accepted_before": now - timedelta(days=start_days()),
    }


def overdue_q(*, sent_before: Any, accepted_before: Any) -> Q:
    """Q on Referral for the overdue ones (`overdue_since` gives the moments)."""
    return Q(status=ReferralStatus.SENT, sent_at__lt=sent_before) | Q(
        status=ReferralStatus.ACCEPTED, accepted_at__lt=accepted_before
    )


class Referral(PublicRecord):
    """A referral from a case to a catalogue service. A record of the sending organisation's register,
    shown to others only under the client's consent; the receiving unit sees what the client agreed to
    share with it, and nothing else of the client."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    need = models.ForeignKey(
        "screening.SupportNeed",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support need"),
    )
    # The action of an agreed service plan the referral was made from, when there is one.
    plan_action = models.ForeignKey(
        "plans.PlanAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("action of the service plan"),
    )
    # What else the referral came from, in words (a plan action is linked above).
    source = models.CharField(_("came from"), max_length=200, blank=True)
    reason = limits.text(_("reason"), limits.REFERRAL)
    shared_information = limits.text(_("what the client agreed to share"), limits.REFERRAL, blank=True)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Whole days from sending to the start, for the indicators (started_at - sent_at is there too).
    days_to_start = models.PositiveIntegerField(_("days from referral to start"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="referral_case_status"),
            models.Index(fields=["service", "status"], name="referral_service_status"),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"

    @property
    def allowed_next(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        if self.status == ReferralStatus.SENT and self.sent_at:
            return self.sent_at < now - timedelta(days=answer_days())
        if self.status == ReferralStatus.ACCEPTED and self.accepted_at:
            return self.accepted_at < now - timedelta(days=start_days())
        return False


class ReferralStatusChange(models.Model):
    """One step of a referral: who moved it, when, and why. `on_behalf` marks a provider's answer
    recorded by the sending worker (a provider not in Polku)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    previous_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = limits.text(None, limits.REASON, blank=True)
    on_behalf = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"
