"""Thin views of the follow-up of an agreed plan: the progress of its actions and its reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.plans import forms, selectors, services
from polku.plans.views.plan import form_page, plan_url, require_edit

__all__ = [
    "action_progress",
    "review_detail",
    "review_new",
]


@require_http_methods(["GET", "POST"])
@staff_required
def action_progress(request: StaffRequest, public_id: str) -> HttpResponse:
    """Record how an action of the agreed plan is going (done, in progress ...) without a new version."""
    viewer = request.membership
    action = selectors.action_for(viewer=viewer, public_id=public_id)
    version = action.goal.version
    plan = version.plan
    require_edit(viewer, plan)
    if not version.is_agreed:
        raise Http404
    current = selectors.current_progress(plan).get(action.key)
    form = forms.ActionProgressForm(
        request.POST or None, initial={"status": current.status if current else action.status}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_action_progress(action=action, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The action's status is recorded."))
            return redirect(plan_url(plan))
    return form_page(
        request,
        form=form,
        plan=plan,
        title=_("Update the action's status"),
        submit=_("Record the status"),
        intro=_("Action: %(action)s") % {"action": action.what},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def review_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    plan = selectors.plan_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "plan.review", plan.case)
    agreed = next((v for v in selectors.versions_of(plan) if v.is_agreed), None)
    if agreed is None:
        raise Http404
    responses = selectors.responses_for_review(plan, viewer=viewer)
    form = forms.ReviewForm(request.POST or None, goals=list(agreed.goals.all()), responses=responses)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_review(
                plan=plan,
                by=viewer,
                held_on=form.cleaned_data["held_on"],
                levels=form.levels(),
                decision=form.cleaned_data["decision"],
                notes=form.cleaned_data["notes"],
                responses=form.chosen_responses(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Review recorded: GAS T-score %(score).1f.") % {"score": review.t_score}
            )
            return redirect("plans:review", public_id=review.public_id)
    elif request.method == "GET":
        audit.record(viewer, "plan.view", plan, client=plan.client, details={"page": "review_new"})
    return render_form(
        request,
        "plans/plan/review_form.html",
        {"form": form, "plan": plan, "client": plan.client, "case": plan.case, "version": agreed},
    )


@require_GET
@staff_required
def review_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    review = selectors.review_for(viewer=viewer, public_id=public_id)
    measures = [
        m.response for m in review.measures.all() if permissions.can(viewer, "response.view", m.response)
    ]
    audit.record(viewer, "plan.review.view", review, client=review.plan.client)
    return render(
        request,
        "plans/plan/review.html",
        {
            "review": review,
            "plan": review.plan,
            "client": review.plan.client,
            "case": review.plan.case,
            "measures": measures,
        },
    )
