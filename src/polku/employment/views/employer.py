"""Employers, their workplaces and contact people, and the employer contact log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
        {
            "page_obj": page,
            "query": query,
            # The next page keeps the search.
            "query_string": urlencode({"q": query}) if query else "",
            "can_manage": permissions.can(viewer, "employer.manage"),
        },
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


# The employer page lists this many openings, newest first, and links to the rest.
OPENINGS_LISTED = 50


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
    # One more than is listed tells whether to link to the full, paginated list.
    openings = list(selectors.openings(viewer=viewer, status="", employer=employer)[: OPENINGS_LISTED + 1])
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
            "openings": openings[:OPENINGS_LISTED],
            "more_openings": len(openings) > OPENINGS_LISTED,
            "can_manage": permissions.can(viewer, "employer.manage"),
        },
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


# --- An employer's workplaces and contact people: the same three pages for each ---------------------


@dataclass(frozen=True)
class EmployerPart:
    """What the pages that add, change and remove one kind of an employer's parts differ in. The change
    form starts with the part's values of the form's fields; the services take the part by the keyword
    `keyword` (`workplace=`, `person=`)."""

    form: type[forms.WorkplaceForm | forms.ContactPersonForm]
    find: Callable[..., Any]  # selectors.<part>_for(viewer=, public_id=): 404 for others' parts
    employer_of: Callable[[Any], Organisation]
    add: Callable[..., object]
    change: Callable[..., object]
    remove: Callable[..., object]
    keyword: str
    saved: str | Promise
    removed: str | Promise
    add_title: str | Promise
    change_title: str | Promise
    remove_title: str | Promise
    remove_question: str | Promise  # with %(name)s and %(employer)s


WORKPLACE = EmployerPart(
    form=forms.WorkplaceForm,
    find=selectors.workplace_for,
    employer_of=lambda workplace: workplace.organisation,
    add=services.workplace_add,
    change=services.workplace_change,
    remove=services.workplace_remove,
    keyword="workplace",
    saved=gettext_lazy("Workplace saved."),
    removed=gettext_lazy("Workplace removed."),
    add_title=gettext_lazy("Add a workplace"),
    change_title=gettext_lazy("Change the workplace"),
    remove_title=gettext_lazy("Remove the workplace"),
    remove_question=gettext_lazy(
        "Remove the workplace %(name)s (%(employer)s)? Openings that name it keep it."
    ),
)

CONTACT_PERSON = EmployerPart(
    form=forms.ContactPersonForm,
    find=selectors.contact_person_for,
    employer_of=lambda person: person.employer,
    add=services.contact_person_add,
    change=services.contact_person_change,
    remove=services.contact_person_remove,
    keyword="person",
    saved=gettext_lazy("Contact person saved."),
    removed=gettext_lazy("Contact person removed."),
    add_title=gettext_lazy("Add a contact person"),
    change_title=gettext_lazy("Change the contact person"),
    remove_title=gettext_lazy("Remove the contact person"),
    remove_question=gettext_lazy("Remove %(name)s (%(employer)s)? Past contacts keep the name as text."),
)


def _part_new(request: StaffRequest, public_id: str, part: EmployerPart) -> HttpResponse:
    employer = selectors.employer_for(viewer=request.membership, public_id=public_id)
    permissions.require(request.membership, "employer.manage")
    return _save_page(
        request,
        part.form(request.POST or None),
        partial(part.add, employer=employer, by=request.membership),
        done=str(part.saved),
        title=str(part.add_title),
        back=_employer_page(employer),
        lead=employer.name,
    )


def _part_edit(request: StaffRequest, public_id: str, part: EmployerPart) -> HttpResponse:
    found = part.find(viewer=request.membership, public_id=public_id)
    employer = part.employer_of(found)
    return _save_page(
        request,
        part.form(
            request.POST or None, initial={name: getattr(found, name) for name in part.form.base_fields}
        ),
        partial(part.change, **{part.keyword: found}, by=request.membership),
        done=str(part.saved),
        title=str(part.change_title),
        back=_employer_page(employer),
        lead=employer.name,
    )


def _part_remove(request: StaffRequest, public_id: str, part: EmployerPart) -> HttpResponse:
    found = part.find(viewer=request.membership, public_id=public_id)
    employer = part.employer_of(found)
    return _remove_page(
        request,
        partial(part.remove, **{part.keyword: found}, by=request.membership),
        done=str(part.removed),
        title=str(part.remove_title),
        back=_employer_page(employer),
        lead=str(part.remove_question) % {"name": found.name, "employer": employer.name},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_new(request: StaffRequest, public_id: str) -> HttpResponse:
    return _part_new(request, public_id, WORKPLACE)


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    return _part_edit(request, public_id, WORKPLACE)


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    return _part_remove(request, public_id, WORKPLACE)


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_new(request: StaffRequest, public_id: str) -> HttpResponse:
    return _part_new(request, public_id, CONTACT_PERSON)


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    return _part_edit(request, public_id, CONTACT_PERSON)


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_remove(request: StaffRequest, public_id: str) -> HttpResponse:
    return _part_remove(request, public_id, CONTACT_PERSON)
