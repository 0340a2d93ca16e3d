"""The client's session, apart from staff sessions.

A client session holds the client's public id (`CLIENT_KEY`) and no Django user: staff login state
and client login state never share a session (logging in either way starts a new one). The middleware
answers 404 to every address outside the portal for a client session, so a client reaches no staff
page, and ends a client session idle for longer than `POLKU_PORTAL_IDLE_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from polku.clients.models import Client
from polku.portal.selectors import signed_in_client

CLIENT_KEY = "polku_portal_client"
SEEN_KEY = "polku_portal_seen"
ATTEMPT_KEY = "polku_portal_login"
# Reached by a client session outside the portal: static files, the language switch and health check.
OPEN_PREFIXES = ("/portal/", "/static/", "/i18n/", "/healthz/", "/favicon.ico")


class ClientRequest(HttpRequest):
    portal_client: Client


def client_public_id(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    value = session.get(CLIENT_KEY) if session is not None else None
    return value if isinstance(value, str) else None


class ClientSessionMiddleware:
    """404 for staff pages in a client session; the idle timeout of client sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if client_public_id(request) is not None:
            if not request.path.startswith(OPEN_PREFIXES):
                raise Http404
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if not isinstance(seen, int) or now - seen > settings.POLKU_PORTAL_IDLE_SECONDS:
                request.session.flush()
                if request.path.startswith("/portal/"):
                    return redirect("portal:start_expired")
            elif now - seen >= 60:  # one write a minute at most keeps the idle clock
                request.session[SEEN_KEY] = now
        return self.get_response(request)


def log_in(request: HttpRequest, client: Client) -> None:
    """A new session for the identified client: whatever the browser's session held (a staff login, a
    half-done login) ends here."""
    request.session.flush()
    request.session[CLIENT_KEY] = str(client.public_id)
    request.session[SEEN_KEY] = int(time.time())


def log_out(request: HttpRequest) -> None:
    request.session.flush()


def client_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A logged-in client (`request.portal_client`); anyone else goes to the portal's start page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        public_id = client_public_id(request)
        client = signed_in_client(public_id)
        if public_id is None or client is None:
            if public_id is not None:
                log_out(request)
            return redirect("portal:start")
        request.portal_client = client  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
