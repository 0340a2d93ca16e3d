"""`manage.py seed_demo`: the demo organisations and accounts, created once and never overwritten."""

from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.fi import ytunnus

from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User

DEMO_PASSWORD = "polku-demo"
DEMO_ROLES = {
    "worker@oulu.polku.example": Role.PERSONAL_WORKER,
    "nurse@oulu.polku.example": Role.NURSE,
    "psychologist@oulu.polku.example": Role.PSYCHOLOGIST,
    "coach@oulu.polku.example": Role.JOB_COACH,
    "manager@oulu.polku.example": Role.MANAGER,
    "worker@espoo.polku.example": Role.PERSONAL_WORKER,
    "host@kahvila.polku.example": Role.WORK_TRIAL_HOST,
    "admin@polku.example": Role.ADMINISTRATOR,
}


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)  # the `make run` case: debug on (see _demo_mode)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (User, Organisation, Unit, Membership)}


@pytest.fixture
def seeded(demo_once, db) -> str:
    """The demo seeded once for this module (tests/conftest.py); a test's own changes are rolled back."""
    return demo_once


def test_seed_demo_creates_exactly_the_seven_demo_accounts(seeded):
    """The figures' history (insights/demo.py) names workers who cannot log in: no password."""
    can_log_in = {user.email for user in User.objects.all() if user.has_usable_password()}
    assert can_log_in == set(DEMO_ROLES)


@pytest.mark.parametrize("email", list(DEMO_ROLES))
def test_each_demo_account_logs_in_with_the_demo_password_and_has_its_role(seeded, email):
    user = User.objects.get(email=email)
    assert user.check_password(DEMO_PASSWORD)
    assert user.is_active
    memberships = list(user.active_memberships())
    assert [m.role for m in memberships] == [DEMO_ROLES[email]]


def test_the_demo_roles_sit_in_the_stated_organisations(seeded):
    def organisation_of(email: str) -> Organisation:
        return Membership.objects.get(user__email=email).unit.organisation

    assert organisation_of("worker@oulu.polku.example").name == "Oulun kaupunki"
    assert organisation_of("coach@oulu.polku.example").name == "Oulun kaupunki"
    assert organisation_of("manager@oulu.polku.example").name == "Oulun kaupunki"
    assert organisation_of("nurse@oulu.polku.example").kind == OrganisationKind.WELLBEING_COUNTY
    assert organisation_of("worker@espoo.polku.example").name == "Espoon kaupunki"
    # The work trial host of the demo café that hosts a demo work trial (placements.demo).
    host = Membership.objects.select_related("unit__organisation").get(
        user__email="host@kahvila.polku.example"
    )
    assert (host.unit.organisation.name, host.unit.name) == ("Merikosken Kahvila Oy", "Kahvila")


def test_only_the_demo_administrator_may_administer(seeded):
    admins = [user.email for user in User.objects.all() if user.is_staff]
    assert admins == ["admin@polku.example"]


def test_the_demo_organisations_cover_the_service_network(seeded):
    names = list(Organisation.objects.values_list("name", flat=True))
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    # Rovaniemi (municipality code 698); Finnish names inflect it: "Rovaniemen kaupunki".
    assert Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, municipality_code="698", name__startswith="Rovaniem"
    ).exists()
    assert any("Kela" in name for name in names)
    assert Organisation.objects.filter(kind=OrganisationKind.KELA).exists()
    assert {
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.WELLBEING_COUNTY,
        OrganisationKind.NGO,
        OrganisationKind.EMPLOYER,
    } <= kinds
    assert Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).count() >= 2


def test_every_demo_business_id_is_valid_and_unique(seeded):
    business_ids = list(Organisation.objects.values_list("business_id", flat=True))
    assert business_ids
    for business_id in business_ids:
        assert ytunnus.is_valid(business_id), business_id
        assert ytunnus.format(business_id) == business_id
    assert len(set(business_ids)) == len(business_ids)


def test_every_demo_organisation_passes_validation(seeded):
    for organisation in Organisation.objects.all():
        organisation.full_clean()


def test_running_it_twice_changes_no_counts(seeded):
    before = counts()
    seed()
    assert counts() == before


def test_a_password_and_a_name_changed_between_runs_are_kept(seeded):
    user = User.objects.get(email="worker@oulu.polku.example")
    user.set_password("oma-uusi-salasana-2025")
    user.first_name = "Muutettu"
    user.save()

    seed()
    user.refresh_from_db()
    assert user.check_password("oma-uusi-salasana-2025")
    assert not user.check_password(DEMO_PASSWORD)
    assert user.first_name == "Muutettu"


def test_an_ended_demo_membership_is_not_restored_as_a_second_one(seeded):
    membership = Membership.objects.get(user__email="coach@oulu.polku.example")
    Membership.objects.filter(pk=membership.pk).update(valid_until=membership.valid_from)
    seed()
    assert Membership.objects.filter(user__email="coach@oulu.polku.example").count() == 1


def test_the_output_lists_the_accounts_and_the_password(seeded):
    assert "Demo data is ready." in seeded
    assert f"password for all: {DEMO_PASSWORD}" in seeded
    for email in DEMO_ROLES:
        assert email in seeded
    assert "administrator" in seeded


def test_the_demo_host_lands_on_the_cafes_work_trial(seeded, settings):
    from tests.conftest import client_as

    settings.REQUIRE_MFA = False  # as `make run` has it; the demo users have no authenticator

    host = Membership.objects.get(user__email="host@kahvila.polku.example")
    response = client_as(host).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/placements/hosted/"
    rows = response.context["rows"]
    assert [row.host_unit for row in rows] == [host.unit]
