from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, with an active membership chosen for this session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _away(request, redirect_to_login(request.get_full_path(), reverse("account_login")))
        if getattr(request, "membership", None) is None:
            return _away(
                request,
                redirect(
                    f"{reverse('accounts:choose_membership')}?{urlencode({'next': request.get_full_path()})}"
                ),
            )
        response = view(request, *args, **kwargs)
        # Staff pages carry client data: never kept in browser or proxy caches.
        add_never_cache_headers(response)
        return response

    return wrapper


def _away(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A redirect that htmx follows with the whole page (HX-Redirect): followed inside the request, it
    would swap the login page into a part of this one, or nothing at all (a session that expired while
    the page was open)."""
    if not request.headers.get("HX-Request"):
        return response
    away = HttpResponse(status=204)
    away["HX-Redirect"] = response["Location"]
    return away
