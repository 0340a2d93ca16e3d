"""/role/: the user picks the organisation and role they work in for this session."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from polku.accounts.middleware import SESSION_KEY
from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from tests.factories import make_membership, make_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHOOSE_URL = reverse("accounts:choose_membership")
CASELOAD_URL = reverse("clients:caseload")
IPS_CASELOAD_URL = "/ips/"


def logged_in(user) -> Client:
    """Logged in, but no membership chosen for the session yet (as right after login)."""
    client = Client()
    client.force_login(user)
    return client


def header(response) -> str:
    """The "working as" part of the page header, or "" when the page shows none."""
    match = re.search(r'data-testid="active-membership">(.*?)</p>', response.content.decode(), re.S)
    return match.group(1) if match else ""


@pytest.fixture
def two_roles(worker, espoo):
    """The worker also works in Espoo as a job coach."""
    second = make_membership(
        user=worker.user, unit=make_unit(organisation=espoo, name="IPS"), role=Role.JOB_COACH
    )
    return worker, second


def test_a_single_active_membership_is_chosen_automatically(worker):
    client = logged_in(worker.user)
    response = client.get("/", follow=True, **EN)
    assert response.redirect_chain == [(CASELOAD_URL, 302)]
    assert response.status_code == 200
    assert "Personal worker" in header(response)
    assert "Oulun kaupunki (testi)" in header(response)
    assert client.session[SESSION_KEY] == worker.pk


def test_a_user_with_two_memberships_is_sent_from_home_to_the_chooser(two_roles):
    client = logged_in(two_roles[0].user)
    response = client.get("/", **EN)
    assert response.status_code == 302
    assert response.url == "/role/?next=%2F"
    assert SESSION_KEY not in client.session


def test_the_chooser_lists_both_memberships(two_roles):
    client = logged_in(two_roles[0].user)
    response = client.get(CHOOSE_URL, {"next": "/"}, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose your role" in page
    assert "Oulun kaupunki (testi) – PALO-tiimi: Personal worker" in page
    assert "Espoon kaupunki (testi) – IPS: Job coach (IPS)" in page
    for membership in two_roles:
        assert f'value="{membership.public_id}"' in page


def test_choosing_a_membership_makes_it_the_active_one_and_is_audited(two_roles):
    worker, coach = two_roles
    client = logged_in(worker.user)
    response = client.post(CHOOSE_URL, {"membership": str(coach.public_id), "next": "/"}, **EN)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[SESSION_KEY] == coach.pk

    home = client.get("/", follow=True, **EN)
    assert home.redirect_chain == [(IPS_CASELOAD_URL, 302)]  # a job coach starts from their IPS caseload
    assert home.status_code == 200
    assert "Job coach (IPS)" in header(home)
    assert "Espoon kaupunki (testi)" in header(home)

    event = AuditEvent.objects.get(action="membership.choose")
    assert event.actor == worker.user
    assert event.membership == coach
    assert event.organisation == coach.unit.organisation
    assert event.object_id == str(coach.public_id)


def test_the_user_can_switch_to_another_membership_later(two_roles):
    worker, coach = two_roles
    client = logged_in(worker.user)
    client.post(CHOOSE_URL, {"membership": str(coach.public_id)})
    client.post(CHOOSE_URL, {"membership": str(worker.public_id)})
    assert client.session[SESSION_KEY] == worker.pk
    assert "Personal worker" in header(client.get("/", follow=True, **EN))


def test_an_outside_next_address_is_ignored(two_roles):
    client = logged_in(two_roles[0].user)
    response = client.post(
        CHOOSE_URL, {"membership": str(two_roles[1].public_id), "next": "https://evil.example/steal"}
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_choosing_another_users_membership_is_refused_and_changes_nothing(two_roles, outsider):
    worker, _ = two_roles
    client = logged_in(worker.user)
    response = client.post(CHOOSE_URL, {"membership": str(outsider.public_id), "next": "/"}, **EN)
    assert response.status_code == 200
    assert "That role is not available to you. Choose one of the listed roles." in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action="membership.choose").exists()
    assert client.get("/").status_code == 302  # still has to choose


def test_choosing_another_users_membership_does_not_replace_the_current_one(worker, outsider):
    client = logged_in(worker.user)
    client.get("/")
    response = client.post(CHOOSE_URL, {"membership": str(outsider.public_id)}, **EN)
    assert response.status_code == 200
    assert "That role is not available to you." in response.content.decode()
    assert client.session[SESSION_KEY] == worker.pk
    assert "Personal worker" in header(client.get("/", follow=True, **EN))


def test_sending_no_choice_asks_for_one(two_roles):
    client = logged_in(two_roles[0].user)
    # The page's form always sends its hidden "next" field, even with no radio button chosen.
    response = client.post(CHOOSE_URL, {"next": "/"}, **EN)
    assert response.status_code == 200
    assert "Choose the organisation and role you are working in." in response.content.decode()


def test_an_expired_membership_is_not_offered_nor_accepted(two_roles):
    worker, _ = two_roles
    old = make_membership(
        user=worker.user,
        unit=make_unit(name="Vanha tiimi"),
        role=Role.SOCIAL_WORKER,
        valid_from=date(2020, 1, 1),
        valid_until=date(2020, 12, 31),
    )
    client = logged_in(worker.user)
    page = client.get(CHOOSE_URL, **EN).content.decode()
    assert "Vanha tiimi" not in page
    assert str(old.public_id) not in page

    response = client.post(CHOOSE_URL, {"membership": str(old.public_id)}, **EN)
    assert "That role is not available to you." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_expired_membership_beside_one_active_one_leaves_the_active_one_chosen(worker):
    make_membership(
        user=worker.user, role=Role.NURSE, valid_from=date(2020, 1, 1), valid_until=date(2020, 12, 31)
    )
    client = logged_in(worker.user)
    response = client.get("/", follow=True, **EN)
    assert response.redirect_chain == [(CASELOAD_URL, 302)]
    assert response.status_code == 200
    assert "Personal worker" in header(response)


def test_a_user_whose_only_membership_ended_sees_the_no_active_role_message(db):
    ended = make_membership(valid_from=date(2020, 1, 1), valid_until=date(2020, 12, 31))
    client = logged_in(ended.user)
    response = client.get("/", **EN)
    assert response.status_code == 302
    assert response.url == "/role/?next=%2F"

    page = client.get(response.url, **EN).content.decode()
    assert "You have no active role in any organisation." in page
    assert 'name="membership"' not in page
    assert header(client.get(CHOOSE_URL, **EN)) == ""


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get(CHOOSE_URL)
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/role/"


def test_an_empty_post_asks_for_a_choice_and_changes_nothing(two_roles):
    first, _second = two_roles
    client = logged_in(first.user)
    response = client.post(reverse("accounts:choose_membership"), {}, **EN)
    assert response.status_code == 200
    assert "Choose the organisation and role you are working in." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_chooser_preselects_the_role_in_use(two_roles):
    first, second = two_roles
    client = logged_in(first.user)
    client.post(reverse("accounts:choose_membership"), {"membership": str(second.public_id)})
    page = client.get(reverse("accounts:choose_membership"), **EN).content.decode()
    checked = re.findall(
        r'<input[^>]*value="([0-9a-f-]+)"[^>]*checked|<input[^>]*checked[^>]*value="([0-9a-f-]+)"', page
    )
    assert [a or b for a, b in checked] == [str(second.public_id)]


def test_changing_role_gives_the_session_a_new_key(two_roles):
    first, second = two_roles
    client = logged_in(first.user)
    before = client.session.session_key
    client.post(reverse("accounts:choose_membership"), {"membership": str(second.public_id)})
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == second.pk
