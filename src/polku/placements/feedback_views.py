"""The host's feedback form, reached without logging in through the link emailed to the supervisor.

The link's token is checked once (GET /feedback/<token>/): a usable link puts the request in the
visitor's session and redirects to /feedback/form/, so the token leaves the address bar (and any later
Referer header) at once. A used, expired, replaced or unknown token gets the same page with status 404,
and the refusal is audited without the token or anything about the client. Failed attempts from one
address are counted; after too many the link page answers 429 without looking the token up.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from polku.audit import services as audit
from polku.audit.context import current
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.placements import forms, selectors, services
from polku.placements.models import FeedbackRequest

SESSION_KEY = "polku_placement_feedback"
FAILURE_LIMIT = 20  # failed links from one address ...
FAILURE_WINDOW = 15 * 60  # ... within this many seconds


def _address(request: HttpRequest) -> str:
    context = current.get()
    return (context.ip if context and context.ip else request.META.get("REMOTE_ADDR")) or "unknown"


def _failure_key(request: HttpRequest) -> str:
    return f"placements:feedback-failures:{_address(request)}"


def _unavailable(request: HttpRequest, *, status: int = 404) -> HttpResponse:
    response = render(request, "placements/feedback_unavailable.html", status=status)
    # Django's request logger writes the path of every 4xx answer: `placements.logs` masks the token.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    key = _failure_key(request)
    cache.add(key, 0, FAILURE_WINDOW)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        failures = 1
        cache.set(key, failures, FAILURE_WINDOW)
    audit.record(None, "placement.feedback_link.refused", details={"reason": reason, "failures": failures})
    return _unavailable(request)


@never_cache
@require_GET
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    if (cache.get(_failure_key(request)) or 0) >= FAILURE_LIMIT:
        audit.record(None, "placement.feedback_link.refused", details={"reason": "rate_limited"})
        return _unavailable(request, status=429)
    feedback_request = selectors.feedback_request_for_token(token)
    if feedback_request is None:
        return _refuse(request, "unknown")
    if not feedback_request.is_usable():
        return _refuse(request, _state(feedback_request))
    request.session.cycle_key()
    request.session[SESSION_KEY] = feedback_request.pk
    response = redirect("placements:feedback_form")
    response["Referrer-Policy"] = "no-referrer"
    return response


def _state(feedback_request: FeedbackRequest) -> str:
    if feedback_request.used_at is not None:
        return "used"
    if feedback_request.revoked_at is not None:
        return "replaced"
    return "expired"


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest) -> HttpResponse:
    feedback_request = selectors.feedback_request_by_pk(request.session.get(SESSION_KEY))
    if feedback_request is None or not feedback_request.is_usable():
        request.session.pop(SESSION_KEY, None)
        audit.record(
            None,
            "placement.feedback_link.refused",
            details={"reason": _state(feedback_request) if feedback_request else "no_link"},
        )
        return _unavailable(request)
    placement = feedback_request.placement
    form = forms.FeedbackForm(request.POST or None, initial={"given_by": placement.supervisor_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_feedback(request=feedback_request, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            return redirect("placements:feedback_thanks")
    elif request.method == "GET":
        audit.record(
            None,
            "placement.feedback_form.view",
            feedback_request,
            client=placement.client,
            details={"stage": feedback_request.stage},
        )
    return render_form(
        request,
        "placements/feedback_form.html",
        {"form": form, "placement": placement, "feedback_request": feedback_request},
    )


@never_cache
@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "placements/feedback_thanks.html")
