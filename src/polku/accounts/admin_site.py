from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.accounts import permissions

_View = TypeVar("_View", bound=Any)


class PolkuAdminSite(admin.AdminSite):
    """Django's admin, reachable only with an active administrator membership.

    Login goes through allauth (and so through two-factor authentication); a logged-in user without
    the role gets 403 and the refusal is audited.
    """

    site_header = _("Polku administration")
    site_title = _("Polku administration")
    index_title = _("Organisations, users and roles")

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.can(getattr(request, "membership", None), "admin.access")

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        inner = super().admin_view(view, cacheable)

        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            self._refuse_if_logged_in_without_role(request)
            return inner(request, *args, **kwargs)

        return cast(_View, update_wrapper(wrapper, view))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # Django's own admin login would authenticate a posted email and password past allauth: no
        # second factor, no rate limit, and a way to switch user. It never runs here.
        self._refuse_if_logged_in_without_role(request)
        if request.user.is_authenticated:
            return redirect("admin:index")
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("account_login"))

    def _refuse_if_logged_in_without_role(self, request: HttpRequest) -> None:
        if request.user.is_authenticated and not self.has_permission(request):
            membership = getattr(request, "membership", None)
            permissions.refuse(membership or request.user, "admin.access")
