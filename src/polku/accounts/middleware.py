from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.request import Request

from polku.accounts import backends, permissions
from polku.accounts.models import Membership, User

SESSION_KEY = "polku_membership"
MFA_READY_KEY = "polku_mfa_ready"


def activate_membership(request: HttpRequest, membership: Membership) -> None:
    # A change of role changes what the session may do: a new session key means a slower request
    # still holding the old session cannot save it back over the new role.
    request.session.cycle_key()
    request.session[SESSION_KEY] = membership.pk
    setattr(request, "membership", membership)  # noqa: B010


def membership_of(request: HttpRequest | Request) -> Membership | None:
    """The membership `ActiveMembershipMiddleware` chose for the request. A REST framework `Request`
    hands attributes it does not have to the `HttpRequest` it wraps, so this serves both."""
    membership = getattr(request, "membership", None)
    return membership if isinstance(membership, Membership) else None


class ActiveMembershipMiddleware:
    """Sets `request.membership`: the membership chosen for this session while it is still valid, or
    the only one the user has. Several and none chosen leaves it None; views then ask the user.
    `request.has_other_memberships` tells the header whether to offer a change of role."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # HttpRequest declares neither attribute; StaffRequest types them for the views that read them.
        setattr(request, "membership", None)  # noqa: B010
        setattr(request, "has_other_memberships", False)  # noqa: B010
        if request.user.is_authenticated:
            # One query: a user holds a handful of memberships at most.
            memberships = backends.active_memberships(request.user)
            chosen = request.session.get(SESSION_KEY)
            membership = next((m for m in memberships if m.pk == chosen), None)
            if membership is None and len(memberships) == 1:
                membership = memberships[0]
                request.session[SESSION_KEY] = membership.pk
            elif membership is None and chosen:
                del request.session[SESSION_KEY]
            if membership is not None:
                membership.user = request.user
            setattr(request, "membership", membership)  # noqa: B010
            setattr(request, "has_other_memberships", len(memberships) > 1)  # noqa: B010
        return self.get_response(request)


class RequireMFAMiddleware:
    """With POLKU_REQUIRE_MFA on, staff without an authenticator app reach only its set-up pages."""

    ALLOWED_URL_NAMES = (
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_index",
        "account_logout",
        "account_reauthenticate",
        "set_language",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        needs_setup = (
            settings.REQUIRE_MFA
            and request.user.is_authenticated
            and not self._has_mfa(request)  # a session flag for everyone already set up: cheap first
            and not self._allowed(request)
        )
        if not needs_setup:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = _("Set up two-factor authentication before using Polku.")
            return JsonResponse({"detail": detail}, status=403)
        return redirect("mfa_activate_totp")

    def _has_mfa(self, request: HttpRequest) -> bool:
        # Only "has an authenticator" is remembered in the session (removing one clears it:
        # accounts.signals). "Needs none" is decided afresh on every request, so a role granted in
        # the middle of a session brings the set-up requirement with it at once.
        if request.session.get(MFA_READY_KEY):
            return True
        user = request.user
        assert isinstance(user, User)
        if not permissions.must_use_mfa(user):
            return True
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            request.session[MFA_READY_KEY] = True
            return True
        return False

    def _allowed(self, request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        return any(request.path == reverse(name) for name in self.ALLOWED_URL_NAMES)
