"""The unit's registry extracts (upload, progress, problems) and the early-identification worklist."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.core.spreadsheets import safe_row, safe_rows
from polku.intake import forms, reading_formats, selectors, services
from polku.intake import worklist as worklist_rows

PAGE_SIZE = 25
SHOWN_PROBLEMS = 100


@require_http_methods(["GET", "POST"])
@staff_required
def extracts(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "intake.import")
    services.fail_abandoned_extracts()  # so that no extract listed shows "Checking" for ever
    form = forms.UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            extract = services.receive_extract(
                by=viewer, file_name=upload.name, chunks=upload.chunks(), size=upload.size
            )
        except reading_formats.Rejected as rejected:
            form.add_error("file", rejected.problems[0].reason)
        else:
            return redirect("intake:extract", public_id=extract.public_id)
    return render_form(
        request,
        "intake/extracts.html",
        {"form": form, "extracts": selectors.extracts_of(viewer=viewer)},
    )


@require_GET
@staff_required
def extract_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    services.fail_abandoned_extracts()  # a page polling an extract whose process died stops polling
    extract = selectors.extract_for(viewer=viewer, public_id=public_id)
    problems = list(selectors.problems_of(extract)[:SHOWN_PROBLEMS])
    context = {"extract": extract, "problems": problems, "shown_problems": SHOWN_PROBLEMS}
    if request.headers.get("HX-Request") and extract.is_running:
        return render(request, "intake/_progress.html", context)  # progress only: nothing of anyone
    audit.record(viewer, "intake.extract.view", extract)  # the finished page lists rejected rows
    if request.headers.get("HX-Request"):
        return render(request, "intake/_progress.html", context)
    return render(request, "intake/extract.html", context)


@require_GET
@staff_required
def extract_problems(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    extract = selectors.extract_for(viewer=viewer, public_id=public_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{extract.public_id}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(safe_row([_("line"), _("column"), _("reason")]))
    # A column name or reason quotes the uploaded file, so its cells are neutralised like every export's.
    writer.writerows(
        safe_rows(selectors.problems_of(extract).values_list("line", "column", "reason").iterator())
    )
    audit.record(viewer, "intake.problems.download", extract)
    return response


@require_GET
@staff_required
def worklist(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.WORKLIST_ORDERS else "score"
    page = Paginator(selectors.worklist(viewer=viewer, sort=sort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    people = list(page.object_list)
    audit.record(
        viewer,
        "intake.worklist.view",
        details={"people": [str(person.public_id) for person in people], "page": page.number},
    )
    return render(
        request,
        "intake/worklist.html",
        {
            "page": page,
            "rows": worklist_rows.rows(selectors.reasons(people), area=worklist_rows.unit_area(viewer)),
            "sort": sort,
            "sorts": _sorts(),
            "query_string": urlencode({"sort": sort}),
        },
    )


def _sorts() -> list[tuple[str, str]]:
    """The worklist's orders as (value of `?sort=`, label), in selectors.WORKLIST_ORDERS."""
    return [
        ("score", _("Strongest reasons first")),
        ("unemployment", _("Longest unemployed first")),
        ("age", _("Oldest first")),
        ("name", _("By name")),
    ]


@require_http_methods(["GET", "POST"])
@staff_required
def contacted(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    person = selectors.person_for(viewer=viewer, public_id=public_id)
    form = forms.ContactedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.mark_contacted(person=person, by=viewer)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Case opened. The needs the rules flagged are on the client's overview.")
            )
            return redirect("clients:detail", public_id=case.client.public_id)
    return _person_page(
        request,
        person,
        form,
        title=_("Mark contacted"),
        intro=_("This opens a case for the person in your unit, with you as the personal worker."),
        submit=_("Open a case"),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def not_relevant(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    person = selectors.person_for(viewer=viewer, public_id=public_id)
    form = forms.NotRelevantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_not_relevant(person=person, by=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Marked not relevant: %(name)s.") % {"name": person.full_name})
            return redirect("intake:worklist")
    return _person_page(
        request,
        person,
        form,
        title=_("Not relevant"),
        intro=_("The person leaves the worklist. Say why, for the colleagues who see the record."),
        submit=_("Save"),
    )


def _person_page(
    request: StaffRequest, person: Any, form: Any, *, title: str, intro: str, submit: str
) -> HttpResponse:
    viewer = request.membership
    if request.method == "GET":
        audit.record(viewer, "intake.person.view", person)
    [row] = worklist_rows.rows(selectors.reasons([person]), area=worklist_rows.unit_area(viewer))
    return render_form(
        request,
        "intake/person_form.html",
        {"person": person, "row": row, "form": form, "title": title, "intro": intro, "submit": submit},
    )
