"""The team's side of the portal (staff addresses under /clients/, urls_staff.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.clients import selectors as client_selectors
from polku.portal import selectors, services


@require_POST
@staff_required
def answer_message(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    case = client_selectors.case_for(viewer=request.membership, public_id=public_id)
    try:
        services.answer_message(case=case, by=request.membership, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your message was sent."))
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages")


@require_POST
@staff_required
def request_questionnaire(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    case = client_selectors.case_for(viewer=request.membership, public_id=public_id)
    try:
        services.request_questionnaire(case=case, by=request.membership, code=request.POST.get("code", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The client sees the questionnaire in their own Polku."))
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages-panel")


@require_POST
@staff_required
def ask_to_agree(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    """A team member asks the client to agree the case's draft plan version in their own Polku."""
    version = selectors.plan_version_for_staff(public_id)
    case = client_selectors.case_for(viewer=request.membership, public_id=version.plan.case.public_id)
    try:
        services.ask_to_agree(version=version, by=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The client sees the plan to agree in their own Polku."))
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages-panel")
