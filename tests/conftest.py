from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from polku.accounts.middleware import SESSION_KEY
from polku.accounts.models import Membership, OrganisationKind, Role
from tests.factories import make_membership, make_organisation, make_unit

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _close_stray_database_sessions(django_db_setup, django_db_blocker):
    """The live server answers each browser request in a daemon thread; one still finishing when the
    session ends keeps a PostgreSQL connection open and the test database cannot be dropped. End such
    sessions before pytest-django drops the database."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing is deliberately slow; tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test(settings, tmp_path):
    # The audit chain is compared with the newest checkpoint in this file: one per test, never the
    # checkout's var/ (which `make run`'s database fills).
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture(autouse=True)
def _clean_cache():
    # Login rate limits live in the cache; one test's failed logins must not lock out the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def oulu(db):
    return make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")


@pytest.fixture
def espoo(db):
    return make_organisation(name="Espoon kaupunki (testi)", municipality_code="049")


@pytest.fixture
def worker(oulu) -> Membership:
    """Personas: the Oulu personal worker..."""
    return make_membership(unit=make_unit(organisation=oulu, name="PALO-tiimi"), role=Role.PERSONAL_WORKER)


@pytest.fixture
def colleague(worker) -> Membership:
    """...a colleague in the same unit..."""
    return make_membership(unit=worker.unit, role=Role.NURSE)


@pytest.fixture
def outsider(espoo) -> Membership:
    """...a worker of another organisation..."""
    return make_membership(unit=make_unit(organisation=espoo, name="Työkykytiimi"), role=Role.PERSONAL_WORKER)


@pytest.fixture
def manager(oulu) -> Membership:
    """...a manager/analyst..."""
    return make_membership(unit=make_unit(organisation=oulu, name="Johto"), role=Role.MANAGER)


@pytest.fixture
def administrator(db) -> Membership:
    """...and an administrator."""
    platform = make_organisation(
        name="Hyvinvointialue (testi)", kind=OrganisationKind.WELLBEING_COUNTY, municipality_code=""
    )
    return make_membership(unit=make_unit(organisation=platform, name="Ylläpito"), role=Role.ADMINISTRATOR)


def client_as(membership: Membership) -> Client:
    """A test client logged in as the membership's user, with that membership active."""
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    return client


@pytest.fixture(autouse=True)
def _municipalities(request):
    """The municipality list comes from a data migration; a transactional test (live server, browser)
    flushes the tables after itself, so put the list back for whichever database test comes next."""
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    restore_municipalities()


def restore_municipalities() -> None:
    import csv
    from pathlib import Path

    from polku.clients.models import Municipality

    if Municipality.objects.exists():
        return
    source = Path(__file__).resolve().parents[1] / "src" / "polku" / "clients" / "data" / "municipalities.csv"
    rows = [line for line in source.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    Municipality.objects.bulk_create(
        [Municipality(**row) for row in csv.DictReader(rows)], ignore_conflicts=True
    )


@pytest.fixture(autouse=True)
def _screening_rules(request, _municipalities):
    """The default screening rules come from a data migration too: put them back after a flush."""
    names = set(request.fixturenames)
    if not names & {"db", "transactional_db", "live_server"}:
        return
    restore_screening_rules()


def restore_screening_rules() -> None:
    from polku.screening.models import ScreeningRule

    if ScreeningRule.objects.exists():
        return
    import importlib

    defaults = importlib.import_module("polku.screening.migrations.0002_default_rules")
    for code, name, kind, priority, conditions in defaults.RULES:
        ScreeningRule.objects.create(
            code=code, name=name, need_kind=kind, priority=priority, conditions=conditions
        )


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """`manage.py seed_demo` (debug on, as `make run` has it) once for a whole test module: the demo takes
    seconds (the figures' history goes through the services), and a module whose tests only build on it
    need not pay for it in each test. It is seeded in a transaction rolled back when the module ends; each
    test runs in its own savepoint inside it (pytest-django's `db`, requested next to this fixture), so
    what one test changes, the next never sees. Yields the command's output. A module that uses it keeps
    its tests that need an empty database elsewhere: once seeded, the demo is there for every test of
    the module that runs after."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    checkpoints = tmp_path_factory.mktemp("demo-once") / "audit-checkpoints.jsonl"
    out = StringIO()
    with (
        django_db_blocker.unblock(),
        # What the autouse fixtures below set per test, for the seeding that runs before them.
        override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS, AUDIT_CHECKPOINT_FILE=checkpoints),
        transaction.atomic(),
    ):
        restore_municipalities()  # a transactional test before this module may have flushed them
        restore_screening_rules()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
