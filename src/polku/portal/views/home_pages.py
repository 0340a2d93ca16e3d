"""The home page, messages with the team, feedback on the service and the accessibility statement."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.core.pages import render_form
from polku.portal import selectors, services, session
from polku.portal.session import ClientRequest, client_required


@require_GET
@client_required
def home(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    context = selectors.home(client)
    waiting = selectors.feedback_waiting(client)
    questionnaires = selectors.questionnaires_waiting(client)
    context["plans_to_agree"] = selectors.plans_to_agree(client)
    services.record(client, "portal.home.view")
    context = {"client": client, "feedback_waiting": waiting, "questionnaires": questionnaires, **context}
    return render(request, "portal/home.html", {"nav": "home", **context})


@require_http_methods(["GET", "POST"])
@client_required
def messages_page(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    error = ""
    if request.method == "POST":
        try:
            services.send_message(client=client, text=request.POST.get("text", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("portal:messages")
    rows = list(selectors.messages_of(client)[:50])
    services.record(client, "portal.messages.view")
    context = {
        "client": client,
        "rows": rows,
        "error": error,
        "text": request.POST.get("text", "") if error else "",
        "nav": "messages",
    }
    return render_form(request, "portal/messages.html", context)


@require_http_methods(["GET", "POST"])
@client_required
def feedback(request: HttpRequest) -> HttpResponse:
    """The short feedback on the service at plan agreement, a review or the end of the service."""
    client = cast(ClientRequest, request).portal_client
    waiting = selectors.feedback_waiting(client)
    if waiting is None:
        return redirect("portal:home")
    error = ""
    if request.method == "POST":
        try:
            services.give_service_feedback(
                client=client,
                waiting=waiting,
                heard=int(request.POST.get("heard", "0")),
                knew_responsible=request.POST.get("knew") == "yes",
                useful=int(request.POST.get("useful", "0")),
            )
        except (ValueError, ValidationError):
            error = _("Answer every question.")
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("portal:home")
    else:
        services.record(client, "portal.feedback.view")
    context = {"client": client, "waiting": waiting, "error": error, "scale": range(1, 6)}
    return render_form(request, "portal/feedback.html", context)


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement and its feedback channel (Act 306/2019), open to everyone."""
    errors = ""
    if request.method == "POST":
        try:
            services.give_accessibility_feedback(
                text=request.POST.get("text", ""),
                page=request.POST.get("page", ""),
                contact=request.POST.get("contact", ""),
            )
        except ValidationError as exc:
            errors = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Thank you. Your feedback was sent; we answer within 14 days if you left a contact."),
            )
            return redirect("portal:accessibility")
    client = selectors.signed_in_client(session.client_public_id(request))
    context = {"client": client, "error": errors, "values": request.POST if errors else {}}
    return render_form(request, "portal/accessibility.html", context)
