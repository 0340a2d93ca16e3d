"""The memberships every staff request reads with its user, written as SQL
(`backends.active_memberships_with_user`, `core.sql`), are the ORM's `Membership.objects.active()`,
field for field, with the user, unit and organisation, on SQLite and PostgreSQL alike: none that has
ended or not begun, none of an inactive user, unit or organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.backends import active_memberships_with_user
from polku.accounts.models import Membership, Organisation, Unit, User
from tests.factories import make_membership, make_organisation, make_unit, make_user
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def same_memberships(user_id: int) -> list[Membership]:
    built = active_memberships_with_user(user_id)
    read = list(
        Membership.objects.active()
        .filter(user_id=user_id)
        .select_related("user", "unit__organisation")
        .order_by("pk")
    )
    assert [membership.pk for membership in built] == [membership.pk for membership in read]
    for mine, theirs in zip(built, read, strict=True):
        same(mine, theirs)
        same(mine.user, theirs.user)
        same(mine.unit, theirs.unit)
        same(mine.unit.organisation, theirs.unit.organisation)
    return built


def test_only_the_memberships_active_today_with_user_unit_and_organisation():
    today = timezone.localdate()
    user = make_user()
    active = make_membership(user=user)
    ending_today = make_membership(user=user, role="nurse", valid_until=today)
    make_membership(user=user, valid_until=today - timedelta(days=1))
    make_membership(user=user, valid_from=today + timedelta(days=1))
    make_membership(user=user, unit=make_unit(is_active=False))
    make_membership(user=user, unit=make_unit(organisation=make_organisation(is_active=False)))
    make_membership(user=make_user())  # someone else's

    assert [m.pk for m in same_memberships(user.pk)] == [active.pk, ending_today.pk]


def test_an_inactive_user_has_none():
    user = make_user()
    make_membership(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert same_memberships(user.pk) == []
    assert Unit.objects.exists() and Organisation.objects.exists()
