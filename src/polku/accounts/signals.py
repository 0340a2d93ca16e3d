from typing import Any

from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver
from django.http import HttpRequest

from polku.accounts.middleware import MFA_READY_KEY


@receiver(mfa_signals.authenticator_removed)
def _forget_mfa_ready(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_READY_KEY, None)
