"""Referrals from a case to a service of the catalogue. A referral's state changes are history rows
(ARCHITECTURE.md rule 4); the referral carries its current state and the times the indicators need."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models import Case, Client, Consent, Register
from polku.core import limits, story_time
from polku.core.models import PublicRecord
from polku.network.models.catalogue import Service

__all__ = [
    "NEEDS_REASON",
    "PROVIDER_STATUSES",
    "REFERRAL_ANSWER_DAYS",
    "REFERRAL_START_DAYS",
    "SENDER_STATUSES",
    "TRANSITIONS",
    "Referral",
    "ReferralStatus",
    "ReferralStatusChange",
    "Urgency",
    "answer_days",
    "overdue_q",
    "overdue_since",
    "start_days",
]


# Days a sent referral may wait for an answer, and an accepted one for its start, before it shows as
# overdue on the personal worker's caseload. A deployment may set POLKU_REFERRAL_ANSWER_DAYS /
# POLKU_REFERRAL_START_DAYS in its settings; these are the defaults.
REFERRAL_ANSWER_DAYS = 14
REFERRAL_START_DAYS = 30


def answer_days() -> int:
    return int(getattr(settings, "POLKU_REFERRAL_ANSWER_DAYS", REFERRAL_ANSWER_DAYS))


def start_days() -> int:
    return int(getattr(settings, "POLKU_REFERRAL_START_DAYS", REFERRAL_START_DAYS))


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
    status_changed_at = models.DateTimeField(_("status since"), default=story_time.now)
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
    at = models.DateTimeField(default=story_time.now)
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = limits.text(None, limits.REASON, blank=True)
    on_behalf = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"
