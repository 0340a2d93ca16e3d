"""My consents: giving and revoking one."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.core.pages import render_form
from polku.portal import selectors, services
from polku.portal.session import ClientRequest, client_required


@require_GET
@client_required
def consents(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    rows = list(selectors.consents(client))
    services.record(client, "portal.consents.view")
    return render(request, "portal/consents.html", {"client": client, "consents": rows, "nav": "consents"})


@require_http_methods(["GET", "POST"])
@client_required
def revoke_consent(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A confirmation page, then the revocation (effective at once)."""
    client = cast(ClientRequest, request).portal_client
    consent, others = selectors.consent(client, public_id)
    if consent is None:
        services.refuse(
            client, others or ("clients.consent", str(public_id)), owner=others.client if others else None
        )
    error = ""
    if request.method == "POST":
        try:
            services.revoke_consent(client=client, consent=consent)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The consent was revoked. It no longer applies from today."))
            return redirect("portal:consents")
    else:
        services.record(client, "portal.consents.view", consent, details={"page": "revoke"})
    context = {"client": client, "consent": consent, "error": error, "nav": "consents"}
    return render_form(request, "portal/revoke_consent.html", context)


@require_http_methods(["GET", "POST"])
@client_required
def give_consent(request: HttpRequest) -> HttpResponse:
    """I give a new consent between two organisations working with me; it applies from today."""
    client = cast(ClientRequest, request).portal_client
    organisations = selectors.consent_organisations(client)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            valid_until = (
                date.fromisoformat(request.POST["valid_until"]) if request.POST.get("valid_until") else None
            )
        except ValueError:
            errors = {"valid_until": [_("Enter the date as day, month and year.")]}
        else:
            try:
                services.give_consent(
                    client=client,
                    organisations=organisations,
                    discloser_id=request.POST.get("discloser", ""),
                    recipient_id=request.POST.get("recipient", ""),
                    registers=request.POST.getlist("registers"),
                    purpose=request.POST.get("purpose", ""),
                    valid_until=valid_until,
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                messages.success(request, _("Your consent was recorded. It applies from today."))
                return redirect("portal:consents")
    else:
        services.record(client, "portal.consents.view", details={"page": "give"})
    context = {
        "client": client,
        "organisations": organisations,
        "errors": errors,
        "values": request.POST if errors else {},
        "chosen_registers": request.POST.getlist("registers") if errors else [],
        "general_errors": errors.get("__all__", []),
        "nav": "consents",
    }
    return render_form(request, "portal/give_consent.html", context)
