"""Thin views of the catalogue and of referrals: parse, call a selector or service, audit, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import access
from polku.clients import selectors as client_selectors
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.network import forms, hsds, selectors, services
from polku.network.models import SENDER_STATUSES, Referral, ReferralStatus, ServiceLanguage
from polku.network.rules import provider_in_polku
from polku.screening.models import NeedKind

PAGE_SIZE = 20


def _case_from_query(request: StaffRequest, viewer: Any) -> Any:
    """The case the worker is finding a service for (?case=<uuid>), when they may refer from it."""
    public_id = request.GET.get("case", "")
    if not public_id:
        return None
    try:
        case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    except (Http404, ValidationError, ValueError):
        return None
    return case if permissions.can(viewer, "referral.create", case) else None


def _plan_action_from_query(request: StaffRequest, viewer: Any, case: Any) -> Any:
    """The action of the case's agreed service plan the referral is made from (?action=<uuid>): 404
    unless the viewer may read the plan and the action is one of this case's agreed plan."""
    from polku.plans import selectors as plan_selectors

    public_id = request.GET.get("action", "")
    if not public_id:
        return None
    try:
        action = plan_selectors.action_for(viewer=viewer, public_id=public_id)
    except (ValidationError, ValueError) as error:
        raise Http404 from error
    version = action.goal.version
    if version.plan.case_id != case.pk or not version.is_agreed or action.service_id is None:
        raise Http404
    return action


@require_GET
@staff_required
def catalogue(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "catalogue.view")
    get = request.GET
    filters = selectors.CatalogueFilters(
        q=get.get("q", "").replace("\x00", "").strip()[:100],
        need=get.get("need", "") if get.get("need") in NeedKind.values else "",
        category=get.get("category", "")[:64],
        municipality=get.get("municipality", "") if get.get("municipality", "").isdigit() else "",
        language=get.get("language", "") if get.get("language") in ServiceLanguage.values else "",
    )
    page = Paginator(selectors.catalogue(filters=filters), PAGE_SIZE).get_page(get.get("page"))
    case = _case_from_query(request, viewer)
    if case is not None:  # the page names the client the worker is finding a service for
        audit.record(viewer, "client.view", case.client, client=case.client, details={"page": "catalogue"})
    query = get.copy()
    query.pop("page", None)
    return render(
        request,
        "network/catalogue.html",
        {
            "page": page,
            "services": list(page.object_list),
            "filters": filters,
            "needs": NeedKind.choices,
            "categories": selectors.categories(),
            "municipalities": selectors.municipalities(),
            "languages": ServiceLanguage.choices,
            "query_string": query.urlencode(),
            "case": case,
            "case_query": f"?case={case.public_id}" if case else "",
            "can_export": permissions.can(viewer, "catalogue.export"),
        },
    )


@require_GET
@staff_required
def service_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "catalogue.view")
    service = selectors.service_for(public_id)
    case = _case_from_query(request, viewer)
    if case is not None:
        audit.record(viewer, "client.view", case.client, client=case.client, details={"page": "service"})
    return render(
        request,
        "network/service_detail.html",
        {
            "service": service,
            "case": case,
            "need": request.GET.get("need", "") if request.GET.get("need") in NeedKind.values else "",
            "in_polku": provider_in_polku(service),
        },
    )


