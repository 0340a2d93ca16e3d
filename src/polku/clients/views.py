"""Thin views: parse the request, call a selector or service, audit the read, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.audit.redaction import IDENTITY_CODE
from polku.clients import edits, extensions, forms, identity, pages, selectors, services, timeline
from polku.clients.export import client_export
from polku.clients.models import CaseStatus
from polku.core.pages import render_form

PAGE_SIZE = 25


@require_GET
@staff_required
@permissions.decided_once()
def caseload(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "caseload.view")
    sort = request.GET.get("sort", "next_step")
    if sort.lstrip("-") not in selectors.CASELOAD_SORTS:
        sort = "next_step"
    filters = selectors.CaseloadFilters(
        status=request.GET.get("status", "") if request.GET.get("status") in CaseStatus.values else "",
        municipality=_municipality_code(request.GET.get("municipality", "")),
        flag=request.GET.get("flag", ""),
        age=request.GET.get("age", "") if request.GET.get("age") in selectors.AGE_GROUPS else "",
        in_status=request.GET.get("in_status", "")
        if request.GET.get("in_status") in selectors.STATUS_TIMES
        else "",
        # Identity codes are searched by POST only (search below), never from a URL.
        q=_name_query(request.GET.get("q", "")),
        sort=sort.lstrip("-") if sort.lstrip("-") in selectors.CASELOAD_SORTS else "next_step",
        descending=sort.startswith("-"),
    )
    page = selectors.caseload_page(
        viewer=viewer, filters=filters, number=request.GET.get("page"), size=PAGE_SIZE
    )
    cases = list(page.object_list)
    audit.record(
        viewer,
        "caseload.view",
        listed=[case.client for case in cases],
        details={"page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    rows = pages.CaseloadRow.all_of(cases, flags=extensions.flags_for(cases, viewer=viewer))
    return render(
        request,
        "clients/caseload.html",
        {
            "page": page,
            "cases": cases,
            "rows": rows,
            "headers": pages.sort_headers(filters, sort),
            "filters": filters,
            "sort": sort,
            "statuses": [(v, label) for v, label in CaseStatus.choices if v != CaseStatus.CLOSED],
            "municipalities": selectors.caseload_municipalities(viewer=viewer),
            "flags": [
                (selectors.Flag.OVERDUE, _("Overdue")),
                (selectors.Flag.INTERPRETER, _("Needs an interpreter")),
                (selectors.Flag.NO_RECENT_CONTACT, _("No contact in 90 days")),
            ],
            "age_groups": [("under_30", _("Under 30")), ("30_54", _("30–54")), ("55_plus", _("55 and over"))],
            "status_times": [
                ("under_30_days", _("Under 30 days")),
                ("30_89_days", _("30–89 days")),
                ("90_days_plus", _("90 days or more")),
            ],
            "query_string": query.urlencode(),
            "kept_filters": [
                (key, value)
                for key, value in (
                    ("status", filters.status),
                    ("municipality", filters.municipality),
                    ("flag", filters.flag),
                    ("age", filters.age),
                    ("in_status", filters.in_status),
                    ("sort", sort),
                )
                if value
            ],
            "can_create": permissions.can(viewer, "client.create"),
            "code_in_query": bool(IDENTITY_CODE.search(request.GET.get("q", ""))),
            "no_recent_contact_days": selectors.NO_RECENT_CONTACT_DAYS,
        },
    )


def _municipality_code(value: str) -> str:
    return value if len(value) == 3 and value.isdigit() else ""


def _name_query(term: str) -> str:
    """A name to search for; nothing when the term holds an identity code."""
    return identity.name_search_term(term)[0]


@require_POST
@staff_required
def search(request: StaffRequest) -> HttpResponse:
    """The caseload's search box. Posted, so an identity code never appears in a URL or an access log:
    a code that matches opens the client; a name goes on to the caseload with its filters."""
    viewer = request.membership
    permissions.require(viewer, "caseload.view")
    term = request.POST.get("q", "").replace("\x00", "").strip()[:100]
    kept = {
        key: request.POST.get(key, "").replace("\x00", "")[:32]
        for key in ("status", "municipality", "flag", "age", "in_status", "sort")
    }
    if IDENTITY_CODE.search(term) and not identity.looks_like_identity_code(term):
        messages.info(request, _("Search either by name or by a whole identity code alone."))
        return redirect("clients:caseload")
    if not identity.looks_like_identity_code(term):
        query = urlencode({key: value for key, value in {"q": term, **kept}.items() if value})
        return redirect(f"{reverse('clients:caseload')}?{query}" if query else reverse("clients:caseload"))
    case = selectors.caseload(viewer=viewer, filters=selectors.CaseloadFilters(q=term)).first()
    found = case.client if case is not None else selectors.find_client_by_identity_code(term)
    audit.record(
        viewer, "caseload.search", client=found, details={"identity_code": True, "found": bool(found)}
    )
    if case is not None:
        return redirect("clients:detail", public_id=case.client.public_id)
    if found is not None and permissions.can(viewer, "client.view", found):
        return redirect("clients:detail", public_id=found.public_id)
    if found is not None and permissions.can(viewer, "client.break_glass"):
        messages.warning(request, _("This person is a client in Polku but not on your caseload or teams."))
        return redirect("clients:break_glass", public_id=found.public_id)
    messages.info(request, _("No client on your caseload has this identity code."))
    return redirect("clients:caseload")


@require_http_methods(["GET", "POST"])
@staff_required
def client_new(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "client.create")
    form = forms.NewClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            result = services.create_client(
                by=viewer,
                identity_code=data.pop("identity_code"),
                source=data.pop("source"),
                opened_on=data.pop("opened_on"),
                **data,
            )
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            if result.client_existed:
                messages.warning(
                    request,
                    _(
                        "This person is already a client in Polku. The new case was opened for the existing "
                        "client; the details you typed were not saved over theirs, so check them below."
                    ),
                )
            else:
                messages.success(request, _("Client registered and case opened."))
            return redirect("clients:detail", public_id=result.client.public_id)
    return render_form(
        request,
        "clients/client_form.html",
        {"form": form, "title": _("New client")},
    )


@require_GET
@staff_required
@permissions.decided_once()
def client_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id)
    cases = selectors.cases_of(client, viewer=viewer)
    current = _current_case(cases, viewer)
    entries = timeline.page_for(client, viewer=viewer, page=request.GET.get("page"))
    glass = selectors.break_glass_reason(client, viewer=viewer)
    reason = _("Break the glass: %(reason)s") % {"reason": glass} if glass else ""
    audit.record(viewer, "client.view", client, client=client, reason=reason)
    team = selectors.team_of(current) if current else []
    consents = selectors.consents_of(client)
    can_manage = bool(current and permissions.can(viewer, "case.manage", current))
    can_edit = permissions.can(viewer, "client.edit", client)
    can_contact = bool(current and permissions.can(viewer, "case.record_contact", current))
    can_open_case = not any(c.is_open and c.unit_id == viewer.unit_id for c in cases) and permissions.can(
        viewer, "case.open", client
    )
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "cases": cases,
            "current": current,
            "team": team,
            "consents": consents,
            "entries": entries,
            "can_manage": can_manage,
            "can_contact": can_contact,
            "can_open_case": can_open_case,
            "can_edit": can_edit,
            "can_export": permissions.can(viewer, "client.export", client),
            "can_report": permissions.can(viewer, "client.access_report", client),
            "panels": extensions.panels_for(client, current, viewer=viewer),
        },
    )


def _current_case(cases: list[Any], viewer: Any) -> Any:
    """The case the viewer works on: an open case of their own unit, else any open case, else the newest."""
    open_cases = [case for case in cases if case.is_open]
    own = [
        case for case in open_cases if case.personal_worker_id == viewer.pk or case.unit_id == viewer.unit_id
    ]
    return (own or open_cases or cases or [None])[0]


@require_POST
@staff_required
def reveal_identity_code(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="client.reveal_identity_code")
    code = services.reveal_identity_code(client=client, by=viewer)
    response = render(
        request,
        "clients/_identity_code.html" if request.headers.get("HX-Request") else "clients/identity_code.html",
        {"client": client, "code": code},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def client_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="client.edit")
    initial = {field: getattr(client, field) for field in services.CLIENT_DETAIL_FIELDS}
    form = edits.carry_version(forms.ClientDetailsForm(request.POST or None, initial=initial), client)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(client=client, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, _("Basic details saved."))
            return redirect("clients:detail", public_id=client.public_id)
    else:
        audit.record(viewer, "client.view", client, client=client, details={"page": "edit"})
    return render_form(
        request,
        "clients/client_form.html",
        {"form": form, "client": client, "title": _("Edit basic details")},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def break_glass(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_by_public_id(public_id)
    # Only a personal worker learns that this person is a client; anyone else gets the plain 404.
    permissions.require(viewer, "client.break_glass", client, hide=True)
    if permissions.can(viewer, "client.view", client):
        return redirect("clients:detail", public_id=client.public_id)
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass(client=client, by=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            return redirect("clients:detail", public_id=client.public_id)
    else:
        # Only the fact that the person is a client was shown; that too is in their access report.
        audit.record(viewer, "client.break_glass.offered", client, client=client)
    return render_form(
        request,
        "clients/break_glass.html",
        {"form": form, "public_id": client.public_id},
    )


@require_GET
@staff_required
@permissions.decided_once()
def access_report(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="client.access_report")
    page = Paginator(selectors.access_report(client), 50).get_page(request.GET.get("page"))
    events = list(page.object_list)
    audit.record(viewer, "client.access_report.view", client, client=client)
    return render(request, "clients/access_report.html", {"client": client, "page": page, "events": events})


@require_GET
@staff_required
@permissions.decided_once()
def export_html(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="client.export")
    data = client_export(client, viewer=viewer)
    audit.record(viewer, "client.export", client, client=client, details={"format": "html"})
    response = render(request, "clients/export.html", {"client": client, "data": data})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required
@permissions.decided_once()
def export_json(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="client.export")
    data = client_export(client, viewer=viewer)
    audit.record(viewer, "client.export", client, client=client, details={"format": "json"})
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="polku-client-{client.public_id}.json"'
    response["Cache-Control"] = "no-store"
    return response
