"""Job openings and matching a client's profile to them."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.employment import forms, matching, selectors, services
from polku.employment.views.periods import form_page, period_to_manage


@require_http_methods(["GET", "POST"])
@staff_required
def matches(request: StaffRequest, public_id: str) -> HttpResponse:
    """Openings ranked for the job seeker; a POST records that one was discussed and the decision."""
    period = period_to_manage(request, public_id)
    profile = selectors.profile_of(period)
    form = forms.DiscussionForm(request.POST or None)
    if request.method == "POST":
        opening = selectors.opening_for(viewer=request.membership, public_id=request.POST.get("opening", ""))
        if form.is_valid():
            try:
                services.discussion_record(
                    period=period, opening=opening, by=request.membership, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Discussion recorded."))
                return redirect(reverse("employment:matches", args=[period.public_id]))
    # Shown again after a refused POST too: every page that lists the openings for the client is a read.
    audit.record(request.membership, "ips.matches", period, client=period.client)
    found = matching.openings_for(profile, viewer=request.membership) if profile is not None else []
    return render_form(
        request,
        "employment/matches.html",
        {"period": period, "client": period.client, "profile": profile, "matches": found, "form": form},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def opening_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    opening = selectors.opening_for(viewer=viewer, public_id=public_id, action="employer.manage")
    initial = {name: getattr(opening, name) for name in services.OPENING_FIELDS if name != "workplace"}
    initial["status"] = opening.status
    form = forms.OpeningForm(request.POST or None, initial=initial)
    back = reverse("employment:opening", args=[opening.public_id])
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        status = values.pop("status")
        try:
            services.opening_save(by=viewer, opening=opening, status=status, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job opening saved."))
            return redirect(back)
    return form_page(request, form, title=_("Change the job opening"), back=back, lead=opening.employer.name)


@require_http_methods(["GET", "POST"])
@staff_required
def opening_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    employer = selectors.employer_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "employer.manage")
    form = forms.OpeningForm(request.POST or None)
    back = reverse("employment:employer", args=[employer.public_id])
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        status = values.pop("status")
        try:
            opening = services.opening_save(by=viewer, employer=employer, status=status, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job opening saved."))
            return redirect("employment:opening", public_id=opening.public_id)
    return form_page(request, form, title=_("Add a job opening"), back=back, lead=employer.name)


@require_GET
@staff_required
def openings(request: StaffRequest) -> HttpResponse:
    """The organisation's openings, open or all, optionally of one employer (the employer page links here
    when it has more than it lists)."""
    viewer = request.membership
    permissions.require(viewer, "employer.view")
    status = request.GET.get("status", "open")
    employer = None
    if request.GET.get("employer"):
        try:
            employer_id = uuid.UUID(request.GET["employer"])
        except ValueError:
            raise Http404 from None
        employer = selectors.employer_for(viewer=viewer, public_id=employer_id)
    page = Paginator(
        selectors.openings(viewer=viewer, status=status if status != "all" else "", employer=employer),
        selectors.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "employment/openings.html",
        {
            "page_obj": page,
            "status": status,
            "employer": employer,
            # The next page keeps the status and the employer.
            "query_string": urlencode(
                {"status": status, **({"employer": employer.public_id} if employer else {})}
            ),
        },
    )


@require_GET
@staff_required
def opening_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    opening = selectors.opening_for(viewer=viewer, public_id=public_id)
    found = matching.seekers_for(opening, viewer=viewer)
    audit.record(viewer, "ips.opening_matches", opening, listed=[m.item.client for m in found] or None)
    return render(
        request,
        "employment/opening.html",
        {
            "opening": opening,
            "matches": found,
            "can_manage": permissions.can(viewer, "employer.manage", opening),
        },
    )
