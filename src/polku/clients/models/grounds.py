"""The grounds on which others read a client's records: the client's consents to share, and
break-the-glass accesses."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models.client import Client, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord


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
    at = models.DateTimeField(default=story_time.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["membership", "expires_at"], name="break_glass_active")]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"
