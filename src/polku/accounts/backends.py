"""allauth's login backend, with the read every request makes (the session's user) as a compiled
query (core.compiled): Django's own `get_user` builds and compiles the same query on every request.
The user is read together with their active memberships, which `ActiveMembershipMiddleware` needs
next: one query instead of two for staff (a user without an active membership costs a second one)."""

from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db.models import QuerySet
from django.utils import timezone

from polku.accounts.models import Membership, User
from polku.core.compiled import compiled

ACTIVE_MEMBERSHIPS = "_polku_active_memberships"


@compiled
def _active_memberships_with_user(*, user_id: int, today: date) -> QuerySet[Membership]:
    return (
        Membership.objects.active(today)
        .filter(user_id=user_id)
        .select_related("user", "unit__organisation")
        .order_by("pk")
    )


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships: those read with the user when this backend read them in this
    request, else read now (a user set on the request otherwise, as at login)."""
    memberships = getattr(user, ACTIVE_MEMBERSHIPS, None)
    if memberships is None:
        memberships = _active_memberships_with_user(user_id=user.pk, today=timezone.localdate())
        for membership in memberships:
            membership.user = user
        setattr(user, ACTIVE_MEMBERSHIPS, memberships)
    return memberships


@compiled
def _user(*, pk: int) -> QuerySet[User]:
    return User._default_manager.filter(pk=pk).order_by()[:1]


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        memberships = _active_memberships_with_user(user_id=pk, today=timezone.localdate())
        if memberships:
            user = memberships[0].user
            for membership in memberships:
                membership.user = user
        else:
            found = _user(pk=pk)
            user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, ACTIVE_MEMBERSHIPS, memberships)
        return user
