"""Feedback on the service: the occasion waiting for my answers, and the protected figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, IntegerField
from django.db.models.functions import Cast

from polku.clients.models import Case, Client
from polku.plans.models import (
    PlanReview,
    PlanVersion,
    PlanVersionStatus,
)
from polku.portal.models import (
    FeedbackGiven,
    FeedbackOccasion,
    ServiceFeedback,
)

SMALL_NUMBER = 5  # fewer answers than this are not shown as figures


def feedback_waiting(client: Client) -> dict[str, Any] | None:
    """The newest occasion the client has not given feedback on: an agreed plan version, a review or a
    closed case (the newest first), or None."""
    given = set(FeedbackGiven.objects.filter(client=client).values_list("case_id", "occasion", "key"))
    for case in (
        Case.objects.filter(client=client).select_related("unit__organisation").order_by("-opened_on", "-id")
    ):
        if case.closed_on and (case.pk, FeedbackOccasion.CASE_CLOSED, str(case.public_id)) not in given:
            return {"case": case, "occasion": FeedbackOccasion.CASE_CLOSED, "key": str(case.public_id)}
        review = PlanReview.objects.filter(plan__case=case).order_by("-held_on", "-id").first()
        if review and (case.pk, FeedbackOccasion.REVIEW, str(review.public_id)) not in given:
            return {"case": case, "occasion": FeedbackOccasion.REVIEW, "key": str(review.public_id)}
        version = (
            PlanVersion.objects.filter(plan__case=case, status=PlanVersionStatus.AGREED)
            .order_by("-number")
            .first()
        )
        if version and (case.pk, FeedbackOccasion.PLAN_AGREED, str(version.public_id)) not in given:
            return {"case": case, "occasion": FeedbackOccasion.PLAN_AGREED, "key": str(version.public_id)}
    return None


def feedback_summary(organisation_id: int) -> list[dict[str, Any]]:
    """The organisation's feedback by occasion, for the insights: averages and shares only where at least
    SMALL_NUMBER clients answered (smaller groups show only that there were too few answers)."""
    rows = (
        ServiceFeedback.objects.filter(organisation_id=organisation_id)
        .values("occasion")
        .annotate(
            answers=Count("id"),
            heard=Avg("heard"),
            useful=Avg("useful"),
            knew=Avg(Cast("knew_responsible", IntegerField())),
        )
        .order_by("occasion")
    )
    return [
        row if row["answers"] >= SMALL_NUMBER else {"occasion": row["occasion"], "answers": None}
        for row in rows
    ]
