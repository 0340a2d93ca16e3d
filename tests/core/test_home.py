"""The home page and the workspace: where each user starts, who they are working as, and the language
they read it in. Staff who work with clients start from their caseload; the workspace moved to
/workspace/."""

import re

import pytest
from django.templatetags.static import static
from django.test import Client

from polku.accounts.models import Role
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
WORKSPACE = "/workspace/"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def facts(response) -> dict[str, str]:
    """The "You are working as" list, as {label: value}."""
    section = re.search(r'<dl class="polku-facts">(.*?)</dl>', response.content.decode(), re.S).group(1)
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section))


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_a_personal_worker_starts_from_the_caseload(worker):
    response = client_as(worker).get("/", **EN)
    assert response.status_code == 302
    assert response.url == "/caseload/"


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_other_staff_who_work_with_clients_start_from_the_caseload_too(request, persona):
    response = client_as(request.getfixturevalue(persona)).get("/", **EN)
    assert response.status_code == 302
    assert response.url == "/caseload/"


@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_staff_who_do_not_work_with_clients_see_the_workspace_at_home(request, persona):
    response = client_as(request.getfixturevalue(persona)).get("/", **EN)
    assert response.status_code == 200
    assert "You are working as" in response.content.decode()
    assert (
        facts(response)["Role"] == {"manager": "Manager / analyst", "administrator": "Administrator"}[persona]
    )


