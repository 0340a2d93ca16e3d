"""Jobs a client holds during a period and the follow-along support given in them."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.models import Client, Register
from polku.core import limits
from polku.core.models import PublicRecord
from polku.employment.models.employer import JobOpening, WageType
from polku.employment.models.period import IpsPeriod, JobField


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
