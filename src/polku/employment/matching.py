"""Matching job seekers and openings by the client's preferences: kind of work, hours, place and the
adjustments wanted against those offered.

Both directions score in SQL and take the best `TOP` there (one query over the candidates: the
organisation's open openings, or the open IPS periods in engagement or job search that the viewer may
see), so the cost does not grow with what Python reads; the few found are then explained here: every
suggestion says why it matched and what does not fit. Kinds of work and adjustments are compared as
bit masks (`models.bits_of`). bench/README.md, "Matching", has the figures at 10,000 job seekers and
5,000 openings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext as _

from polku.accounts.models import Membership
from polku.clients import access
from polku.employment.models import (
    Adjustment,
    CareerProfile,
    JobField,
    JobOpening,
    OpeningStatus,
    Phase,
    bits_of,
)

TOP = 20
# Points per criterion; the kind of work and the hours weigh most (the client's preferences lead).
FIELD_POINTS, HOURS_POINTS, PLACE_POINTS, ADJUSTMENT_POINTS = 4, 3, 2, 1
ADJUSTMENT_BITS = [(value, 1 << n) for n, value in enumerate(Adjustment.values)]


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
    """The same score as the SQL (`_points_*`), with the reasons. No kinds of work or places named
    means any will do."""
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


def _points(condition: Q | Exists, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def openings_for(profile: CareerProfile, *, viewer: Membership, top: int = TOP) -> list[Match]:
    """The organisation's open openings ranked by fit with the profile (best first): three queries
    (the profile's places, the ranking, the best openings)."""
    places = list(profile.municipalities.values_list("code", flat=True))
    wanted = preferences_of(profile, places)
    score: Any = _points(
        Q(job_field__in=wanted.job_fields) if wanted.job_fields else Q(pk__isnull=False), FIELD_POINTS
    )
    score += _points(Q(hours_min__lte=wanted.hours_max, hours_max__gte=wanted.hours_min), HOURS_POINTS)
    score += _points(Q(municipality_id__in=places) if places else Q(pk__isnull=False), PLACE_POINTS)
    annotations: dict[str, Any] = {}
    for value, bit in ADJUSTMENT_BITS:
        if value in wanted.adjustments:
            annotations[f"adj_{value}"] = F("adjustment_bits").bitand(bit)
            score += _points(Q(**{f"adj_{value}__gt": 0}), ADJUSTMENT_POINTS)
    best = list(
        JobOpening.objects.filter(owner_id=viewer.unit.organisation_id, status=OpeningStatus.OPEN)
        .annotate(**annotations)
        .annotate(score=score)
        .order_by("-score", "pk")
        .values_list("pk", flat=True)[:top]
    )
    # The few best are read whole afterwards: joining the employer to every candidate before the sort
    # cost more than this query.
    found = JobOpening.objects.select_related("employer", "municipality").in_bulk(best)
    return [Match(found[pk], fit(wanted, offer_of(found[pk]))) for pk in best]


def seekers_for(opening: JobOpening, *, viewer: Membership, top: int = TOP) -> list[Match]:
    """Job seekers (engagement or job search) on the organisation's IPS caseloads whom the viewer may
    see, ranked by fit with the opening: three queries (the ranking, the best profiles with their
    clients, their places)."""
    offer = offer_of(opening)
    field_bit = bits_of([offer.job_field], JobField)
    in_place = CareerProfile.municipalities.through.objects.filter(
        careerprofile_id=OuterRef("pk"), municipality_id=offer.municipality
    )
    any_place = CareerProfile.municipalities.through.objects.filter(careerprofile_id=OuterRef("pk"))
    annotations: dict[str, Any] = {"field_hit": F("job_field_bits").bitand(field_bit)}
    score: Any = _points(Q(job_field_bits=0) | Q(field_hit__gt=0), FIELD_POINTS)
    score += _points(Q(hours_min__lte=offer.hours_max, hours_max__gte=offer.hours_min), HOURS_POINTS)
    score += _points(Exists(in_place) | ~Exists(any_place), PLACE_POINTS)
    for value, bit in ADJUSTMENT_BITS:
        if value in offer.adjustments:
            annotations[f"adj_{value}"] = F("adjustment_bits").bitand(bit)
            score += _points(Q(**{f"adj_{value}__gt": 0}), ADJUSTMENT_POINTS)
    best = list(
        CareerProfile.objects.filter(
            period__organisation_id=viewer.unit.organisation_id,
            period__phase__in=[Phase.ENGAGEMENT, Phase.JOB_SEARCH],
        )
        .filter(access.client_relationship(viewer, client_field="period__client"))
        .annotate(**annotations)
        .annotate(score=score)
        .order_by("-score", "pk")
        .values_list("pk", flat=True)[:top]
    )
    found = (
        CareerProfile.objects.select_related("period__client")
        .prefetch_related("municipalities")
        .in_bulk(best)
    )
    matches = []
    for profile in (found[pk] for pk in best):
        places = [m.code for m in profile.municipalities.all()]
        matches.append(Match(profile.period, fit(preferences_of(profile, places), offer)))
    return matches