def test_the_worker_sees_their_name_role_unit_and_organisation(worker):
    worker.user.first_name, worker.user.last_name = "Outi", "Testinen"
    worker.user.save()
    response = client_as(worker).get(WORKSPACE, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Welcome, Outi" in page
    assert facts(response) == {
        "Name": "Outi Testinen",
        "Email": worker.user.email,
        "Role": "Personal worker",
        "Unit": "PALO-tiimi",
        "Organisation": "Oulun kaupunki (testi) (Municipality)",
    }


def test_the_outsider_sees_their_own_organisation_and_not_the_workers(outsider, worker):
    response = client_as(outsider).get(WORKSPACE, **EN)
    assert facts(response)["Organisation"] == "Espoon kaupunki (testi) (Municipality)"
    assert "Oulun kaupunki" not in response.content.decode()
    assert worker.user.email not in response.content.decode()


def test_the_administrator_sees_the_administration_link(administrator):
    page = client_as(administrator).get(WORKSPACE, **EN).content.decode()
    assert 'href="/admin/"' in page
    assert "Administration: organisations, units, users and roles" in page


@pytest.mark.parametrize("persona", ["worker", "colleague", "manager"])
def test_other_roles_see_no_administration_link(request, persona):
    page = client_as(request.getfixturevalue(persona)).get(WORKSPACE, **EN).content.decode()
    assert 'href="/admin/"' not in page
    assert "Administration" not in page


def test_a_user_with_two_roles_is_offered_the_switch(worker, espoo):
    make_membership(user=worker.user, unit=make_unit(organisation=espoo), role=Role.JOB_COACH)
    page = client_as(worker).get(WORKSPACE, **EN).content.decode()
    assert "Work in another role" in page


def test_a_user_with_one_role_is_not_offered_the_switch(worker):
    assert "Work in another role" not in client_as(worker).get(WORKSPACE, **EN).content.decode()


def test_finnish_is_the_default_language(worker):
    response = client_as(worker).get(WORKSPACE)
    assert html_lang(response) == "fi"
    assert response["Content-Language"] == "fi"


def test_a_swedish_browser_gets_swedish(worker):
    response = client_as(worker).get(WORKSPACE, HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")
    assert html_lang(response) == "sv"


def test_an_unsupported_browser_language_falls_back_to_finnish(worker):
    response = client_as(worker).get(WORKSPACE, HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(response) == "fi"


def test_choosing_english_from_the_language_menu_switches_the_pages_to_english(worker):
    client = client_as(worker)
    assert html_lang(client.get(WORKSPACE)) == "fi"
    response = client.post("/i18n/setlang/", {"language": "en", "next": WORKSPACE})
    assert response.status_code == 302
    assert response.url == WORKSPACE

    home = client.get(WORKSPACE)
    assert html_lang(home) == "en"
    assert "You are working as" in home.content.decode()
    assert facts(home)["Role"] == "Personal worker"


def test_the_language_menu_offers_the_three_languages(worker):
    page = client_as(worker).get(WORKSPACE).content.decode()
    for code in ("fi", "sv", "en"):
        assert f'name="language" value="{code}"' in page


def test_favicon_ico_leads_to_the_polku_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("polku/favicon.svg")


def test_the_workspace_costs_the_same_few_queries_whatever_else_is_stored(worker, django_assert_num_queries):
    # Session, then the user with their active memberships (one query): the two-factor check costs nothing once the session knows the
    # user has an authenticator, and the session is saved only when its expiry is a minute old.
    client = client_as(worker)
    client.get(WORKSPACE)
    with django_assert_num_queries(2):
        client.get(WORKSPACE)
    make_membership(user=worker.user, unit=worker.unit, role=Role.MANAGER)
    make_membership()
    with django_assert_num_queries(2):
        client.get(WORKSPACE)


def header_nav(response) -> list[str]:
    nav = re.search(r'<nav class="polku-nav"[^>]*>(.*?)</nav>', response.content.decode(), re.S).group(1)
    return re.findall(r">([^<>]+)</a>", nav)


def current_language_button(response) -> str:
    return re.search(
        r'<button[^>]*aria-current="true"[^>]*>([^<]+)</button>', response.content.decode()
    ).group(1)


def test_the_header_follows_each_requests_role_and_language_though_its_parts_are_made_once(worker, db):
    # The navigation and the language buttons are made once per process for each role and language
    # (core/templatetags/polku_layout.py, accounts/templatetags/polku_roles.py): each request must still get its own role's and language's.
    host = make_membership(role=Role.WORK_TRIAL_HOST)
    en_worker = client_as(worker).get(WORKSPACE, **EN)
    assert header_nav(en_worker) == [
        "Caseload",
        "Early identification",
        "Service catalogue",
        "Incoming referrals",
        "Your account",
    ]
    assert current_language_button(en_worker) == "English"
    assert "Personal worker" in en_worker.content.decode()

    en_host = client_as(host).get("/placements/hosted/", **EN)
    assert header_nav(en_host) == ["Placements you host"]

    fi_worker = client_as(worker).get(WORKSPACE)
    assert header_nav(fi_worker)[0] == "Asiakkaani"
    assert current_language_button(fi_worker) == "Suomi"
    sv_worker = client_as(worker).get(WORKSPACE, HTTP_ACCEPT_LANGUAGE="sv")
    assert current_language_button(sv_worker) == "Svenska"
    assert "Caseload" not in header_nav(sv_worker)
    assert header_nav(client_as(worker).get(WORKSPACE, **EN)) == header_nav(en_worker)


def test_the_header_links_the_static_files_as_the_static_tag_would(worker):
    page = client_as(worker).get(WORKSPACE).content.decode()
    assert f'href="{static("vendor/hds-core/base.min.css")}"' in page
    assert f'src="{static("polku/polku.js")}" defer' in page
    assert f'href="{static("polku/favicon.svg")}" type="image/svg+xml"' in page


def cards(response, testid: str) -> list[str]:
    """The card headings of a workspace section, as text."""
    section = re.search(rf'data-testid="{testid}">(.*?)</ul>', response.content.decode(), re.S)
    if section is None:
        return []
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h3[^>]*>(.*?)</h3>", section.group(1))]


def test_the_workspace_links_the_areas_a_personal_worker_can_use_and_lists_only_what_is_to_come(worker):
    response = client_as(worker).get(WORKSPACE, **EN)
    assert cards(response, "areas") == [
        "Caseload",
        "Early identification",
        "Service catalogue",
        "Incoming referrals",
    ]
    assert (
        '<a class="hds-link" href="/intake/worklist/">Early identification</a>' in response.content.decode()
    )
    assert cards(response, "areas-to-come") == ["Knowledge-based management"]


def test_a_manager_sees_only_the_areas_their_role_opens(manager):
    response = client_as(manager).get(WORKSPACE, **EN)
    assert "Caseload" not in cards(response, "areas")
    assert "Incoming referrals" not in cards(response, "areas")
    for title in cards(response, "areas"):
        link = re.search(rf'href="([^"]+)">{re.escape(title)}</a>', response.content.decode()).group(1)
        assert client_as(manager).get(link).status_code == 200
