"""The employer side: contact people, the employer contact log, job openings and what a client
decided about an opening."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.models import Municipality
from polku.core import limits
from polku.core.models import PublicRecord
from polku.employment.models.period import Adjustment, IpsPeriod, JobField, bits_of


class ContactPerson(PublicRecord):
    """A person at an employer the coaching organisation deals with."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_contact_people")
    workplace = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=limits.NAME)
    title = models.CharField(_("title"), max_length=limits.NAME, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ContactPurpose(models.TextChoices):
    LEARN_NEEDS = "learn_needs", _("Learning the employer's needs")
    PRESENT = "present", _("Presenting a job seeker")
    FOLLOW_UP = "follow_up", _("Follow-up")


class EmployerContact(PublicRecord):
    """One contact with an employer in job development, and the job seekers it was on behalf of."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_contacts")
    contact_person = models.ForeignKey(
        ContactPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    # The contact person's name as text once the person is removed (`services.contact_person_remove`).
    contact_person_name = models.CharField(_("contact person"), max_length=limits.NAME, blank=True)
    on = models.DateField(_("date"))
    face_to_face = models.BooleanField(_("face to face"), default=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=ContactPurpose.choices)
    note = limits.text(_("note"), limits.SHORT_NOTE, blank=True)
    coach = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="employer_contacts")
    job_seekers = models.ManyToManyField(IpsPeriod, blank=True, related_name="employer_contacts")

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["coach", "on"], name="employer_contact_coach_on")]


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class WageType(models.TextChoices):
    COMPETITIVE = "competitive", _("Competitive")
    WAGE_SUBSIDISED = "wage_subsidised", _("Wage-subsidised (palkkatuki)")
    OTHER = "other", _("Other")


class JobOpening(PublicRecord):
    """A job opening found in job development. Part-time work is first class: hours are a range."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ips_openings")
    workplace = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=limits.NAME)
    tasks = limits.text(_("tasks"), limits.SHORT_NOTE, blank=True)
    job_field = models.CharField(_("kind of work"), max_length=16, choices=JobField.choices)
    hours_min = models.PositiveSmallIntegerField(_("hours per week, at least"))
    hours_max = models.PositiveSmallIntegerField(_("hours per week, at most"))
    adjustments = models.JSONField(_("adjustments the employer can make"), default=list, blank=True)
    adjustment_bits = models.PositiveIntegerField(default=0, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    wage_type = models.CharField(
        _("wage"), max_length=16, choices=WageType.choices, default=WageType.COMPETITIVE
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_max__gte=models.F("hours_min")), name="opening_hours_order"
            )
        ]
        indexes = [models.Index(fields=["owner", "status", "job_field"], name="opening_owner_status")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.adjustment_bits = bits_of(self.adjustments, Adjustment)
        super().save(*args, **kwargs)

    @property
    def is_part_time(self) -> bool:
        return self.hours_min < 30


class Decision(models.TextChoices):
    THINKING = "thinking", _("Thinking it over")
    APPLY = "apply", _("Wants to apply")
    DECLINED = "declined", _("Not interested")


class OpeningDiscussion(PublicRecord):
    """The coach discussed an opening with the client; the client chose."""

    period = models.ForeignKey(IpsPeriod, on_delete=models.CASCADE, related_name="discussions")
    opening = models.ForeignKey(JobOpening, on_delete=models.PROTECT, related_name="discussions")
    on = models.DateField(_("date"))
    decision = models.CharField(_("the client's decision"), max_length=16, choices=Decision.choices)
    note = limits.text(_("note"), limits.SHORT_NOTE, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
