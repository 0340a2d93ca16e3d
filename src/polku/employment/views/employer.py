"""Employers, their workplaces and contact people, and the employer contact log."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
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
from polku.accounts.models import Organisation
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients.forms import apply_service_errors
from polku.employment import forms, selectors, services
from polku.employment.views.periods import form_page


@require_GET
@staff_required
def employers(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "employer.view")
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.employers(viewer=viewer, query=query), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "employment/employers.html",
        {"page_obj": page, "query": query, "can_manage": permissions.can(viewer, "employer.manage")},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def employer_new(request: StaffRequest) -> HttpResponse:
    permissions.require(request.membership, "employer.manage")
    form = forms.EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_add(by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("employment:employer", public_id=employer.public_id)
    return form_page(request, form, title=_("Add an employer"), back=reverse("employment:employers"))


@require_GET
@staff_required
def employer_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    employer = selectors.employer_for(viewer=viewer, public_id=public_id)
    page = Paginator(selectors.contact_log(employer, viewer=viewer), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.contact_rows(list(page.object_list), viewer=viewer)
    shown = [client for row in rows for client in row.seekers]
    audit.record(viewer, "employer.view", employer, listed=shown or None)
    workplaces = selectors.workplaces_of(employer)
    return render(
        request,
        "employment/employer.html",
        {
            "employer": employer,
            "page_obj": page,
            "rows": rows,
            "people": selectors.contact_people_of(employer, viewer=viewer),
            "workplaces": workplaces,
            # Units someone works in (a work trial host's) are not the coaches' to change.
            "removable_workplaces": {w.public_id for w in workplaces if not getattr(w, "staffed", True)},
            "openings": list(selectors.openings(viewer=viewer, status="", employer=employer)[:50]),
            "can_manage": permissions.can(viewer, "employer.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_new(request: StaffRequest, public_id: str) -> HttpResponse:
    employer = selectors.employer_for(viewer=request.membership, public_id=public_id)
    permissions.require(request.membership, "employer.manage")
    return _save_page(
        request,
        forms.WorkplaceForm(request.POST or None),
        partial(services.workplace_add, employer=employer, by=request.membership),
        done=_("Workplace saved."),
        title=_("Add a workplace"),
        back=_employer_page(employer),
        lead=employer.name,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_new(request: StaffRequest, public_id: str) -> HttpResponse:
    employer = selectors.employer_for(viewer=request.membership, public_id=public_id)
    permissions.require(request.membership, "employer.manage")
    return _save_page(
        request,
        forms.ContactPersonForm(request.POST or None),
        partial(services.contact_person_add, employer=employer, by=request.membership),
        done=_("Contact person saved."),
        title=_("Add a contact person"),
        back=_employer_page(employer),
        lead=employer.name,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def employer_contact_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    employer = selectors.employer_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "employer.manage")
    people = selectors.contact_people_queryset(employer, viewer=viewer)
    return _save_page(
        request,
        forms.EmployerContactForm(
            request.POST or None, people=people, periods=selectors.periods_to_link(viewer=viewer)
        ),
        partial(services.employer_contact_record, employer=employer, by=viewer),
        done=_("Employer contact recorded."),
        title=_("Log an employer contact"),
        back=_employer_page(employer),
        lead=employer.name,
    )


def _employer_page(employer: Organisation) -> str:
    return reverse("employment:employer", args=[employer.public_id])


def _save_page(
    request: StaffRequest,
    form: Any,
    save: Callable[..., object],
    *,
    done: str,
    title: str,
    back: str,
    lead: str,
) -> HttpResponse:
    """A form page of the employer's: a valid POST goes through `save(**cleaned_data)` to `back`."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(back)
    return form_page(request, form, title=title, back=back, lead=lead)


def _remove_page(
    request: StaffRequest, remove: Callable[[], object], *, done: str, title: str, back: str, lead: str
) -> HttpResponse:
    """A removal: GET asks first, POST calls `remove()` and goes back to the employer's page."""
    if request.method == "POST":
        remove()
        messages.success(request, done)
        return redirect(back)
    return form_page(request, forms.ConfirmForm(), title=title, back=back, lead=lead, submit=_("Remove"))


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    person = selectors.contact_person_for(viewer=request.membership, public_id=public_id)
    initial = {name: getattr(person, name) for name in services.CONTACT_PERSON_FIELDS}
    return _save_page(
        request,
        forms.ContactPersonForm(request.POST or None, initial=initial),
        partial(services.contact_person_change, person=person, by=request.membership),
        done=_("Contact person saved."),
        title=_("Change the contact person"),
        back=_employer_page(person.employer),
        lead=person.employer.name,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    person = selectors.contact_person_for(viewer=request.membership, public_id=public_id)
    lead = _("Remove %(name)s (%(employer)s)? Past contacts keep the name as text.") % {
        "name": person.name,
        "employer": person.employer.name,
    }
    return _remove_page(
        request,
        partial(services.contact_person_remove, person=person, by=request.membership),
        done=_("Contact person removed."),
        title=_("Remove the contact person"),
        back=_employer_page(person.employer),
        lead=lead,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    workplace = selectors.workplace_for(viewer=request.membership, public_id=public_id)
    return _save_page(
        request,
        forms.WorkplaceForm(request.POST or None, initial={"name": workplace.name}),
        partial(services.workplace_change, workplace=workplace, by=request.membership),
        done=_("Workplace saved."),
        title=_("Change the workplace"),
        back=_employer_page(workplace.organisation),
        lead=workplace.organisation.name,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    workplace = selectors.workplace_for(viewer=request.membership, public_id=public_id)
    lead = _("Remove the workplace %(name)s (%(employer)s)? Openings that name it keep it.") % {
        "name": workplace.name,
        "employer": workplace.organisation.name,
    }
    return _remove_page(
        request,
        partial(services.workplace_remove, workplace=workplace, by=request.membership),
        done=_("Workplace removed."),
        title=_("Remove the workplace"),
        back=_employer_page(workplace.organisation),
        lead=lead,
    )
