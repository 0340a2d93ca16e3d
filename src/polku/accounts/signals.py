"""Receivers AccountsConfig.ready connects."""

from typing import Any

from django.http import HttpRequest

from polku.accounts.middleware import MFA_READY_KEY


def forget_mfa_ready(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """After an authenticator is removed the session no longer counts as having one (middleware)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_READY_KEY, None)
