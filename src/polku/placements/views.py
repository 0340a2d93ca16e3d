"""Placement pages for staff (the case team, and work trial hosts for attendance)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import access, edits
from polku.clients import selectors as client_selectors
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.placements import forms, selectors, services
from polku.placements.models import Placement
from polku.placements.rules import hosts_placement


@require_http_methods(["GET", "POST"])
@staff_required
def placement_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "placement.create", case, hide=True)
    plan_goals = selectors.plan_goals_for(case, viewer=viewer)
    _audit_plan_read(request, plan_goals, case.client)
    form = forms.PlacementForm(
        request.POST or None, initial={"kind": "work_trial"}, plan_goals=plan_goals.goals
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.create_placement(case=case, by=viewer, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Placement saved."))
            return redirect("placements:detail", public_id=placement.public_id)
    elif request.method == "GET":  # the page names the client
        audit.record(
            viewer, "client.view", case.client, client=case.client, details={"page": "placement_new"}
        )
    return render_form(
        request,
        "placements/placement_form.html",
        {"form": form, "client": case.client, "case": case, "title": _("New placement")},
    )


def _audit_plan_read(request: StaffRequest, plan_goals: selectors.PlanGoals, client: Any) -> None:
    """The placement form lists the plan's goals: a read of the plan, audited on the page's first load."""
    if plan_goals.plan is not None and request.method == "GET":
        audit.record(
            request.membership, "plan.view", plan_goals.plan, client=client, details={"page": "placement"}
        )


@require_GET
@staff_required
@permissions.decided_once()
def placement_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    placement = selectors.placement_for(viewer=viewer, public_id=public_id)
    audit.record(viewer, "placement.view", placement, client=placement.client)
    goals = selectors.goals_of(placement)
    return render(
        request,
        "placements/detail.html",
        {
            "placement": placement,
            "client": placement.client,
            "goals": goals,
            # Nothing of the plan is shown here: for those who may read it, a link to it.
            "can_view_plan": any(goal.plan_goal_id for goal in goals)
            and selectors.readable_plan(placement.case, viewer=viewer) is not None,
            "totals": selectors.attendance_totals(placement),
            "attendance_changes": selectors.attendance_changes_of(placement),
            "feedback": selectors.feedback_of(placement),
            "requests": selectors.feedback_requests_of(placement),
            "can_manage": permissions.can(viewer, "placement.manage", placement),
            "can_attend": permissions.can(viewer, "placement.record_attendance", placement),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def placement_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    placement = selectors.placement_for(viewer=viewer, public_id=public_id, action="placement.manage")
    initial = {field: getattr(placement, field) for field in services.PLACEMENT_FIELDS}
    goals = selectors.goals_of(placement)
    plan_goals = selectors.plan_goals_for(placement.case, viewer=viewer, linked=goals)
    chosen = selectors.chosen_plan_goals(plan_goals, goals)
    for n, goal in enumerate(goals, start=1):
        initial[f"goal_{n}"] = goal.text
        initial[f"goal_{n}_plan_goal"] = chosen.get(goal.pk, "")
    _audit_plan_read(request, plan_goals, placement.client)
    form = forms.PlacementForm(
        request.POST or None, initial=initial, goal_rows=len(goals) + 2, plan_goals=plan_goals.goals
    )
    edits.carry_version(form, placement)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_placement(placement=placement, by=viewer, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Placement saved."))
            return redirect("placements:detail", public_id=placement.public_id)
    elif request.method == "GET":
        audit.record(viewer, "placement.view", placement, client=placement.client, details={"page": "edit"})
    return render_form(
        request,
        "placements/placement_form.html",
        {"form": form, "client": placement.client, "placement": placement, "title": _("Edit the placement")},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def placement_interrupt(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    placement = selectors.placement_for(viewer=viewer, public_id=public_id, action="placement.manage")
    if placement.interrupted_on is not None:
        messages.info(request, _("The placement has already been interrupted."))
        return redirect("placements:detail", public_id=placement.public_id)
    today = timezone.localdate()
    form = forms.InterruptForm(
        request.POST or None, initial={"on": min(max(today, placement.starts_on), placement.ends_on)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interrupt_placement(placement=placement, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The placement is interrupted."))
            return redirect("placements:detail", public_id=placement.public_id)
    elif request.method == "GET":
        audit.record(
            viewer, "placement.view", placement, client=placement.client, details={"page": "interrupt"}
        )
    return render_form(
        request,
        "placements/simple_form.html",
        {
            "form": form,
            "placement": placement,
            "title": _("Interrupt the placement"),
            "intro": _("Interrupting ends the placement early. It cannot be undone."),
            "submit": _("Interrupt the placement"),
            "danger": True,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def send_feedback(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    placement = selectors.placement_for(viewer=viewer, public_id=public_id, action="placement.manage")
    days = services.feedback_link_lifetime().days
    given = {feedback.stage for feedback in selectors.feedback_of(placement)}
    stage = "final" if "mid_term" in given or timezone.localdate() >= placement.ends_on else "mid_term"
    form = forms.SendFeedbackForm(
        request.POST or None, link_days=days, initial={"email": placement.supervisor_email, "stage": stage}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.send_feedback_request(
                placement=placement,
                by=viewer,
                stage=form.cleaned_data["stage"],
                email=form.cleaned_data["email"],
                build_url=lambda token: request.build_absolute_uri(
                    reverse("placements:feedback_link", args=[token])
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The feedback link was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("placements:detail", public_id=placement.public_id)
    elif request.method == "GET":
        audit.record(
            viewer, "placement.view", placement, client=placement.client, details={"page": "send_feedback"}
        )
    return render_form(
        request,
        "placements/simple_form.html",
        {
            "form": form,
            "placement": placement,
            "title": _("Ask the host for feedback"),
            "intro": _(
                "The supervisor gets an email with a link to a feedback form. The form shows the client's "
                "name and the placement's kind, dates and tasks, nothing else."
            ),
            "submit": _("Send the link"),
        },
    )


def _week_start(value: str | None, placement: Placement) -> date:
    """The Monday of the week asked for; by default the current week within the placement."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    if day is None:
        day = min(max(timezone.localdate(), placement.starts_on), placement.last_day)
    day = min(max(day, placement.starts_on), placement.last_day)
    return selectors.week_of(day)


