"""Login, logout, failed logins and changes to two-factor authentication go to the audit log: the
receivers AuditConfig.ready connects."""

from typing import Any

from django.http import HttpRequest

from polku import audit


def record_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record(user, "auth.login", user)


def record_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "auth.logout", user)


def record_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the address typed in is kept; Django has already replaced the password with stars.
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record(None, "auth.login_failed", details={"email": email})


def record_mfa_added(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(user, "mfa.added", user, details={"type": authenticator.type})


def record_mfa_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit.record(user, "mfa.removed", user, details={"type": authenticator.type})


def record_mfa_reset(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(user, "mfa.reset", user, details={"type": authenticator.type})
