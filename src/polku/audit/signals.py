"""Login, logout, failed logins and changes to two-factor authentication go to the audit log."""

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from polku import audit


@receiver(auth_signals.user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record(user, "auth.login", user)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "auth.logout", user)


@receiver(auth_signals.user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the address typed in is kept; Django has already replaced the password with stars.
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record(None, "auth.login_failed", details={"email": email})


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(user, "mfa.added", user, details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(user, "mfa.removed", user, details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(user, "mfa.reset", user, details={"type": authenticator.type})
