"""Receivers AccountsConfig.ready connects: after an authenticator is removed the session no longer
counts as having one, a wrong two-factor code is audited, and removing an authenticator ends the
user's sessions."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from polku import audit
from polku.accounts.middleware import MFA_READY_KEY
from polku.accounts.models import User
from polku.accounts.sessions import end_all_sessions


def forget_mfa_ready(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """After an authenticator is removed the session no longer counts as having one (middleware)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_READY_KEY, None)


def audit_wrong_code(
    sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    """One event per wrong code (at login, or when asked again before a sensitive change); the code
    itself is never stored. Someone who knows the password is guessing, or the user's clock is off."""
    details = {"type": authenticator.type, "reauthentication": bool(kwargs.get("reauthentication"))}
    audit.record(user, "auth.mfa_failed", user, details=details)


def end_sessions_without_the_factor(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    """A session opened with a second factor that is gone (a lost phone reset by an administrator, or
    removed by the user) must not outlive it: every session of the user ends, on every device. This
    listens to the deletion itself, so the admin, allauth's pages and the shell are all covered."""
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:  # the user is being deleted, and their sessions with them
        return
    recovery_codes_left_behind = instance.type == Authenticator.Type.RECOVERY_CODES and not (
        Authenticator.objects.filter(user=user).exists()
    )
    if recovery_codes_left_behind:  # allauth removes them after the app: the sessions have ended already
        return
    end_all_sessions(user=user)
    audit.record(None, "auth.sessions_ended", user, details={"reason": "mfa.removed", "type": instance.type})
