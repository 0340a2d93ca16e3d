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
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        if getattr(request, "membership", None) is None:
            return redirect(
                f"{reverse('accounts:choose_membership')}?{urlencode({'next': request.get_full_path()})}"
            )
        response = view(request, *args, **kwargs)
        # Staff pages carry client data: never kept in browser or proxy caches.
        add_never_cache_headers(response)
        return response

    return wrapper
