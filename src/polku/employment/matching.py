"""Matching job seekers and openings by the client's preferences: kind of work, hours, place and the
adjustments wanted against those offered. Candidates are narrowed in SQL (open openings of the
organisation, or open IPS periods the viewer may see, that meet on kind of work, place or hours),
then scored here; every suggestion says why it matched and what does not fit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from polku.accounts.models import Membership
from polku.clients import access
from polku.employment.models import Adjustment, CareerProfile, JobField, JobOpening, OpeningStatus, Phase

TOP = 20
# Points per criterion; the kind of work and the hours weigh most (the client's preferences lead).
FIELD_POINTS, HOURS_POINTS, PLACE_POINTS, ADJUSTMENT_POINTS = 4, 3, 2, 1


@dataclass(frozen=True)
class Preferences:
    job_fields: frozenset[str]
    hours_min: int
    hours_max: int
    municipalities: frozenset[str]
    adjustments: frozenset[str]


@dataclass(frozen=True)
class Offer:
    job_field: str
    hours_min: int
    hours_max: int
    municipality: str
    adjustments: frozenset[str]


@dataclass
class Fit:
    score: int = 0
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def fit(wanted: Preferences, offer: Offer) -> Fit:
    result = Fit()
    if not wanted.job_fields or offer.job_field in wanted.job_fields:
        result.score += FIELD_POINTS
        result.matched.append(_("kind of work: %(field)s") % {"field": JobField(offer.job_field).label})
    else:
        result.missing.append(_("not a kind of work the client named"))
    if offer.hours_min <= wanted.hours_max and offer.hours_max >= wanted.hours_min:
        result.score += HOURS_POINTS
        result.matched.append(
            _("hours fit (%(min)s–%(max)s h a week)") % {"min": offer.hours_min, "max": offer.hours_max}
        )
    else:
        result.missing.append(
            _("hours %(min)s–%(max)s h a week, the client wants %(wmin)s–%(wmax)s")
            % {
                "min": offer.hours_min,
                "max": offer.hours_max,
                "wmin": wanted.hours_min,
                "wmax": wanted.hours_max,
            }
        )
    if not wanted.municipalities or offer.municipality in wanted.municipalities:
        result.score += PLACE_POINTS
        result.matched.append(_("place fits"))
    else:
        result.missing.append(_("not in a place the client named"))
    for adjustment in sorted(wanted.adjustments):
        label = Adjustment(adjustment).label
        if adjustment in offer.adjustments:
            result.score += ADJUSTMENT_POINTS
            result.matched.append(_("offers: %(adjustment)s") % {"adjustment": label})
        else:
            result.missing.append(_("does not offer: %(adjustment)s") % {"adjustment": label})
    return result


def preferences_of(profile: CareerProfile, municipalities: list[str]) -> Preferences:
    return Preferences(
        job_fields=frozenset(profile.job_fields),
        hours_min=profile.hours_min,
        hours_max=profile.hours_max,
        municipalities=frozenset(municipalities),
        adjustments=frozenset(profile.adjustments),
    )


def offer_of(opening: Any) -> Offer:
    return Offer(
        job_field=opening.job_field,
        hours_min=opening.hours_min,
        hours_max=opening.hours_max,
        municipality=opening.municipality_id,
        adjustments=frozenset(opening.adjustments),
    )


@dataclass(frozen=True)
class Match:
    item: Any  # a JobOpening or an IpsPeriod
    fit: Fit


def openings_for(profile: CareerProfile, *, viewer: Membership, top: int = TOP) -> list[Match]:
    """The organisation's open openings ranked by fit with the profile (best first). Two queries."""
    places = list(profile.municipalities.values_list("code", flat=True))
    wanted = preferences_of(profile, places)
    near = Q(hours_min__lte=wanted.hours_max, hours_max__gte=wanted.hours_min)
    if wanted.job_fields:
        near |= Q(job_field__in=wanted.job_fields)
    if places:
        near |= Q(municipality_id__in=places)
    candidates = (
        JobOpening.objects.filter(owner_id=viewer.unit.organisation_id, status=OpeningStatus.OPEN)
        .filter(near)
        .select_related("employer", "municipality")
    )
    ranked = [Match(opening, fit(wanted, offer_of(opening))) for opening in candidates]
    ranked.sort(key=lambda m: (-m.fit.score, m.item.pk))
    return ranked[:top]


def seekers_for(opening: JobOpening, *, viewer: Membership, top: int = TOP) -> list[Match]:
    """Job seekers (engagement or job search) on the organisation's IPS caseloads whom the viewer may
    see, ranked by fit with the opening. Two queries."""
    offer = offer_of(opening)
    profiles = (
        CareerProfile.objects.filter(
            period__organisation_id=viewer.unit.organisation_id,
            period__phase__in=[Phase.ENGAGEMENT, Phase.JOB_SEARCH],
            hours_min__lte=offer.hours_max,
            hours_max__gte=offer.hours_min,
        )
        .filter(access.client_relationship(viewer, client_field="period__client"))
        .select_related("period__client")
        .prefetch_related("municipalities")
    )
    ranked = []
    for profile in profiles:
        places = [m.code for m in profile.municipalities.all()]
        ranked.append(Match(profile.period, fit(preferences_of(profile, places), offer)))
    ranked.sort(key=lambda m: (-m.fit.score, m.item.pk))
    return ranked[:top]
