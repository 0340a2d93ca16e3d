"""allauth's login backend, reading the session's user together with their active memberships, which
`ActiveMembershipMiddleware` needs next: one query instead of two for staff (a user without an active
membership costs a second one)."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from polku.accounts.models import Membership, User

ACTIVE_MEMBERSHIPS = "_polku_active_memberships"


def active_memberships_with_user(user_id: int) -> list[Membership]:
    """The user's memberships active today, each with the user and their unit's organisation."""
    return list(
        Membership.objects.active()
        .filter(user_id=user_id)
        .select_related("user", "unit__organisation")
        .order_by("pk")
    )


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships: those read with the user when this backend read them in this
    request, else read now (a user set on the request otherwise, as at login)."""
    memberships = getattr(user, ACTIVE_MEMBERSHIPS, None)
    if memberships is None:
        memberships = active_memberships_with_user(user.pk)
        for membership in memberships:
            membership.user = user
        setattr(user, ACTIVE_MEMBERSHIPS, memberships)
    return memberships


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        memberships = active_memberships_with_user(pk)
        user: User | None
        if memberships:
            user = memberships[0].user
            for membership in memberships:
                membership.user = user
        else:
            user = User.objects.filter(pk=pk).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, ACTIVE_MEMBERSHIPS, memberships)
        return user
