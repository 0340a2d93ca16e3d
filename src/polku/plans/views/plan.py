"""Thin views of the service plan: the plan of a case, starting it, and the draft's situation, goals
and actions. A version's pages, agreeing and revising are versions.py's; following up an agreed plan
(action progress, reviews) reviews.py's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import edits
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.network import selectors as referral_selectors
from polku.plans import forms, selectors, services
from polku.plans.models import PlanVersion, ServicePlan

__all__ = [
    "action_edit",
    "action_new",
    "action_remove",
    "case_plan",
    "draft_settings",
    "goal_edit",
    "goal_new",
    "goal_remove",
    "start_plan",
]


def plan_url(plan: ServicePlan) -> str:
    """The case's plan page, where every plan form returns."""
    return reverse("plans:case_plan", args=[plan.case.public_id])


def require_edit(viewer: Any, plan: ServicePlan) -> None:
    """Only those who may edit the plan (the case's personal worker) pass."""
    # Readers of the plan (team members) get 403; others never reach here (the selector's 404).
    permissions.require(viewer, "plan.edit", plan.case)


def form_page(
    request: StaffRequest,
    *,
    form: Any,
    plan: ServicePlan,
    title: str,
    submit: str,
    intro: str = "",
    danger: bool = False,
    version: PlanVersion | None = None,
) -> HttpResponse:
    """Every plan form's page (plans/plan/form.html), with the plan around it."""
    if request.method == "GET":
        # The form shows the client's plan: a read of client data, audited as the plan page is.
        page = request.resolver_match.url_name if request.resolver_match else ""
        audit.record(request.membership, "plan.view", plan, client=plan.client, details={"page": page})
    return render_form(
        request,
        "plans/plan/form.html",
        {
            "form": form,
            "plan": plan,
            "client": plan.client,
            "case": plan.case,
            "title": title,
            "submit": submit,
            "intro": intro,
            "danger": danger,
            "back": plan_url(plan),
            "version": version,
        },
    )


