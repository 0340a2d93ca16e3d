"""core.compiled: a queryset-building function whose SQL is built and compiled once per shape of its
parameters and afterwards re-run with each call's values. What it returns must be exactly what the ORM
returns for the same values (rows, order, related objects, annotations, values_list), for every call in a
row; what it cannot substitute safely (closures, derived values, values read inside the function) it
refuses; and what it remembers is forgotten when settings change and when the day changes.

The compiled functions are defined at module level: compiled() refuses closures. `fn.__wrapped__` is
the undecorated function, so `list(fn.__wrapped__(**values))` is what the plain ORM returns for the same
values (`fn.build` too, unless a test has wrapped it to count the compiles)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max, Model, Prefetch, Q, QuerySet
from django.test import override_settings
from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Role
from polku.clients import services
from polku.clients.models import Case, Client, Consent, Contact, Register
from polku.core.compiled import Compiled, Shape, compiled
from tests.factories import make_case, make_membership, make_organisation, make_unit

HELSINKI = ZoneInfo("Europe/Helsinki")


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


# --- The compiled functions ----------------------------------------------------------------------------


@compiled
def _consents_of(client_id: int) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(client_id=client_id)
        .select_related("discloser", "recipient")
        .order_by("-valid_from", "-id")
    )


@compiled
def _contacts_since(*, case_ids: list[int], since: date) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(case__in=case_ids, happened_on__gte=since)
        .select_related("case__client", "author__user")
        .order_by("happened_on", "id")
    )


@compiled
def _contacts_of_cases(*, case_ids: list[int]) -> QuerySet[Contact]:
    return Contact.objects.filter(case__in=case_ids).order_by("-happened_on", "id")


@compiled
def _contact_ids(*, case_ids: list[int]) -> QuerySet[Contact, int]:
    return Contact.objects.filter(case__in=case_ids).order_by("happened_on").values_list("id", flat=True)


@compiled
def _contact_tuples(*, case_ids: list[int], since: date) -> QuerySet[Contact, tuple[date, int, str]]:
    # The fields in another order than the model's, and a related field: ValuesListIterable reorders.
    return (
        Contact.objects.filter(case__in=case_ids, happened_on__gte=since)
        .order_by("case_id", "happened_on")
        .values_list("happened_on", "case_id", "case__client__last_name")
    )


@compiled
def _contact_dicts(*, case_ids: list[int]) -> QuerySet[Contact, Any]:
    return Contact.objects.filter(case__in=case_ids).order_by("id").values("id", "kind", "case__public_id")


@compiled
def _case_counts(*, unit_id: int, since: date) -> QuerySet[Case]:
    # A parameter inside the SELECT list (the annotation's filter) as well as in WHERE.
    return (
        Case.objects.filter(unit_id=unit_id)
        .annotate(
            contacts_since=Count("contacts", filter=Q(contacts__happened_on__gte=since)),
            last_contact=Max("contacts__happened_on"),
        )
        .order_by("id")
    )


@compiled
def _case_by_public_id(*, public_id: uuid.UUID) -> QuerySet[Case]:
    return Case.objects.filter(public_id=public_id).select_related("client")


@compiled
def _contacts_of_client(*, client_public_id: uuid.UUID) -> QuerySet[Contact]:
    return Contact.objects.filter(client__public_id=client_public_id).order_by("id")


@compiled
def _clients_named(*, last_name: str) -> QuerySet[Client]:
    return Client.objects.filter(last_name=last_name).order_by("id")


@compiled
def _contacts_created_from(*, start: datetime, case_ids: list[int]) -> QuerySet[Contact]:
    return Contact.objects.filter(created_at__gte=start, case__in=case_ids).order_by("created_at")


@compiled
def _consents_valid_on(*, client_id: int, on: date) -> QuerySet[Consent]:
    # The same parameter in four places of the WHERE clause (valid_on() uses it four times).
    return Consent.objects.valid_on(on).filter(client_id=client_id).order_by("id")


@compiled
def _consents_until(*, client_id: int, until: date | None) -> QuerySet[Consent]:
    return Consent.objects.filter(client_id=client_id, valid_until=until).order_by("id")


@compiled
def _consents_covering_social(*, client_id: int, social: bool) -> QuerySet[Consent]:
    return Consent.objects.filter(client_id=client_id, covers_social=social).order_by("id")


@compiled
def _consents_valid_today(*, client_id: int) -> QuerySet[Consent]:
    # valid_on() without a date reads timezone.localdate(): a constant until midnight.
    return Consent.objects.valid_on().filter(client_id=client_id).order_by("id")


@compiled
def _contacts_ordered(*, case_id: int, order: str) -> QuerySet[Contact]:
    return Contact.objects.filter(case_id=case_id).order_by(order, "id")


@compiled
def _contacts_lasting_at_most(*, case_id: int, minutes: int) -> QuerySet[Contact]:
    return Contact.objects.filter(case_id=case_id, duration_minutes__lte=minutes).order_by("id")


@compiled
def _contacts_lasting(*, case_id: int, minutes: int) -> QuerySet[Contact]:
    return Contact.objects.filter(case_id=case_id, duration_minutes=minutes).order_by("id")


@compiled
def _clients_with_cases_and_contacts(*, ids: list[int]) -> QuerySet[Client]:
    return (
        Client.objects.filter(pk__in=ids)
        .prefetch_related(
            "cases", Prefetch("contacts", queryset=Contact.objects.order_by("-happened_on", "id"))
        )
        .order_by("id")
    )


# Refused: each compiles differently from what its parameters alone decide.


@compiled
def _consents_valid_the_day_after(*, client_id: int, on: date) -> QuerySet[Consent]:
    return Consent.objects.filter(client_id=client_id, valid_from__lte=on + timedelta(days=1))


@compiled
def _contacts_between_shifted(*, case_id: int, start: date, end: date) -> QuerySet[Contact]:
    # `start + 1 day` is derived; with `end` the next parameter it must not be taken for `end`.
    return Contact.objects.filter(
        case_id=case_id, happened_on__gte=start + timedelta(days=1), happened_on__lte=end
    )


@compiled
def _contacts_recorded_before_now(*, case_id: int) -> QuerySet[Contact]:
    return Contact.objects.filter(case_id=case_id, created_at__lte=timezone.now())


@compiled
def _first_contacts(*, case_id: int, limit: int) -> QuerySet[Contact]:
    return Contact.objects.filter(case_id=case_id).order_by("id")[:limit]


@compiled
def _contacts_longer_than(*, case_id: int, minutes: Decimal) -> QuerySet[Contact]:
    return Contact.objects.filter(case_id=case_id, duration_minutes__gt=minutes)


# --- Helpers ---------------------------------------------------------------------------------------------


def fields_of(obj: Model) -> dict[str, Any]:
    """The values the row put on the instance (concrete fields and annotations)."""
    return {name: value for name, value in vars(obj).items() if not name.startswith("_")}


def orm(fn: Compiled, **values: Any) -> list[Any]:
    """What the plain ORM returns for the same values (the undecorated function's queryset)."""
    return list(fn.__wrapped__(**values))  # type: ignore[attr-defined]


def same_as_orm(fn: Compiled, **values: Any) -> list[Any]:
    """The compiled function's rows, asserted equal to the ORM's (order, and every value of each row)."""
    expected = orm(fn, **values)
    found = fn(**values)
    assert found == expected
    assert [fields_of(row) if isinstance(row, Model) else row for row in found] == [
        fields_of(row) if isinstance(row, Model) else row for row in expected
    ]
    return found


def pks(rows: list[Model]) -> list[int]:
    return [row.pk for row in rows]


@pytest.fixture
def count_compiles(monkeypatch):
    """Counts how many times each function's query is compiled (each compile builds it twice)."""
    counts: dict[int, int] = {}

    def watch(fn: Compiled) -> None:
        build = fn.build
        counts[id(fn)] = 0

        def counting(**values: Any) -> Any:
            counts[id(fn)] += 1
            return build(**values)

        counting.__qualname__ = build.__qualname__
        monkeypatch.setattr(fn, "build", counting)

    def compiles(fn: Compiled) -> int:
        return counts[id(fn)] // 2

    return watch, compiles


@dataclass
class World:
    worker: Membership
    oulu: Organisation
    espoo: Organisation
    vantaa: Organisation
    a: Case  # three contacts, three consents
    b: Case  # two contacts, one consent
    c: Case  # nothing
    other_unit_case: Case
    a_contacts: list[Contact]  # 40, 20 and 5 days ago
    b_contacts: list[Contact]  # 30 and 10 days ago
    a_consents: list[Consent]  # Espoo -> Oulu 60 days ago, open-ended; Oulu -> Espoo 10 days ago until today;
    # Vantaa -> Oulu 5 days ago until 100 days ahead
    b_consents: list[Consent]  # Espoo -> Oulu 30 days ago until 30 days ahead


@pytest.fixture
def world(worker, oulu, espoo) -> World:
    vantaa = make_organisation(name="Vantaan kaupunki (testi)", municipality_code="092")
    a = make_case(by=worker, first_names="Aino", last_name="Äijälä", opened_on=days_ago(365))
    b = make_case(by=worker, first_names="Bertta", last_name="Bäck", opened_on=days_ago(365))
    c = make_case(by=worker, first_names="Cecilia", last_name="Bäck", opened_on=days_ago(365))
    elsewhere = make_membership(
        unit=make_unit(organisation=oulu, name="Toinen tiimi"), role=Role.PERSONAL_WORKER
    )
    other_unit_case = make_case(by=elsewhere, last_name="Muualla", opened_on=days_ago(365))

    def contact(case: Case, days: int, minutes: int | None) -> Contact:
        return services.record_contact(
            case=case,
            by=worker,
            kind="meeting",
            happened_on=days_ago(days),
            note=f"Tapaaminen {days} päivää sitten.",
            register=Register.SOCIAL,
            duration_minutes=minutes,
        )

    def consent(
        case: Case, discloser, recipient, valid_from: date, valid_until: date | None, **covers
    ) -> Consent:
        return services.record_consent(
            client=case.client,
            by=worker,
            discloser=discloser,
            recipient=recipient,
            purpose="Työkyvyn arviointi",
            valid_from=valid_from,
            valid_until=valid_until,
            method="written",
            **covers,
        )

    a_contacts = [contact(a, 40, 30), contact(a, 20, 60), contact(a, 5, None)]
    b_contacts = [contact(b, 30, 45), contact(b, 10, 30)]
    a_consents = [
        consent(a, espoo, oulu, days_ago(60), None, covers_social=True),
        consent(a, oulu, espoo, days_ago(10), today(), covers_health=True),
        consent(a, vantaa, oulu, days_ago(5), today() + timedelta(days=100), covers_social=True),
    ]
    b_consents = [consent(b, espoo, oulu, days_ago(30), today() + timedelta(days=30), covers_employment=True)]
    return World(
        worker=worker,
        oulu=oulu,
        espoo=espoo,
        vantaa=vantaa,
        a=a,
        b=b,
        c=c,
        other_unit_case=other_unit_case,
        a_contacts=a_contacts,
        b_contacts=b_contacts,
        a_consents=a_consents,
        b_consents=b_consents,
    )


# --- Same results as the ORM, for each value in turn --------------------------------------------------


@pytest.mark.django_db
def test_each_call_gets_the_rows_of_its_own_values_in_the_orms_order(world):
    a, b = world.a_consents, world.b_consents
    assert pks(same_as_orm(_consents_of, client_id=world.a.client_id)) == [a[2].pk, a[1].pk, a[0].pk]
    assert pks(same_as_orm(_consents_of, client_id=world.b.client_id)) == [b[0].pk]
    assert same_as_orm(_consents_of, client_id=world.c.client_id) == []
    assert pks(same_as_orm(_consents_of, client_id=world.a.client_id)) == [a[2].pk, a[1].pk, a[0].pk]
    assert same_as_orm(_consents_of, client_id=-1) == []


@pytest.mark.django_db
def test_select_related_objects_come_with_the_rows_in_one_query(world, django_assert_num_queries):
    for case, expected in [
        (world.a, world.a_consents),
        (world.b, world.b_consents),
        (world.a, world.a_consents),
    ]:
        with django_assert_num_queries(1):
            found = _consents_of(client_id=case.client_id)
            parties = [(c.discloser.name, c.recipient.name) for c in found]
        assert parties == [
            (c.discloser.name, c.recipient.name) for c in sorted(expected, key=lambda c: -c.pk)
        ]
        reference = orm(_consents_of, client_id=case.client_id)
        assert [fields_of(c.discloser) for c in found] == [fields_of(c.discloser) for c in reference]
        assert [fields_of(c.recipient) for c in found] == [fields_of(c.recipient) for c in reference]


@pytest.mark.django_db
def test_select_related_two_levels_deep_and_a_date_parameter(world, django_assert_num_queries):
    both = [world.a.pk, world.b.pk]
    for since, expected in [
        (days_ago(25), [world.a_contacts[1], world.b_contacts[1], world.a_contacts[2]]),
        (
            days_ago(365),
            [
                world.a_contacts[0],
                world.b_contacts[0],
                world.a_contacts[1],
                world.b_contacts[1],
                world.a_contacts[2],
            ],
        ),
        (days_ago(7), [world.a_contacts[2]]),
        (today(), []),
    ]:
        with django_assert_num_queries(1):
            found = _contacts_since(case_ids=both, since=since)
            seen = [(c.case.client.last_name, c.author.user.email) for c in found]
        assert found == expected
        reference = orm(_contacts_since, case_ids=both, since=since)
        assert seen == [(c.case.client.last_name, c.author.user.email) for c in reference]
        assert [fields_of(c.case.client) for c in found] == [fields_of(c.case.client) for c in reference]


# --- values_list, values and annotate ---------------------------------------------------------------------


@pytest.mark.django_db
def test_values_list_flat_gives_the_orms_values(world):
    assert same_as_orm(_contact_ids, case_ids=[world.a.pk]) == pks(world.a_contacts)
    assert same_as_orm(_contact_ids, case_ids=[world.b.pk]) == pks(world.b_contacts)
    assert same_as_orm(_contact_ids, case_ids=[world.c.pk]) == []


@pytest.mark.django_db
def test_values_list_tuples_give_the_orms_tuples(world):
    a, b = world.a, world.b
    found = same_as_orm(_contact_tuples, case_ids=[a.pk, b.pk], since=days_ago(25))
    assert found == [
        (days_ago(20), a.pk, "Äijälä"),
        (days_ago(5), a.pk, "Äijälä"),
        (days_ago(10), b.pk, "Bäck"),
    ]
    assert same_as_orm(_contact_tuples, case_ids=[b.pk, a.pk], since=days_ago(35)) == [
        (days_ago(20), a.pk, "Äijälä"),
        (days_ago(5), a.pk, "Äijälä"),
        (days_ago(30), b.pk, "Bäck"),
        (days_ago(10), b.pk, "Bäck"),
    ]


@pytest.mark.django_db
def test_values_gives_the_orms_dicts(world):
    found = same_as_orm(_contact_dicts, case_ids=[world.b.pk])
    assert found == [
        {"id": c.pk, "kind": "meeting", "case__public_id": world.b.public_id} for c in world.b_contacts
    ]
    assert len(same_as_orm(_contact_dicts, case_ids=[world.a.pk])) == 3


@pytest.mark.django_db
def test_annotations_equal_the_orms_with_a_parameter_in_the_select_list(world):
    unit_id = world.worker.unit_id
    found = same_as_orm(_case_counts, unit_id=unit_id, since=days_ago(25))
    assert [(case.pk, case.contacts_since, case.last_contact) for case in found] == [
        (world.a.pk, 2, days_ago(5)),
        (world.b.pk, 1, days_ago(10)),
        (world.c.pk, 0, None),
    ]
    found = same_as_orm(_case_counts, unit_id=unit_id, since=days_ago(365))
    assert [case.contacts_since for case in found] == [3, 2, 0]
    found = same_as_orm(_case_counts, unit_id=world.other_unit_case.unit_id, since=days_ago(25))
    assert [(case.pk, case.contacts_since, case.last_contact) for case in found] == [
        (world.other_unit_case.pk, 0, None)
    ]


# --- List parameters ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_list_parameter_of_any_length_and_repeated_calls(world, django_assert_num_queries):
    a, b, c = world.a, world.b, world.c
    a_rows, b_rows = world.a_contacts, world.b_contacts
    by_date = lambda rows: sorted(rows, key=lambda r: (-r.happened_on.toordinal(), r.pk))  # noqa: E731
    for ids, expected in [
        ([a.pk], by_date(a_rows)),
        ([a.pk, b.pk], by_date(a_rows + b_rows)),
        ([b.pk], by_date(b_rows)),
        ([c.pk, b.pk, a.pk], by_date(a_rows + b_rows)),
        ([c.pk], []),
        ([b.pk, c.pk], by_date(b_rows)),
        ([a.pk, a.pk], by_date(a_rows)),  # a repeated id: the ORM sends it once, the compiled SQL twice
        ([a.pk], by_date(a_rows)),
    ]:
        assert same_as_orm(_contacts_of_cases, case_ids=ids) == expected, ids


@pytest.mark.django_db
def test_an_empty_list_returns_no_rows_without_a_query(world, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(0):
            assert _contacts_of_cases(case_ids=[]) == []
            assert _contact_ids(case_ids=[]) == []
            assert _clients_with_cases_and_contacts(ids=[]) == []
        assert _contacts_of_cases(case_ids=[world.a.pk]) == orm(_contacts_of_cases, case_ids=[world.a.pk])
    assert _contacts_since(case_ids=[], since=days_ago(365)) == []


@pytest.mark.django_db
def test_a_tuple_is_a_list_parameter_too(world):
    assert same_as_orm(_contacts_of_cases, case_ids=(world.b.pk,)) == orm(
        _contacts_of_cases, case_ids=[world.b.pk]
    )
    assert same_as_orm(_contacts_of_cases, case_ids=(world.a.pk, world.b.pk))


# --- Parameter types ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_date_parameter_used_in_several_places(world):
    a = world.a_consents
    expected = {
        days_ago(61): [],
        days_ago(60): [a[0].pk],
        days_ago(10): [a[0].pk, a[1].pk],
        days_ago(1): [a[0].pk, a[1].pk, a[2].pk],
        today(): [a[0].pk, a[1].pk, a[2].pk],
        today() + timedelta(days=1): [a[0].pk, a[2].pk],
        today() + timedelta(days=101): [a[0].pk],
    }
    for on, consents in expected.items():
        assert pks(same_as_orm(_consents_valid_on, client_id=world.a.client_id, on=on)) == consents, on
    assert pks(same_as_orm(_consents_valid_on, client_id=world.b.client_id, on=today())) == pks(
        world.b_consents
    )


@pytest.mark.django_db
def test_an_aware_datetime_parameter(world):
    contacts = world.a_contacts + world.b_contacts
    moments = [datetime(2026, 3, 1, 8, 15, 30, 123456 + n, tzinfo=UTC) + timedelta(hours=n) for n in range(5)]
    for contact, moment in zip(contacts, moments, strict=True):
        Contact.objects.filter(pk=contact.pk).update(created_at=moment)
    ids = [world.a.pk, world.b.pk]
    for start, expected in [
        (moments[0], contacts),
        (moments[2], contacts[2:]),  # the exact moment is included (microseconds and all)
        (moments[2] + timedelta(microseconds=1), contacts[3:]),
        (moments[4].astimezone(HELSINKI), contacts[4:]),  # the same moment in another time zone
        (moments[1].astimezone(HELSINKI), contacts[1:]),
        (datetime(2027, 1, 1, tzinfo=HELSINKI), []),
        (datetime(1900, 1, 1, tzinfo=UTC), contacts),
    ]:
        assert same_as_orm(_contacts_created_from, start=start, case_ids=ids) == expected, start


@pytest.mark.django_db
def test_a_uuid_parameter(world):
    for case in [world.a, world.b, world.c]:
        found = same_as_orm(_case_by_public_id, public_id=case.public_id)
        assert found == [case]
        assert found[0].client.last_name == case.client.last_name
    assert same_as_orm(_case_by_public_id, public_id=uuid.uuid4()) == []
    assert same_as_orm(_contacts_of_client, client_public_id=world.b.client.public_id) == world.b_contacts
    assert same_as_orm(_contacts_of_client, client_public_id=world.a.client.public_id) == world.a_contacts


@pytest.mark.django_db
def test_a_str_parameter(world):
    assert same_as_orm(_clients_named, last_name="Äijälä") == [world.a.client]
    assert same_as_orm(_clients_named, last_name="Bäck") == [world.b.client, world.c.client]
    assert same_as_orm(_clients_named, last_name="bäck") == []
    assert same_as_orm(_clients_named, last_name="") == []
    assert same_as_orm(_clients_named, last_name="x' OR '1'='1") == []
    assert same_as_orm(_clients_named, last_name="Muualla") == [world.other_unit_case.client]


# --- Shapes: None, booleans, Shape(...) -----------------------------------------------------------------------


@pytest.mark.django_db
def test_none_and_a_date_each_get_the_right_rows(world, count_compiles):
    watch, compiles = count_compiles
    watch(_consents_until)
    a, client_id = world.a_consents, world.a.client_id
    for until, expected in [
        (None, [a[0].pk]),
        (today(), [a[1].pk]),
        (None, [a[0].pk]),
        (today() + timedelta(days=100), [a[2].pk]),
        (today() + timedelta(days=1), []),
    ]:
        assert pks(same_as_orm(_consents_until, client_id=client_id, until=until)) == expected, until
    assert compiles(_consents_until) == 2  # IS NULL, and = %s
    assert same_as_orm(_consents_until, client_id=world.b.client_id, until=None) == []


@pytest.mark.django_db
def test_true_and_false_each_get_the_right_rows(world, count_compiles):
    watch, compiles = count_compiles
    watch(_consents_covering_social)
    a, client_id = world.a_consents, world.a.client_id
    for social, expected in [(True, [a[0].pk, a[2].pk]), (False, [a[1].pk]), (True, [a[0].pk, a[2].pk])]:
        assert pks(same_as_orm(_consents_covering_social, client_id=client_id, social=social)) == expected
    assert pks(same_as_orm(_consents_covering_social, client_id=world.b.client_id, social=False)) == pks(
        world.b_consents
    )
    assert same_as_orm(_consents_covering_social, client_id=world.b.client_id, social=True) == []
    assert compiles(_consents_covering_social) == 2


@pytest.mark.django_db
def test_a_shape_value_is_passed_to_build_and_compiled_separately(world, count_compiles):
    watch, compiles = count_compiles
    watch(_contacts_ordered)
    oldest_first = world.a_contacts
    for order, expected in [
        ("happened_on", oldest_first),
        ("-happened_on", oldest_first[::-1]),
        ("happened_on", oldest_first),
    ]:
        # build receives the Shape's value itself, as the ORM call below does.
        found = _contacts_ordered(case_id=world.a.pk, order=Shape(order))
        assert found == orm(_contacts_ordered, case_id=world.a.pk, order=order) == expected
        assert [fields_of(c) for c in found] == [fields_of(c) for c in expected]
        assert _contacts_ordered(case_id=world.b.pk, order=Shape(order)) == orm(
            _contacts_ordered, case_id=world.b.pk, order=order
        )
    assert compiles(_contacts_ordered) == 2


@pytest.mark.django_db
def test_a_shape_is_compiled_once_and_reused_for_new_values(world, count_compiles):
    watch, compiles = count_compiles
    watch(_contacts_of_cases)
    _contacts_of_cases(case_ids=[world.a.pk])
    _contacts_of_cases(case_ids=[world.b.pk])
    _contacts_of_cases(case_ids=[world.c.pk])
    assert compiles(_contacts_of_cases) == 1
    _contacts_of_cases(case_ids=[world.a.pk, world.b.pk])
    _contacts_of_cases(case_ids=[world.b.pk, world.c.pk])
    assert compiles(_contacts_of_cases) == 2  # another length, another shape


# --- Integer fields narrower than the sentinels -----------------------------------------------------------


# On PostgreSQL Django drops a comparison with a value outside an integer column's range (a lookup that
# can match nothing raises EmptyResultSet, one that matches everything, FullResultSet, and leaves the
# WHERE clause): the sentinels must fit every integer column, or the parameter silently disappears.


@pytest.mark.django_db
def test_an_int_parameter_equal_to_an_integer_field(world):
    a = world.a_contacts  # 30 and 60 minutes, and one without a duration
    for minutes, expected in [(30, [a[0]]), (60, [a[1]]), (45, [])]:
        assert same_as_orm(_contacts_lasting, case_id=world.a.pk, minutes=minutes) == expected, minutes


@pytest.mark.django_db
def test_an_int_parameter_at_most_an_integer_field(world):
    a = world.a_contacts
    for minutes, expected in [(29, []), (30, [a[0]]), (60, [a[0], a[1]]), (0, [])]:
        assert same_as_orm(_contacts_lasting_at_most, case_id=world.a.pk, minutes=minutes) == expected, (
            minutes
        )


# --- Prefetching ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_prefetch_related_in_the_build_still_prefetches(world, django_assert_num_queries):
    for clients in [[world.a.client, world.b.client], [world.c.client], [world.b.client]]:
        ids = [client.pk for client in clients]
        with django_assert_num_queries(3):  # the clients, their cases, their contacts
            found = _clients_with_cases_and_contacts(ids=ids)
            prefetched = [(list(client.cases.all()), list(client.contacts.all())) for client in found]
        reference = orm(_clients_with_cases_and_contacts, ids=ids)
        assert found == reference == sorted(clients, key=lambda client: client.pk)
        assert prefetched == [(list(client.cases.all()), list(client.contacts.all())) for client in reference]
    assert prefetched == [([world.b], world.b_contacts[::-1])]


# --- Refusals ---------------------------------------------------------------------------------------------------


def test_a_build_that_closes_over_a_variable_is_refused():
    client_id = 1

    def consents() -> QuerySet[Consent]:
        return Consent.objects.filter(client_id=client_id)

    with pytest.raises(ImproperlyConfigured, match="closes over variables"):
        compiled(consents)


def test_a_bound_method_is_refused():
    class Queries:
        def consents(self, *, client_id: int) -> QuerySet[Consent]:
            return Consent.objects.filter(client_id=client_id)

    with pytest.raises(ImproperlyConfigured):
        compiled(Queries().consents)


@pytest.mark.django_db
def test_a_value_derived_from_a_parameter_is_refused(world):
    for _ in range(2):  # and not remembered as prepared
        with pytest.raises(ImproperlyConfigured, match="derived from the parameters"):
            _consents_valid_the_day_after(client_id=world.a.client_id, on=today())
    assert _consents_valid_the_day_after._prepared == {}


@pytest.mark.django_db
def test_a_derived_value_equal_to_the_next_parameters_sentinel_is_refused(world):
    with pytest.raises(ImproperlyConfigured, match="derived from the parameters"):
        _contacts_between_shifted(case_id=world.a.pk, start=days_ago(21), end=days_ago(5))


@pytest.mark.django_db
def test_reading_the_time_inside_the_build_is_refused(world):
    with pytest.raises(ImproperlyConfigured, match="read inside the function"):
        _contacts_recorded_before_now(case_id=world.a.pk)


@pytest.mark.django_db
def test_a_parameter_that_changes_the_sql_text_is_refused(world):
    with pytest.raises(ImproperlyConfigured, match=r"the SQL of _first_contacts changes"):
        _first_contacts(case_id=world.a.pk, limit=2)


@pytest.mark.django_db
def test_an_unsupported_parameter_type_is_refused(world):
    with pytest.raises(ImproperlyConfigured, match="Decimal is not supported"):
        _contacts_longer_than(case_id=world.a.pk, minutes=Decimal("30"))


@pytest.mark.django_db
def test_positional_arguments_are_refused(world):
    with pytest.raises(TypeError, match="keyword arguments only"):
        _consents_of(world.a.client_id)
    assert pks(_consents_of(client_id=world.b.client_id)) == pks(world.b_consents)


# --- The cache ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changed_settings_forget_the_compiled_queries(world, count_compiles):
    watch, compiles = count_compiles
    watch(_consents_of)
    watch(_contacts_of_cases)
    _consents_of(client_id=world.a.client_id)
    _contacts_of_cases(case_ids=[world.a.pk])
    assert _consents_of._prepared and _contacts_of_cases._prepared
    with override_settings(LANGUAGE_CODE="en"):
        assert _consents_of._prepared == {}
        assert _contacts_of_cases._prepared == {}
        assert pks(_consents_of(client_id=world.b.client_id)) == pks(world.b_consents)
        assert compiles(_consents_of) == 2
        assert _consents_of._prepared
    assert _consents_of._prepared == {}  # leaving the override changes the settings back
    assert pks(_consents_of(client_id=world.a.client_id)) == pks(
        orm(_consents_of, client_id=world.a.client_id)
    )
    assert compiles(_consents_of) == 3


@pytest.mark.django_db
def test_a_new_day_compiles_again_and_drops_the_old_days_queries(world, monkeypatch, count_compiles):
    watch, compiles = count_compiles
    watch(_consents_valid_today)
    watch(_consents_of)
    a = world.a_consents
    first_day = today()
    # a[1] is valid until today: valid today, not tomorrow.
    assert pks(_consents_valid_today(client_id=world.a.client_id)) == [a[0].pk, a[1].pk, a[2].pk]
    _consents_of(client_id=world.a.client_id)
    _consents_of(client_id=world.a.client_id)
    assert compiles(_consents_valid_today) == compiles(_consents_of) == 1
    assert {key[:2] for key in _consents_valid_today._prepared} == {("default", first_day)}

    next_day = first_day + timedelta(days=1)
    monkeypatch.setattr("polku.core.compiled.timezone.localdate", lambda *args, **kwargs: next_day)
    assert pks(_consents_valid_today(client_id=world.a.client_id)) == [a[0].pk, a[2].pk]
    assert pks(_consents_valid_today(client_id=world.a.client_id)) == pks(
        orm(_consents_valid_today, client_id=world.a.client_id)
    )
    assert compiles(_consents_valid_today) == 2
    assert {key[:2] for key in _consents_valid_today._prepared} == {("default", next_day)}
    assert len(_consents_valid_today._prepared) == 1
    _consents_of(client_id=world.b.client_id)
    assert compiles(_consents_of) == 2
    assert {key[1] for key in _consents_of._prepared} == {next_day}
