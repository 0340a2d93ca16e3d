"""The client, their municipality and the registers a client's records belong to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership
from polku.core import search
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
