"""Entering a client into IPS, the coach's caseload, the unit's coaches, a period and its phase."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.models import Role
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import selectors as client_selectors
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.employment import figures, forms, selectors, services
from polku.employment.models import IpsPeriod, Phase


def form_page(
    request: StaffRequest, form: Any, *, title: str, back: str, lead: str = "", submit: str = ""
) -> HttpResponse:
    return render_form(
        request,
        "employment/form.html",
        {"form": form, "title": title, "back": back, "lead": lead, "submit": submit or _("Save")},
    )


# --- Entry and the caseload ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def ips_enter(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "ips.enter", case, hide=True)
    coaches = selectors.coaches_of(viewer.unit.organisation_id)
    form = forms.EnterForm(request.POST or None, coaches=coaches, initial={"coach": viewer.pk})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.ips_enter(case=case, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The client is now in supported employment (IPS)."))
            return redirect("employment:period", public_id=period.public_id)
    elif request.method == "GET":
        audit.record(viewer, "client.view", case.client, client=case.client, details={"page": "ips_enter"})
    return form_page(
        request,
        form,
        title=_("Supported employment (IPS)"),
        back=reverse("clients:detail", args=[case.client.public_id]),
        lead=case.client.full_name,
        submit=_("Start supported employment"),
    )


@require_GET
@staff_required
def caseload(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "ips.caseload")
    phase = request.GET.get("phase", "")
    page = Paginator(selectors.caseload(viewer=viewer, phase=phase), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    audit.record(viewer, "ips.caseload", listed=[period.client for period in rows])
    return render(
        request,
        "employment/caseload.html",
        {
            "viewer": viewer,
            "page_obj": page,
            "query_string": f"phase={phase}" if phase in Phase.values else "",
            "rows": rows,
            "phase": phase,
            "phases": Phase.choices,
            "load": selectors.load_of(viewer),
            "weeks": selectors.contacts_per_week(viewer),
            "expected_contacts": selectors.EMPLOYER_CONTACTS_PER_WEEK,
        },
    )


@require_GET
@staff_required
def unit(request: StaffRequest) -> HttpResponse:
    """The unit's IPS: each coach's caseload against the limit, contacts a week, and the outcomes."""
    viewer = request.membership
    permissions.require(viewer, "ips.unit")
    return render(
        request,
        "employment/unit.html",
        {
            "can_set_fte": viewer.has_role(Role.MANAGER),
            "coaches": selectors.unit_coaches(viewer=viewer),
            "outcomes": figures.outcomes(organisation_id=viewer.unit.organisation_id),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def coach_fte(request: StaffRequest, public_id: str) -> HttpResponse:
    """A coach's share of full time in IPS: set by the coach or a manager of the organisation."""
    viewer = request.membership
    coach = selectors.coach_for(viewer=viewer, public_id=public_id)
    form = forms.FteForm(request.POST or None, initial={"fte": selectors.fte_of(coach)})
    back = reverse("employment:caseload" if coach.pk == viewer.pk else "employment:unit")
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_set_fte(coach=coach, fte=form.cleaned_data["fte"], by=viewer)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Share of full time saved."))
            return redirect(back)
    return form_page(request, form, title=_("Share of full time in IPS"), back=back, lead=str(coach.user))


# --- A client's period ----------------------------------------------------------------------------------


@require_GET
@staff_required
@permissions.decided_once()
def period_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    period = selectors.period_for(viewer=viewer, public_id=public_id)
    audit.record(viewer, "ips.view", period, client=period.client)
    profile = selectors.profile_of(period)
    return render(
        request,
        "employment/period.html",
        {
            "period": period,
            "client": period.client,
            "profile": profile,
            "profile_changes": selectors.profile_changes(profile),
            "counselling": selectors.counselling_of(period),
            "jobs": selectors.jobs_of(period),
            "follow_alongs": selectors.follow_alongs_of(period),
            "discussions": selectors.discussions_of(period),
            "contacts": selectors.contacts_on_behalf_of(period),
            "phase_changes": list(period.phase_changes.select_related("changed_by__user")),
            "can_manage": permissions.can(viewer, "ips.manage", period),
        },
    )


def period_to_manage(request: StaffRequest, public_id: str, *, page: str = "") -> IpsPeriod:
    """The period a form page changes. Shown by GET, a `page` that names the client is a read of it."""
    period = selectors.period_for(viewer=request.membership, public_id=public_id, action="ips.manage")
    if page and request.method == "GET":
        audit.record(request.membership, "ips.view", period, client=period.client, details={"page": page})
    return period


def period_url(period: IpsPeriod) -> str:
    return reverse("employment:period", args=[period.public_id])


@require_http_methods(["GET", "POST"])
@staff_required
def period_phase(request: StaffRequest, public_id: str) -> HttpResponse:
    period = period_to_manage(request, public_id, page="phase")
    form = forms.PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ips_change_phase(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Phase changed."))
            return redirect(period_url(period))
    return form_page(
        request, form, title=_("Change the IPS phase"), back=period_url(period), lead=period.client.full_name
    )
