"""Logging in through the identity provider (OpenID Connect) and out."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from polku.clients import selectors as client_selectors
from polku.portal import oidc, selectors, services, session

logger = logging.getLogger("polku.portal")


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:callback"))


@require_GET
def start(request: HttpRequest, expired: bool = False) -> HttpResponse:
    if session.client_public_id(request) is not None:
        return redirect("portal:home")
    return render(request, "portal/start.html", {"expired": expired, "configured": oidc.is_configured()})


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Sends the browser to the identity provider with a new attempt (state, nonce, PKCE verifier)."""
    if not oidc.is_configured():
        return render(request, "portal/refused.html", {"step": "not_configured"}, status=503)
    try:
        url, attempt = oidc.start(_callback_uri(request), ui_locale=get_language() or "")
    except oidc.IdentificationError as error:
        logger.warning("Portal login could not start: %s", error.code)
        return render(request, "portal/refused.html", {"step": error.code}, status=502)
    if session.client_public_id(request) is not None or request.user.is_authenticated:
        request.session.flush()  # a login starts from an empty session, whoever was logged in
    request.session[session.ATTEMPT_KEY] = attempt.as_dict()
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the code is exchanged, the ID token verified and its identity code matched
    to a client by the keyed lookup hash. The code is never logged, shown or put in an address."""
    attempt = oidc.Attempt.from_dict(request.session.pop(session.ATTEMPT_KEY, None))
    try:
        if request.GET.get("error"):
            raise oidc.IdentificationError(
                "denied" if request.GET["error"] == "access_denied" else "provider_error"
            )
        claims = oidc.finish(
            attempt=attempt,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            redirect_uri=_callback_uri(request),
        )
    except oidc.IdentificationError as error:
        logger.warning("Portal login refused at step %s", error.code)
        services.record_refused_login(error.code)
        return render(request, "portal/refused.html", {"step": error.code}, status=400)
    code = claims.get(settings.POLKU_PORTAL_OIDC_IDENTITY_CLAIM)
    client = client_selectors.find_client_by_identity_code(code) if isinstance(code, str) else None
    if client is None:
        services.record_unknown_person()
        return render(
            request, "portal/not_a_client.html", {"contact": settings.POLKU_PORTAL_HELP_CONTACT}, status=403
        )
    session.log_in(request, client)
    services.record(client, "portal.login")
    return redirect("portal:home")


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The public halves of Polku's keys, for the provider."""
    return JsonResponse(oidc.public_jwks())


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    public_id = session.client_public_id(request)
    client = selectors.signed_in_client(public_id)
    if client is not None:
        services.record(client, "portal.logout")
    session.log_out(request)
    provider_logout = oidc.logout_url(request.build_absolute_uri(reverse("portal:logged_out")))
    return redirect(provider_logout or reverse("portal:logged_out"))


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/logged_out.html")
