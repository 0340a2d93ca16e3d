"""Users, organisations, their units and the memberships (with a role) that tie users to units."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from stdnum.fi import ytunnus

from polku.core import names
from polku.core.models import PublicRecord


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
    KELA = "kela", _("Kela")
    EMPLOYMENT_AUTHORITY = "employment_authority", _("Employment authority")
    NGO = "ngo", _("Non-governmental organisation")
    EMPLOYER = "employer", _("Employer")
    EDUCATION_PROVIDER = "education_provider", _("Education provider")


class Role(models.TextChoices):
    """Staff roles (ARCHITECTURE.md, "Roles"). Clients reach only the portal, through their own
    client record, so they hold no membership and have no role here."""

    PERSONAL_WORKER = "personal_worker", _("Personal worker")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    NURSE = "nurse", _("Nurse")
    PHYSICIAN = "physician", _("Physician")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    JOB_COACH = "job_coach", _("Job coach (IPS)")
    WORK_TRIAL_HOST = "work_trial_host", _("Work trial host")
    MANAGER = "manager", _("Manager / analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


TEAM_PROFESSIONAL_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.NURSE,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.PHYSIOTHERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
    }
)

# Roles that work with clients on case teams; managers, administrators and work trial hosts never do.
CLIENT_WORK_ROLES = (
    Role.PERSONAL_WORKER,
    Role.SOCIAL_WORKER,
    Role.NURSE,
    Role.PHYSICIAN,
    Role.PSYCHOLOGIST,
    Role.PHYSIOTHERAPIST,
    Role.OCCUPATIONAL_THERAPIST,
    Role.JOB_COACH,
)


def validate_business_id(value: str) -> None:
    if not ytunnus.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid business ID (Y-tunnus): use the form 1234567-8."),
            params={"value": value},
            code="invalid_business_id",
        )


def validate_municipality_code(value: str) -> None:
    if len(value) != 3 or not value.isdigit():
        raise ValidationError(
            _("A municipality code has exactly three digits, for example 564 for Oulu."),
            code="invalid_municipality_code",
        )


# Django's own salt (AbstractBaseUser.get_session_auth_hash), so that generation 0 hashes as Django does.
SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person who logs in. What they may do comes from their memberships, never from the user."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised to end every session of the user, wherever sessions are stored: it is part of the hash
    # each session keeps of its user (`get_session_auth_hash`), which Django checks on every request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password (which a password change ends sessions with), and of the
        session generation once it has been raised (`end_all_sessions`). Generation 0 gives Django's
        own hash, so sessions opened before the generation existed stay valid."""
        return self.session_auth_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self.session_auth_hash(secret)

    def session_auth_hash(self, secret: str | bytes) -> str:
        value = self.password if not self.session_generation else f"{self.password}:{self.session_generation}"
        return salted_hmac(SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @cached_property
    def holds_administrator_membership(self) -> bool:
        """Asked by `permissions.is_administrator`, once per user object (the admin asks it often)."""
        return self.active_memberships().filter(role=Role.ADMINISTRATOR).exists()

    # The Django admin asks these; the answer comes from the one permission function.
    @property
    def is_staff(self) -> bool:
        from polku.accounts import permissions

        return permissions.is_administrator(self)

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list: Any, obj: object = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff

    def active_memberships(self, on: date | None = None) -> QuerySet[Membership]:
        return Membership.objects.active(on).filter(user=self)


class Organisation(PublicRecord):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("The official name, in Finnish."))
    name_sv = models.CharField(
        _("name in Swedish"),
        max_length=200,
        blank=True,
        help_text=_("For bilingual organisations; Swedish pages show it, others the Finnish name."),
    )
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        unique=True,
        validators=[validate_business_id],
        help_text=_("Y-tunnus, for example 1234567-8."),
    )
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=3,
        blank=True,
        validators=[validate_municipality_code],
        help_text=_("Three digits; for municipalities and for organisations serving one municipality."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (Swedish where given, else Finnish)."""
        return names.in_reader_language(self.name, self.name_sv)

    def clean(self) -> None:
        super().clean()
        if self.business_id:
            self.business_id = ytunnus.compact(self.business_id)
            if len(self.business_id) == 8 and "-" not in self.business_id:
                self.business_id = ytunnus.format(self.business_id)
        if self.kind == OrganisationKind.MUNICIPALITY and not self.municipality_code:
            raise ValidationError(
                {"municipality_code": _("A municipality needs its municipality code.")},
                code="municipality_code_required",
            )


class Unit(PublicRecord):
    """A team or office inside an organisation (for example Oulu employment services, PALO team)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique_in_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.display_name}: {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language (Swedish where given, else Finnish)."""
        return names.in_reader_language(self.name, self.name_sv)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            valid_from__lte=on,
            user__is_active=True,
            unit__is_active=True,
            unit__organisation__is_active=True,
        )


class Membership(PublicRecord):
    """A user's role in a unit for a period. A user may hold several; one is active per session."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__organisation__name", "unit__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_valid_until_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.unit}"

    @property
    def organisation(self) -> Organisation:
        return self.unit.organisation

    def clean(self) -> None:
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The end date cannot be before the start date.")}, code="invalid_period"
            )

    def is_active_on(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.user.is_active
            and self.unit.is_active
            and self.unit.organisation.is_active
            and self.valid_from <= on
            and (self.valid_until is None or self.valid_until >= on)
        )

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
