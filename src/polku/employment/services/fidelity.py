"""Recording a fidelity review with its item ratings."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.employment.models import (
    FidelityRating,
    FidelityReview,
    fidelity_band,
)
from polku.employment.services.dates import not_future


@transaction.atomic
def review_record(
    *,
    by: Membership,
    reviewed_on: date,
    reviewers: str,
    scores: dict[int, int],
    evidence: dict[int, str],
    scale_version: str = "IPS-25 (2019)",
) -> FidelityReview:
    """An IPS-25 review of the viewer's unit: all 25 items rated 1-5."""
    permissions.require(by, "ips.fidelity_record", None)
    not_future(reviewed_on, "reviewed_on")
    if sorted(scores) != list(range(1, 26)) or not all(1 <= s <= 5 for s in scores.values()):
        raise ValidationError(_("Rate every one of the 25 items from 1 to 5."))
    review = FidelityReview.objects.create(
        unit=by.unit,
        reviewed_on=reviewed_on,
        reviewers=reviewers.strip(),
        scale_version=scale_version,
        created_by=by,
    )
    FidelityRating.objects.bulk_create(
        [
            FidelityRating(review=review, item=item, score=score, evidence=evidence.get(item, ""))
            for item, score in sorted(scores.items())
        ]
    )
    total = sum(scores.values())
    audit.record(by, "ips.fidelity_review", review, details={"total": total, "band": fidelity_band(total)})
    return review
