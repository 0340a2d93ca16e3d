"""The unit's IPS-25 fidelity reviews."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.employment import figures, forms, selectors, services
from polku.employment.models import FidelityBand, fidelity_band
from polku.employment.scale import ITEMS


@require_GET
@staff_required
def fidelity(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "ips.unit")
    reviews = selectors.reviews(viewer=viewer)
    totals = [(review, review.total, FidelityBand(fidelity_band(review.total)).label) for review in reviews]
    return render(
        request,
        "employment/fidelity.html",
        {"totals": totals, "chart": figures.totals_chart([(r.reviewed_on, t) for r, t, _b in totals])},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def review_new(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "ips.fidelity_record")
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scores, evidence = form.scores()
        try:
            review = services.review_record(
                by=viewer,
                reviewed_on=form.cleaned_data["reviewed_on"],
                reviewers=form.cleaned_data["reviewers"],
                scale_version=form.cleaned_data["scale_version"],
                scores=scores,
                evidence=evidence,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("employment:review", public_id=review.public_id)
    measured = figures.measured(organisation_id=viewer.unit.organisation_id)
    items = [
        (number, title, full, form[f"item_{number}"], form[f"evidence_{number}"], measured.get(number))
        for number, title, full in ITEMS
    ]
    return render_form(request, "employment/review_form.html", {"form": form, "items": items})


@require_GET
@staff_required
def review_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    review = selectors.review_for(viewer=viewer, public_id=public_id)
    previous = selectors.previous_review(review)
    before = {r.item: r.score for r in previous.ratings.all()} if previous else {}
    ratings = {r.item: r for r in review.ratings.all()}
    rows = [(n, title, ratings.get(n), before.get(n)) for n, title, _f in ITEMS]
    total = review.total
    return render(
        request,
        "employment/review.html",
        {
            "review": review,
            "rows": rows,
            "total": total,
            "band": FidelityBand(fidelity_band(total)).label,
            "previous": previous,
        },
    )
