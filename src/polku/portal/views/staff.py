"""The team's side of the portal (staff addresses under /clients/, urls_staff.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

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
from polku.clients.models import Case
from polku.portal import selectors, services


def _back_to_panel(request: StaffRequest, case: Case, act: Callable[[], object], done: str) -> HttpResponse:
    """Runs the team member's action on the case, says how it went and returns to the portal panel
    of the client's overview (the three actions below share this shape)."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages-panel")


@require_POST
@staff_required
def answer_message(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    case = client_selectors.case_for(viewer=request.membership, public_id=public_id)
    text = request.POST.get("text", "")
    return _back_to_panel(
        request,
        case,
        lambda: services.answer_message(case=case, by=request.membership, text=text),
        _("Your message was sent."),
    )


@require_POST
@staff_required
def request_questionnaire(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    case = client_selectors.case_for(viewer=request.membership, public_id=public_id)
    code = request.POST.get("code", "")
    return _back_to_panel(
        request,
        case,
        lambda: services.request_questionnaire(case=case, by=request.membership, code=code),
        _("The client sees the questionnaire in their own Polku."),
    )


@require_POST
@staff_required
def ask_to_agree(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    """A team member asks the client to agree the case's draft plan version in their own Polku."""
    version = selectors.plan_version_for_staff(public_id)
    case = client_selectors.case_for(viewer=request.membership, public_id=version.plan.case.public_id)
    return _back_to_panel(
        request,
        case,
        lambda: services.ask_to_agree(version=version, by=request.membership),
        _("The client sees the plan to agree in their own Polku."),
    )
