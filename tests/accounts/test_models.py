"""Organisations (business ID, municipality code) and memberships (validity periods, `active()`)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from stdnum.fi import ytunnus

from polku.accounts.models import Membership, Organisation, OrganisationKind, Role
from tests.factories import make_membership, make_organisation, make_unit, make_user

VALID_BUSINESS_ID = "1234567-1"  # synthetic, check digit computed by the Y-tunnus rules


def organisation(**fields) -> Organisation:
    values = {
        "kind": OrganisationKind.NGO,
        "name": "Testiyhdistys ry",
        "business_id": VALID_BUSINESS_ID,
        "municipality_code": "",
    }
    values.update(fields)
    return Organisation(**values)


def errors_of(instance) -> dict[str, list[str]]:
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            instance.full_clean()
        return {
            field: [str(message) for message in messages]
            for field, messages in raised.value.message_dict.items()
        }


def test_the_synthetic_business_id_used_here_is_valid():
    assert ytunnus.is_valid(VALID_BUSINESS_ID)


def test_a_valid_business_id_is_accepted(db):
    org = organisation()
    org.full_clean()
    org.save()
    assert Organisation.objects.get(pk=org.pk).business_id == VALID_BUSINESS_ID


def test_a_business_id_written_without_the_dash_is_stored_in_the_standard_form(db):
    org = organisation(business_id="12345671")
    org.full_clean()
    assert org.business_id == VALID_BUSINESS_ID


@pytest.mark.parametrize("bad", ["1234567-2", "1234567-0"])
def test_a_business_id_with_a_wrong_check_digit_is_refused_with_the_message(db, bad):
    errors = errors_of(organisation(business_id=bad))
    assert errors["business_id"] == [f"{bad} is not a valid business ID (Y-tunnus): use the form 1234567-8."]


@pytest.mark.parametrize("bad", ["123456-7", "ABCDEFG-1", "1234567_1x", "Y-tunnus"])
def test_a_business_id_of_the_wrong_form_is_refused_with_the_message(db, bad):
    errors = errors_of(organisation(business_id=bad))
    assert any("is not a valid business ID (Y-tunnus)" in message for message in errors["business_id"])


def test_a_three_digit_municipality_code_is_accepted(db):
    org = organisation(kind=OrganisationKind.MUNICIPALITY, municipality_code="564")
    org.full_clean()


@pytest.mark.parametrize("bad", ["56", "5640", "56a", "abc"])
def test_a_municipality_code_that_is_not_three_digits_is_refused(db, bad):
    errors = errors_of(organisation(kind=OrganisationKind.MUNICIPALITY, municipality_code=bad))
    assert (
        "A municipality code has exactly three digits, for example 564 for Oulu."
        in errors["municipality_code"]
    )


def test_a_municipality_without_its_municipality_code_is_refused(db):
    errors = errors_of(organisation(kind=OrganisationKind.MUNICIPALITY, municipality_code=""))
    assert errors["municipality_code"] == ["A municipality needs its municipality code."]


def test_an_organisation_that_is_not_a_municipality_needs_no_municipality_code(db):
    organisation(kind=OrganisationKind.KELA, municipality_code="").full_clean()


# --- Memberships -----------------------------------------------------------------------------------

TODAY = date(2025, 6, 15)


@pytest.fixture
def membership(db) -> Membership:
    return make_membership(role=Role.PERSONAL_WORKER, valid_from=date(2025, 1, 1), valid_until=None)


def active_ids(on: date) -> set[int]:
    return set(Membership.objects.active(on).values_list("pk", flat=True))


def test_a_current_membership_is_active(membership):
    assert membership.is_active_on(TODAY)
    assert active_ids(TODAY) == {membership.pk}


def test_a_membership_without_a_date_is_checked_against_today(db):
    today = timezone.localdate()
    current = make_membership(valid_from=today, valid_until=today)
    ended = make_membership(valid_from=today - timedelta(days=10), valid_until=today - timedelta(days=1))
    assert current.is_active_on()
    assert not ended.is_active_on()
    assert set(Membership.objects.active().values_list("pk", flat=True)) == {current.pk}


def test_a_membership_that_has_not_started_yet_is_not_active(db):
    future = make_membership(valid_from=TODAY + timedelta(days=1))
    assert not future.is_active_on(TODAY)
    assert future.pk not in active_ids(TODAY)
    assert future.is_active_on(TODAY + timedelta(days=1))


def test_a_membership_is_active_on_its_first_and_last_day_and_not_after(db):
    ended = make_membership(valid_from=date(2025, 1, 1), valid_until=date(2025, 3, 31))
    assert ended.is_active_on(date(2025, 1, 1))
    assert ended.is_active_on(date(2025, 3, 31))
    assert not ended.is_active_on(date(2025, 4, 1))
    assert ended.pk in active_ids(date(2025, 3, 31))
    assert ended.pk not in active_ids(date(2025, 4, 1))


def test_the_membership_of_an_inactive_user_is_not_active(db):
    membership = make_membership(user=make_user(is_active=False), valid_from=date(2025, 1, 1))
    assert not membership.is_active_on(TODAY)
    assert membership.pk not in active_ids(TODAY)


def test_a_membership_in_an_inactive_unit_is_not_active(db):
    membership = make_membership(unit=make_unit(is_active=False), valid_from=date(2025, 1, 1))
    assert not membership.is_active_on(TODAY)
    assert membership.pk not in active_ids(TODAY)


def test_a_membership_in_an_inactive_organisation_is_not_active(db):
    unit = make_unit(organisation=make_organisation(is_active=False))
    membership = make_membership(unit=unit, valid_from=date(2025, 1, 1))
    assert not membership.is_active_on(TODAY)
    assert membership.pk not in active_ids(TODAY)


def test_active_keeps_the_current_memberships_and_drops_the_others(db):
    current = make_membership(valid_from=date(2025, 1, 1))
    make_membership(valid_from=date(2025, 7, 1))
    make_membership(valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31))
    assert active_ids(TODAY) == {current.pk}


def test_an_end_date_before_the_start_date_is_refused_with_the_message(db):
    membership = Membership(
        user=make_user(),
        unit=make_unit(),
        role=Role.NURSE,
        valid_from=date(2025, 5, 1),
        valid_until=date(2025, 4, 30),
    )
    errors = errors_of(membership)
    assert errors["valid_until"] == ["The end date cannot be before the start date."]


def test_the_database_refuses_an_end_date_before_the_start_date_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_membership(valid_from=date(2025, 5, 1), valid_until=date(2025, 4, 30))
    assert not Membership.objects.exists()


def test_a_membership_that_starts_and_ends_on_the_same_day_is_accepted(db):
    membership = Membership(
        user=make_user(),
        unit=make_unit(),
        role=Role.NURSE,
        valid_from=date(2025, 5, 1),
        valid_until=date(2025, 5, 1),
    )
    membership.full_clean()
