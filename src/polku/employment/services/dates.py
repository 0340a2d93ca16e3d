"""The dates every IPS write checks: today in the server's time zone, and no date after it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def today() -> date:
    return timezone.localdate()


def not_future(on: date, field: str) -> None:
    if on > today():
        raise ValidationError({field: _("The date cannot be in the future.")})
