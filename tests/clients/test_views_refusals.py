"""Who may open which client page: staff outside the team never learn the client exists, team members
who do not own the case may read and record contacts but not manage it, and anonymous or wrong-method
requests are turned away before any client data is read."""

import pytest
from django.urls import reverse

from polku.accounts.middleware import SESSION_KEY
from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients.models import Contact
from tests.clients.conftest import (
    CLIENT_GET_PAGES,
    CLIENT_POST_PAGES,
    EN,
    MANAGE_PAGES,
    events,
    stored_state,
)
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

OUTSIDERS = ["outsider", "unit_worker", "manager", "job_coach"]


@pytest.fixture(params=OUTSIDERS)
def stranger(request):
    """Staff who are not on the client's team: another organisation's personal worker, a personal worker
    of the same unit, the manager, and a job coach of the same organisation."""
    return request.getfixturevalue(request.param)


def refusals_by(membership, client):
    return list(
        AuditEvent.objects.filter(
            action="permission.refused", membership=membership, client_id=client.public_id
        )
    )


@pytest.mark.parametrize("page", CLIENT_GET_PAGES)
def test_staff_outside_the_team_get_404_for_every_page_of_the_client_and_the_attempt_is_logged(
    world, stranger, page
):
    response = client_as(stranger).get(world.url(page), **EN)

    assert response.status_code == 404
    assert world.client.last_name not in response.content.decode()
    [refusal] = refusals_by(stranger, world.client)
    assert refusal.organisation_id == stranger.unit.organisation_id
    assert not AuditEvent.objects.filter(membership=stranger, action="client.view").exists()


@pytest.mark.parametrize("page", CLIENT_POST_PAGES)
def test_staff_outside_the_team_cannot_post_to_any_page_of_the_client_and_nothing_changes(
    world, stranger, page
):
    before = stored_state()

    response = client_as(stranger).post(world.url(page), world.valid_post(page), **EN)

    assert response.status_code == 404
    assert stored_state() == before
    assert len(refusals_by(stranger, world.client)) == 1
    assert not AuditEvent.objects.filter(membership=stranger, action="client.identity_code.reveal").exists()


@pytest.mark.parametrize("page", [p for p in CLIENT_POST_PAGES if p != "open_case"])
def test_the_same_posts_from_the_personal_worker_are_accepted(world, page):
    # The control for the refusals above: each body is valid, so the 404s come from who sent it.
    before = stored_state()

    response = client_as(world.worker).post(world.url(page), world.valid_post(page), **EN)

    assert response.status_code == (200 if page == "identity_code" else 302)
    if page != "identity_code":
        assert stored_state() != before
    assert not AuditEvent.objects.filter(action="permission.refused").exists()


def test_a_client_id_that_does_not_exist_is_404_without_naming_any_client(worker):
    response = client_as(worker).get("/clients/00000000-0000-4000-8000-000000000000/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="permission.refused").exists()


# --- Team members who are not the case's personal worker ------------------------------------------


def test_a_team_member_sees_the_overview_but_not_the_links_to_manage_the_case(world, colleague):
    response = client_as(colleague).get(world.url("detail"), **EN)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Aino Asiakas" in page
    assert "Record a contact" in page
    assert world.url("change_status") not in page
    assert world.url("close_case") not in page
    assert world.url("hand_over") not in page
    assert world.url("add_team_member") not in page
    assert events("client.view", world.client)[-1].membership == colleague


def test_a_team_member_records_a_contact_in_her_own_register(world, colleague):
    form = client_as(colleague).get(world.url("record_contact"), **EN)
    assert form.status_code == 200
    assert form.context["form"].initial["register"] == "health"

    response = client_as(colleague).post(
        world.url("record_contact"),
        {
            "kind": "phone",
            "happened_on": world.case.opened_on.isoformat(),
            "register": "health",
            "note": "Soitto.",
        },
    )

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.author, contact.register, contact.note) == (colleague, "health", "Soitto.")


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_a_team_member_gets_403_on_the_pages_that_manage_the_case(world, colleague, page):
    response = client_as(colleague).get(world.url(page), **EN)

    assert response.status_code == 403
    [refusal] = refusals_by(colleague, world.client)
    assert refusal.details["action"] == "case.manage"


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_a_team_member_posting_to_a_page_that_manages_the_case_changes_nothing(world, colleague, page):
    before = stored_state()

    response = client_as(colleague).post(world.url(page), world.valid_post(page), **EN)

    assert response.status_code == 403
    assert stored_state() == before
    assert len(refusals_by(colleague, world.client)) == 1


def test_a_team_member_who_is_not_a_personal_worker_cannot_open_another_case(world, colleague):
    # case.open is hidden (404) even from a team member, who knows the client exists.
    response = client_as(colleague).get(world.url("open_case"))

    assert response.status_code == 404
    assert refusals_by(colleague, world.client)[0].details["action"] == "case.open"


def test_a_former_team_member_is_refused_like_any_stranger(world, colleague):
    ended = client_as(world.worker).post(world.url("end_team_membership"), {"confirm": "yes"})
    assert ended.status_code == 302

    response = client_as(colleague).get(world.url("detail"))

    assert response.status_code == 404
    assert len(refusals_by(colleague, world.client)) == 1


# --- Anonymous requests, wrong methods, no role chosen ---------------------------------------------


@pytest.mark.parametrize("page", [*CLIENT_GET_PAGES, "break_glass"])
def test_an_anonymous_visitor_is_sent_to_log_in(world, page):
    from django.test import Client

    response = Client().get(world.url(page))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={world.url(page)}"


@pytest.mark.parametrize("url", ["/caseload/", "/clients/new/"])
def test_an_anonymous_visitor_is_sent_to_log_in_from_the_caseload_and_the_new_client_form(db, url):
    from django.test import Client

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('account_login')}?next=")


def test_an_anonymous_post_to_reveal_the_identity_code_is_sent_to_log_in_and_reveals_nothing(world):
    from django.test import Client

    response = Client().post(world.url("identity_code"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not events("client.identity_code.reveal")


@pytest.mark.parametrize(
    ("method", "page"),
    [
        ("get", "identity_code"),
        ("post", "detail"),
        ("post", "access_report"),
        ("post", "export"),
        ("post", "export_json"),
        ("put", "close_case"),
        ("delete", "end_team_membership"),
    ],
)
def test_a_wrong_method_is_405_and_reveals_nothing(world, method, page):
    response = getattr(client_as(world.worker), method)(world.url(page))

    assert response.status_code == 405
    assert not events("client.identity_code.reveal")
    assert not events("client.view", world.client)


@pytest.mark.parametrize(("method", "url"), [("post", "/caseload/"), ("get", "/caseload/search/")])
def test_the_caseload_and_its_search_accept_only_their_own_method(worker, method, url):
    response = getattr(client_as(worker), method)(url)

    assert response.status_code == 405


def test_a_user_with_two_roles_and_none_chosen_is_asked_to_choose_one(world):
    make_membership(user=world.worker.user, unit=make_unit(), role=Role.NURSE)
    browser = client_as(world.worker)
    session = browser.session
    del session[SESSION_KEY]
    session.save()

    response = browser.get(world.url("detail"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:choose_membership"))
    assert not events("client.view", world.client)
