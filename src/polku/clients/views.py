"""A client's pages: new, overview, edit, the identity code, break-the-glass, the access report and the
exports. Thin views: parse the request, call a selector or service, audit the read, render; the case
pages are in case_views.py, the caseload and search in caseload_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import access, edits, extensions, forms, pages, selectors, services, timeline
from polku.clients.export import client_export
from polku.core.pages import render_form


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
        except services.ExistingClient as found:
            return _existing_client(request, found)
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


def _existing_client(request: StaffRequest, found: services.ExistingClient) -> HttpResponse:
    """The new client form met an identity code Polku holds and opened no case: the way on, never a dead
    end. The client's overview when the worker sees the client; else the break-the-glass page, as the
    caseload search offers it, with the unit's own personal worker to ask when the unit has a case."""
    viewer = request.membership
    audit.record(
        viewer,
        "client.create.found_existing",
        found.client,
        client=found.client,
        details={"visible": found.visible},
    )
    if found.visible:
        messages.info(
            request,
            _(
                "This person is already a client in Polku, and you can see their details: here they are. "
                "No second client was registered."
            ),
        )
        return redirect("clients:detail", public_id=found.client.public_id)
    messages.warning(request, _("This person is a client in Polku but not on your caseload or teams."))
    if found.ask is not None:
        messages.info(
            request,
            _(
                "%(name)s is their personal worker in your unit: ask them to add you to the case team, or "
                "open the client's data below for a few hours by stating a reason."
            )
            % {"name": found.ask.user},
        )
    return redirect("clients:break_glass", public_id=found.client.public_id)


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
    consents = selectors.consents_of(client, viewer=viewer)
    can_manage = bool(current and permissions.can(viewer, "case.manage", current))
    can_edit = permissions.can(viewer, "client.edit", client)
    can_contact = bool(current and permissions.can(viewer, "case.record_contact", current))
    own_unit_open = any(c.is_open and c.unit_id == viewer.unit_id for c in cases)
    can_open_case = not own_unit_open and permissions.can(viewer, "case.open", client)
    can_open_from_glass = not own_unit_open and permissions.can(viewer, "case.open_from_break_glass", client)
    panels = extensions.panels_for(client, current, viewer=viewer)
    timeline_empty = not entries.object_list and entries.number == 1
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
            "timeline": pages.TimelineLine.all_of(entries.object_list),
            "can_manage": can_manage,
            "can_contact": can_contact,
            "can_open_case": can_open_case,
            "can_open_from_glass": can_open_from_glass,
            # Through break-the-glass: the client's open cases elsewhere and whom to contact, not "no cases".
            "elsewhere": selectors.cases_elsewhere(client, viewer=viewer, known=cases) if glass else [],
            "can_edit": can_edit,
            "can_export": permissions.can(viewer, "client.export", client),
            "can_report": permissions.can(viewer, "client.access_report", client),
            "panels": panels,
            "timeline_empty": timeline_empty,
            "contents": extensions.contents(
                panels,
                {
                    "basic": extensions.Section("basic", _("Basic details")),
                    "case": extensions.Section(
                        "case",
                        _("Current case") if current and current.is_open else _("Case"),
                        is_empty=not cases,
                    ),
                    "team": extensions.Section("team", _("Team"), is_empty=not team) if current else None,
                    "consents": extensions.Section("consents", _("Consents"), is_empty=not consents),
                    "timeline": extensions.Section("timeline", _("Timeline"), is_empty=timeline_empty),
                    "end": extensions.Section("earlier", _("All cases")) if len(cases) > 1 else None,
                },
            ),
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
    page = selectors.access_events(client, viewer=viewer, number=request.GET.get("page"))
    rows = list(page.object_list)
    audit.record(viewer, "client.access_report.view", client, client=client)
    return render(
        request,
        "clients/access_report.html",
        {
            "client": client,
            "page": page,
            "rows": rows,
            "events": [row.event for row in rows],
            "own_part_only": access.own_part(viewer, client) is not None,
        },
    )


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
