"""The caseload and the client search: the lists of clients a worker may open, each page one audited
list read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.audit.redaction import IDENTITY_CODE
from polku.clients import caseload_html, extensions, identity, pages, selectors
from polku.clients.models import CaseStatus

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
            "table_rows": caseload_html.table_rows(rows),
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
    try:
        identity.parse(term)
    except ValidationError as error:
        # A typing error (a wrong check character, a date that is not one) is said as such, not as
        # "none of your clients has this code"; the code is never shown back.
        messages.error(request, error.messages[0])
        return redirect("clients:caseload")
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