@require_GET
@staff_required
@permissions.decided_once()
def case_plan(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case, plan = selectors.case_with_plan(viewer=viewer, public_id=public_id)
    can_edit = permissions.can(viewer, "plan.edit", case)
    versions = selectors.versions_of(plan) if plan else []
    draft = next((v for v in versions if not v.is_agreed), None)
    agreed = next((v for v in versions if v.is_agreed), None)
    if plan is not None:
        _attach_referrals(versions, referral_selectors.referrals_from_plan(plan, viewer=viewer))
        selectors.attach_progress(versions, plan)
    audit.record(viewer, "plan.view", plan or case, client=case.client)
    return render(
        request,
        "plans/plan/case_plan.html",
        {
            "case": case,
            "client": case.client,
            "plan": plan,
            "versions": versions,
            "draft": draft if can_edit else None,
            "agreed": agreed,
            "reviews": selectors.reviews_of(plan) if plan else [],
            "can_edit": can_edit,
            "can_review": bool(plan and agreed and permissions.can(viewer, "plan.review", case)),
            "can_refer": bool(agreed and permissions.can(viewer, "referral.create", case)),
        },
    )


def _attach_referrals(versions: list[PlanVersion], by_key: dict[Any, list[Any]]) -> None:
    """Each action's referrals (made from it in any version, matched by its key) on the action, for the
    page to show their status."""
    for version in versions:
        for goal in version.goals.all():
            for action in goal.actions.all():
                action.plan_referrals = by_key.get(action.key, [])  # type: ignore[attr-defined]


@require_POST
@staff_required
def start_plan(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case, plan = selectors.case_with_plan(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "plan.edit", case)
    if plan is None:
        try:
            services.start_plan(case=case, by=viewer)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Plan started. Write the goals with the client."))
    return redirect("plans:case_plan", public_id=case.public_id)


def draft_for(request: StaffRequest, public_id: str) -> PlanVersion:
    """The draft version for the viewer to edit: 404 for an agreed one, 403 without `plan.edit`."""
    viewer = request.membership
    version = selectors.version_for(viewer=viewer, public_id=public_id)
    require_edit(viewer, version.plan)
    if version.is_agreed:
        raise Http404
    return version


@require_http_methods(["GET", "POST"])
@staff_required
def draft_settings(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    version = draft_for(request, public_id)
    initial = {"summary": version.summary, "review_interval_weeks": version.review_interval_weeks}
    form = edits.carry_version(forms.PlanSettingsForm(request.POST or None, initial=initial), version)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(version=version, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Plan details saved."))
            return redirect(plan_url(version.plan))
    return form_page(
        request,
        form=form,
        plan=version.plan,
        title=_("Situation and review rhythm"),
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def goal_new(request: StaffRequest, public_id: str) -> HttpResponse:
    version = draft_for(request, public_id)
    return _goal_form(request, version=version, goal=None)


@require_http_methods(["GET", "POST"])
@staff_required
def goal_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    goal = selectors.goal_for(viewer=request.membership, public_id=public_id)
    version = draft_for(request, str(goal.version.public_id))
    return _goal_form(request, version=version, goal=goal)


def _goal_form(request: StaffRequest, *, version: PlanVersion, goal: Any) -> HttpResponse:
    viewer = request.membership
    form = edits.carry_version(forms.GoalForm.for_goal(goal, request.POST or None), goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_goal(version=version, goal=goal, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Goal saved."))
            return redirect(plan_url(version.plan))
    return form_page(
        request,
        form=form,
        plan=version.plan,
        title=_("Change the goal") if goal else _("Add a goal"),
        submit=_("Save the goal"),
        intro=_(
            "Goal Attainment Scaling: describe five levels of what the client may reach by the next "
            "review. 0 is the expected outcome; −2 and −1 less than expected, +1 and +2 more."
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def goal_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    goal = selectors.goal_for(viewer=viewer, public_id=public_id)
    version = draft_for(request, str(goal.version.public_id))
    form = forms.PlanConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.remove_goal(goal=goal, by=viewer)
        messages.success(request, _("Goal removed from the draft."))
        return redirect(plan_url(version.plan))
    return form_page(
        request,
        form=form,
        plan=version.plan,
        title=_("Remove the goal"),
        submit=_("Remove the goal"),
        intro=_("Remove “%(goal)s” and its actions from the draft? Agreed versions keep it.")
        % {"goal": goal.text},
        danger=True,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def action_new(request: StaffRequest, public_id: str) -> HttpResponse:
    goal = selectors.goal_for(viewer=request.membership, public_id=public_id)
    version = draft_for(request, str(goal.version.public_id))
    return _action_form(request, version=version, goal=goal, action=None)


@require_http_methods(["GET", "POST"])
@staff_required
def action_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    action = selectors.action_for(viewer=request.membership, public_id=public_id)
    version = draft_for(request, str(action.goal.version.public_id))
    return _action_form(request, version=version, goal=action.goal, action=action)


def _action_form(request: StaffRequest, *, version: PlanVersion, goal: Any, action: Any) -> HttpResponse:
    viewer = request.membership
    initial = {f: getattr(action, f) for f in services.ACTION_FIELDS} if action else None
    catalogue = selectors.catalogue_for_actions(action.service if action else None)
    form = edits.carry_version(
        forms.ActionForm(request.POST or None, initial=initial, services=catalogue), action
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(goal=goal, action=action, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect(plan_url(version.plan))
    return form_page(
        request,
        form=form,
        plan=version.plan,
        title=_("Change the action") if action else _("Add an action"),
        submit=_("Save the action"),
        intro=_("Goal: %(goal)s") % {"goal": goal.text},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def action_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    action = selectors.action_for(viewer=viewer, public_id=public_id)
    version = draft_for(request, str(action.goal.version.public_id))
    form = forms.PlanConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.remove_action(action=action, by=viewer)
        messages.success(request, _("Action removed from the draft."))
        return redirect(plan_url(version.plan))
    return form_page(
        request,
        form=form,
        plan=version.plan,
        title=_("Remove the action"),
        submit=_("Remove the action"),
        intro=_("Remove “%(action)s” from the draft?") % {"action": action.what},
        danger=True,
    )
