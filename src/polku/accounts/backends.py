"""allauth's login backend, reading the session's user together with their active memberships, which
`ActiveMembershipMiddleware` needs next: one query instead of two for staff (a user without an active
membership costs a second one)."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core import sql

ACTIVE_MEMBERSHIPS = "_polku_active_memberships"


def active_memberships_with_user(user_id: int) -> list[Membership]:
    """The user's memberships active today (`Membership.objects.active()`), each with the user and their
    unit's organisation. Written as SQL (`core.sql`): every staff request reads it, and the ORM took about
    1 ms of CPU to build it, several times what PostgreSQL needs to run it (bench/README.md)."""
    today = timezone.localdate()
    memberships = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(Membership, "membership")}, {sql.columns(User, "person")},
            {sql.columns(Unit, "unit")}, {sql.columns(Organisation, "org")}
        FROM accounts_membership membership
        JOIN accounts_user person ON person.id = membership.user_id
        JOIN accounts_unit unit ON unit.id = membership.unit_id
        JOIN accounts_organisation org ON org.id = unit.organisation_id
        WHERE membership.user_id = %s AND membership.valid_from <= %s
            AND (membership.valid_until IS NULL OR membership.valid_until >= %s)
            AND person.is_active = %s AND unit.is_active = %s AND org.is_active = %s
        ORDER BY membership.id
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [user_id, today, today, True, True, True],
    ):
        membership, user, unit, organisation = sql.instances(row, Membership, User, Unit, Organisation)
        unit.organisation = organisation
        membership.unit = unit
        membership.user = user
        memberships.append(membership)
    return memberships


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
