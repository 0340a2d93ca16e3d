"""The page that makes a recommendation of a concluded assessment an action of the case's service plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.assessments.links import selectors as selectors
from polku.assessments.links import services as services
from polku.assessments.links.forms import RecommendationActionForm
from polku.audit import services as audit
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.plans.selectors import plan as plan_selectors

__all__ = ["recommendation_to_plan"]


@require_http_methods(["GET", "POST"])
@staff_required
def recommendation_to_plan(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer: Any = request.membership
    recommendation = selectors.recommendation_for(viewer=viewer, public_id=public_id)
    assessment = recommendation.assessment
    case = assessment.case
    # Team members who read the assessment but do not manage the case get 403.
    plan = selectors.plan_to_edit(viewer=viewer, case=case)
    context: dict[str, Any] = {
        "recommendation": recommendation,
        "assessment": assessment,
        "client": assessment.client,
        "case": case,
        "plan": plan,
    }
    if plan is None:
        audit.record(
            viewer, "assessment.view", assessment, client=assessment.client, details={"page": "to_plan"}
        )
        return render(request, "assessments/links/recommendation.html", context)
    if services.action_in_plan(recommendation, plan) is not None:
        messages.info(request, _("This recommendation is already in the service plan."))
        return redirect("assessments:assessment", public_id=assessment.public_id)
    version, goals = selectors.plan_goals(plan)
    form = RecommendationActionForm(
        request.POST or None,
        goals=goals,
        services=plan_selectors.catalogue_for_actions(),
        initial={"what": recommendation.text, "responsible": "worker"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goal_key = data.pop("goal")
        try:
            action = services.add_recommendation_to_plan(
                recommendation=recommendation, goal_key=goal_key, by=viewer, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            started = version is not None and version.is_agreed
            messages.success(
                request,
                _("The recommendation is now an action of version %(number)d of the plan (a draft).")
                % {"number": action.goal.version.number}
                if started
                else _("The recommendation is now an action of the plan's draft."),
            )
            return redirect("plans:case_plan", public_id=case.public_id)
    elif request.method == "GET":
        audit.record(viewer, "plan.view", plan, client=plan.client, details={"page": "recommendation"})
    return render_form(
        request,
        "assessments/links/recommendation.html",
        context | {"form": form, "version": version, "goals": goals},
    )
