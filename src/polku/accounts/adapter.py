import time
from datetime import UTC, datetime
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from polku.accounts import throttle
from polku.core import encryption


def login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").lower()


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Before a password is checked: the limit per address (the "ip" part of
        POLKU_LOGIN_FAILED_LIMIT) refuses outright; the per-account part never does, it only makes an
        address that keeps failing for the account wait (`throttle`). allauth's own version applied
        the per-account part as a lock that kept the right password out too."""
        if throttle.address_refused(request):
            raise self.validation_error("too_many_login_attempts")
        throttle.refuse_if_waiting(request, login=login_of(credentials))

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            # Only failures count against an address; a right password forgives the address its
            # failures for this account.
            throttle.record_success(request, login=login_of(credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.record_failure(request, login=login_of(credentials))

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by administrators for people with a role in an organisation.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Staff setting up two-factor authentication at their first login are not asked again for the
        password they typed moments ago, neither to add the authenticator nor to see its recovery codes.
        Changing or removing an authenticator that existed before this login still asks."""
        if app == "allauth.mfa" and self._first_mfa_setup_right_after_password_login():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _first_mfa_setup_right_after_password_login(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        password_at = [record["at"] for record in records if record.get("method") == "password"]
        if not password_at or time.time() - password_at[-1] >= account_settings.REAUTHENTICATION_TIMEOUT:
            return False
        logged_in_at = datetime.fromtimestamp(password_at[-1], tz=UTC)
        return not Authenticator.objects.filter(user=request.user, created_at__lt=logged_in_at).exists()


ENCRYPTED_PREFIX = "fernet:"


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery code seeds are stored encrypted with the same MultiFernet keys as
    identity codes (POLKU_IDENTITY_CODE_KEYS), and rotated with them by `rotate_identity_keys`."""

    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            return encrypted_text  # written before encryption was turned on
        return encryption.decrypt(encrypted_text[len(ENCRYPTED_PREFIX) :])
