"""allauth's login backend, with the read every request makes (the session's user) as a compiled
query (core.compiled): Django's own `get_user` builds and compiles the same query on every request."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db.models import QuerySet

from polku.accounts.models import User
from polku.core.compiled import compiled


@compiled
def _user(*, pk: int) -> QuerySet[User]:
    return User._default_manager.filter(pk=pk).order_by()[:1]


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _user(pk=pk)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