@require_http_methods(["GET", "POST"])
@staff_required
def attendance(request: StaffRequest, public_id: str) -> HttpResponse:
    """A week's attendance on one form; the case team and the host unit's work trial hosts use it."""
    viewer = request.membership
    placement = selectors.placement_for(
        viewer=viewer, public_id=public_id, action="placement.record_attendance"
    )
    monday = _week_start(request.POST.get("week") or request.GET.get("week"), placement)
    form = forms.AttendanceWeekForm(request.POST or None, days=selectors.attendance_week(placement, monday))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_attendance(placement=placement, by=viewer, days=form.changes())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Attendance saved (%(count)s days changed).") % {"count": changed})
            return redirect(
                f"{reverse('placements:attendance', args=[placement.public_id])}?week={monday.isoformat()}"
            )
    elif request.method == "GET":
        audit.record(viewer, "placement.attendance.view", placement, client=placement.client)
    previous, following = monday - timedelta(days=7), monday + timedelta(days=7)
    return render_form(
        request,
        "placements/attendance.html",
        {
            "form": form,
            "placement": placement,
            "client": placement.client,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": previous if previous + timedelta(days=6) >= placement.starts_on else None,
            "following": following if following <= placement.last_day else None,
            "totals": selectors.attendance_totals(placement),
            "is_host": hosts_placement(viewer, placement),
        },
    )


@require_GET
@staff_required
def hosted(request: StaffRequest) -> HttpResponse:
    """A work trial host's list: the placements their unit hosts, and nothing else of the clients."""
    viewer = request.membership
    page = Paginator(selectors.hosted_by(viewer=viewer), 25).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit.record(
        viewer,
        "placement.hosted_list",
        listed=[row.client for row in rows],
        details={"page": page.number},
    )
    return render(request, "placements/hosted.html", {"page": page, "rows": rows})


@require_GET
@staff_required
def client_placements(request: StaffRequest, public_id: str) -> HttpResponse:
    """All of the client's placements the viewer may read, newest first, a page at a time (the overview
    panel shows the newest)."""
    viewer = request.membership
    client = client_selectors.client_for(viewer=viewer, public_id=public_id)
    if not access.works_with_clients(viewer):  # as the overview panel: staff working with clients
        permissions.refuse(viewer, "placement.list", client, hide=True)
    page = Paginator(selectors.listed(client, viewer=viewer), 20).get_page(request.GET.get("page"))
    audit.record(
        viewer, "client.view", client, client=client, details={"page": "placements", "n": page.number}
    )
    return render(
        request,
        "placements/client_placements.html",
        {"client": client, "page": page, "placements": list(page.object_list), "query_string": ""},
    )