@require_GET
@staff_required
def hsds_download(request: StaffRequest) -> HttpResponse:
    """The whole catalogue as HSDS 3.0, for administrators."""
    viewer = request.membership
    permissions.require(viewer, "catalogue.export")
    document = hsds.export_services()
    audit.record(viewer, "catalogue.export", details={"services": len(document), "via": "download"})
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="polku-services-hsds.json"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def referral_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "referral.create", case, hide=not access.knows_of_case(viewer, case))
    action = _plan_action_from_query(request, viewer, case)
    default_service = str(action.service.public_id) if action and action.service else ""
    try:
        service = selectors.service_for(request.GET.get("service", default_service))
    except (ValidationError, ValueError) as error:
        raise Http404 from error
    if action is not None and action.service_id != service.pk:
        raise Http404
    needs = selectors.open_needs_for_referral(case, viewer=viewer)
    # Coming from the catalogue filtered by a need: the client's open need of that kind is preselected.
    initial_need = next((n.pk for n in needs if n.kind == request.GET.get("need")), None)
    form = forms.ReferralForm(
        request.POST if request.method == "POST" else None,
        consents=selectors.consents_for_referral(case, viewer=viewer),
        needs=needs,
        initial={"need": initial_need, "reason": action.what if action else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer(
                case=case, service=service, by=viewer, plan_action=action, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Referral saved as a draft. Check it and send it."))
            return redirect("network:referral", public_id=referral.public_id)
    elif request.method == "GET":
        audit.record(viewer, "client.view", case.client, client=case.client, details={"page": "referral_new"})
    return render_form(
        request,
        "network/referral_form.html",
        {"form": form, "case": case, "client": case.client, "service": service, "plan_action": action},
    )


@require_GET
@staff_required
@permissions.decided_once()
def referral_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    """The sending side sees the whole referral; the receiving unit only what the client agreed to share."""
    viewer = request.membership
    referral = selectors.referral_for(viewer=viewer, public_id=public_id, action="referral.view_or_incoming")
    sender = permissions.can(viewer, "referral.view", referral)
    audit.record(
        viewer, "referral.view" if sender else "referral.view_incoming", referral, client=referral.client
    )
    may_send = permissions.can(viewer, "referral.send", referral)
    may_answer = permissions.can(viewer, "referral.answer", referral)
    actions = [
        (status, action_label(referral, status))
        for status in referral.allowed_next
        if (may_send if status in SENDER_STATUSES else may_answer)
    ]
    return render(
        request,
        "network/referral_detail.html",
        {
            "referral": referral,
            "sender": sender,
            "history": selectors.history_of(referral),
            "actions": actions,
            "in_polku": provider_in_polku(referral.service),
            # The receiving unit reads the shared information only while the consent still holds.
            "consent_holds": services.consent_holds(referral),
        },
    )


# Buttons say what they do, not the status they lead to ("Send", not "Sent").
ACTION_BUTTONS: dict[str, Any] = {
    ReferralStatus.SENT: pgettext_lazy("referral action", "Send"),
    ReferralStatus.ACCEPTED: pgettext_lazy("referral action", "Accept"),
    ReferralStatus.DECLINED: pgettext_lazy("referral action", "Decline"),
    ReferralStatus.STARTED: pgettext_lazy("referral action", "Mark started"),
    ReferralStatus.COMPLETED: pgettext_lazy("referral action", "Mark completed"),
    ReferralStatus.DISCONTINUED: pgettext_lazy("referral action", "Mark discontinued"),
    ReferralStatus.DID_NOT_ATTEND: pgettext_lazy("referral action", "Mark as did not attend"),
    ReferralStatus.CANCELLED: pgettext_lazy("referral action", "Withdraw"),
}


def action_label(referral: Referral, status: str) -> Any:
    if status == ReferralStatus.CANCELLED and referral.status == ReferralStatus.DRAFT:
        return pgettext_lazy("referral action", "Discard the draft")
    return ACTION_BUTTONS[status]


ACTION_TITLES: dict[str, Any] = {
    ReferralStatus.SENT: gettext_lazy("Send the referral"),
    ReferralStatus.ACCEPTED: gettext_lazy("Accept the referral"),
    ReferralStatus.DECLINED: gettext_lazy("Decline the referral"),
    ReferralStatus.STARTED: gettext_lazy("Mark the service started"),
    ReferralStatus.COMPLETED: gettext_lazy("Mark the service completed"),
    ReferralStatus.DISCONTINUED: gettext_lazy("Mark the service discontinued"),
    ReferralStatus.DID_NOT_ATTEND: gettext_lazy("Mark that the client did not attend"),
    ReferralStatus.CANCELLED: gettext_lazy("Discard or withdraw the referral"),
}


@require_http_methods(["GET", "POST"])
@staff_required
def referral_move(request: StaffRequest, public_id: str, status: str) -> HttpResponse:
    viewer = request.membership
    if status not in ACTION_TITLES:
        raise Http404
    referral = selectors.referral_for(viewer=viewer, public_id=public_id, action="referral.view_or_incoming")
    action = "referral.send" if status in SENDER_STATUSES else "referral.answer"
    permissions.require(viewer, action, referral)
    form = forms.MoveForm(request.POST if request.method == "POST" else None, to=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.move(referral=referral, to=status, by=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The referral is now “%(status)s”.") % {"status": ReferralStatus(status).label}
            )
            return redirect("network:referral", public_id=referral.public_id)
    elif request.method == "GET":
        audit.record(
            viewer,
            "client.view",
            referral.client,
            client=referral.client,
            details={"page": "referral_move", "referral": str(referral.public_id)},
        )
    return render_form(
        request,
        "network/referral_move.html",
        {
            "referral": referral,
            "form": form,
            "title": ACTION_TITLES[status],
            "danger": status
            in (ReferralStatus.DECLINED, ReferralStatus.DISCONTINUED, ReferralStatus.CANCELLED),
            "status": status,
        },
    )


@require_GET
@staff_required
def incoming(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "referral.incoming")
    page = Paginator(selectors.incoming(viewer=viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    referrals = list(page.object_list)
    audit.record(
        viewer,
        "referral.incoming",
        listed=[referral.client for referral in referrals],
        details={"page": page.number},
    )
    return render(
        request, "network/incoming.html", {"page": page, "referrals": referrals, "query_string": ""}
    )


@require_GET
@staff_required
def client_referrals(request: StaffRequest, public_id: str) -> HttpResponse:
    """All of the client's referrals the viewer may read, newest first, a page at a time (the overview
    panel shows the newest)."""
    viewer = request.membership
    client = client_selectors.client_for(viewer=viewer, public_id=public_id)
    page = Paginator(selectors.readable_referrals(client, viewer=viewer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record(
        viewer, "client.view", client, client=client, details={"page": "referrals", "n": page.number}
    )
    return render(
        request,
        "network/client_referrals.html",
        {"client": client, "page": page, "referrals": list(page.object_list), "query_string": ""},
    )
