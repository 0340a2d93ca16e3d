"""Saving the career profile with its change rows, and recording benefits counselling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.clients.models import Municipality
from polku.employment.models import (
    PROFILE_FIELDS,
    Adjustment,
    BenefitsCounselling,
    CareerProfile,
    CareerProfileChange,
    Disclosure,
    IpsPeriod,
    JobField,
    place_codes_of,
    validate_hours,
)
from polku.employment.services.dates import not_future, today


def _comparable(value: Any) -> Any:
    """A profile value as compared for its history: lists of choices in any order are the same."""
    return sorted(value) if isinstance(value, list) else value


@transaction.atomic
def profile_save(
    *, period: IpsPeriod, by: Membership, municipalities: Sequence[Municipality] = (), **values: Any
) -> CareerProfile:
    """Create or update the career profile. A changed disclosure decision is dated today."""
    permissions.require(by, "ips.manage", period, hide=True)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown career profile fields: {sorted(unknown)}")
    validate_hours(values.get("hours_min", 0), values.get("hours_max", 40))
    if not set(values.get("job_fields", [])) <= set(JobField.values):
        raise ValidationError({"job_fields": _("Choose the kinds of work from the list.")})
    if not set(values.get("adjustments", [])) <= set(Adjustment.values):
        raise ValidationError({"adjustments": _("Choose the adjustments from the list.")})
    profile = CareerProfile.objects.select_for_update().filter(period=period).first()
    created = profile is None
    if profile is None:
        profile = CareerProfile(period=period, updated_by=by)
    before = {name: getattr(profile, name) for name in values}
    places_before = [] if created else sorted(profile.municipalities.values_list("code", flat=True))
    for name, value in values.items():
        setattr(profile, name, value)
    if created or profile.disclosure != before.get("disclosure", profile.disclosure):
        profile.disclosure_decided_on = today() if profile.disclosure != Disclosure.UNDECIDED else None
    places = sorted(m.code for m in municipalities)
    profile.place_codes = place_codes_of(places)
    profile.updated_by = by
    profile.full_clean(exclude=["period", "updated_by", "municipalities"])
    profile.save()
    profile.municipalities.set(municipalities)
    previous: dict[str, Any] = {
        name: value for name, value in before.items() if _comparable(value) != _comparable(values[name])
    }
    if places != places_before:
        previous["municipalities"] = places_before
    if created or previous:
        CareerProfileChange.objects.create(
            profile=profile,
            changed_by=by,
            created=created,
            fields=[*sorted(values), "municipalities"] if created else sorted(previous),
            previous={} if created else previous,
        )
    changed = sorted(previous) if not created else ["created"]
    audit.record(by, "ips.profile", profile, client=period.client, details={"fields": changed})
    return profile


@transaction.atomic
def counselling_record(
    *,
    period: IpsPeriod,
    by: Membership,
    reason: str,
    offered_on: date,
    given_on: date | None = None,
    given_by: str = "",
    questions: str = "",
) -> BenefitsCounselling:
    permissions.require(by, "ips.manage", period, hide=True)
    not_future(offered_on, "offered_on")
    if given_on is not None:
        not_future(given_on, "given_on")
        if given_on < offered_on:
            raise ValidationError({"given_on": _("Counselling cannot be given before it was offered.")})
        if not given_by.strip():
            raise ValidationError({"given_by": _("Say who gave the counselling.")})
    record = BenefitsCounselling(
        period=period,
        reason=reason,
        offered_on=offered_on,
        given_on=given_on,
        given_by=given_by.strip(),
        questions=questions,
        recorded_by=by,
    )
    record.full_clean(exclude=["period", "recorded_by"])
    record.save()
    audit.record(by, "ips.counselling", record, client=period.client)
    return record
