"""The unit's fidelity reviews."""

from __future__ import annotations

import uuid

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.employment.models import (
    FidelityReview,
)


def reviews(*, viewer: Membership) -> list[FidelityReview]:
    return list(
        FidelityReview.objects.filter(unit__organisation_id=viewer.unit.organisation_id)
        .select_related("unit")
        .prefetch_related("ratings")
        .order_by("reviewed_on", "id")
    )


def review_for(*, viewer: Membership, public_id: uuid.UUID | str) -> FidelityReview:
    review = FidelityReview.objects.select_related("unit").filter(public_id=public_id).first()
    if review is None or review.unit.organisation_id != viewer.unit.organisation_id:
        permissions.refuse(viewer, "ips.unit", review, hide=True)
    permissions.require(viewer, "ips.unit", review, hide=True)
    return review


def previous_review(review: FidelityReview) -> FidelityReview | None:
    return (
        FidelityReview.objects.filter(
            unit__organisation_id=review.unit.organisation_id, reviewed_on__lt=review.reviewed_on
        )
        .prefetch_related("ratings")
        .order_by("-reviewed_on", "-id")
        .first()
    )
