"""The service catalogue, shaped after Open Referral HSDS 3.0: categories, providers, services, their
locations and contacts. A catalogue record's `public_id` is its HSDS id, so an export imported elsewhere
keeps its ids and a second import updates instead of duplicating.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, Unit
from polku.clients.models import Municipality, Register
from polku.core import limits
from polku.core.models import PublicRecord


def _translated(obj: Any, field: str) -> str:
    """The field in the current language, falling back to Finnish."""
    language = (get_language() or "fi")[:2]
    value = getattr(obj, f"{field}_{language}", "") if language in ("fi", "sv", "en") else ""
    return str(value or getattr(obj, f"{field}_fi"))


__all__ = [
    "Provider",
    "Service",
    "ServiceContact",
    "ServiceLanguage",
    "ServiceLocation",
    "TaxonomyTerm",
]


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
        return self.name


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
