"""The catalogue page and a service's page: search and filters, pagination, the empty states, the way to
refer from a case, exact query counts, and who may open them."""

from __future__ import annotations

import pytest

from polku.accounts.models import Role
from tests.clients.conftest import EN, text
from tests.conftest import client_as
from tests.factories import make_membership, make_service, make_unit

# Measured: session, the user with their active memberships, the services' count and page, their locations, the category and
# municipality filter options.
CATALOGUE_QUERIES = 7


def names(response) -> list[str]:
    return [service.name_fi for service in response.context["services"]]


@pytest.fixture
def services_(db):
    return [
        make_service(name="Mieli", need_kinds=["mental_health"], languages=["fi", "sv"]),
        make_service(name="Päihde", category="substance-services", need_kinds=["substance_use"]),
        make_service(
            name="Rovaniemen kuty",
            category="rehabilitative-work-activity",
            need_kinds=["everyday_functioning"],
            municipality="698",
        ),
        make_service(name="Suljettu", is_active=False),
    ]


def test_the_catalogue_lists_active_services(worker, services_):
    response = client_as(worker).get("/services/", **EN)

    assert response.status_code == 200
    assert names(response) == ["Mieli", "Päihde", "Rovaniemen kuty"]
    assert "3 services" in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("need=mental_health", ["Mieli"]),
        ("need=substance_use", ["Päihde"]),
        ("category=rehabilitative-work-activity", ["Rovaniemen kuty"]),
        ("municipality=698", ["Rovaniemen kuty"]),
        ("language=sv", ["Mieli"]),
        ("q=päihde", ["Päihde"]),
        ("need=mental_health&municipality=698", []),
    ],
)
def test_search_and_filters(worker, services_, query, expected):
    assert names(client_as(worker).get(f"/services/?{query}")) == expected


def test_no_match_says_so_and_offers_to_clear(worker, services_):
    response = client_as(worker).get("/services/?need=housing", **EN)

    assert "No services match the search or filters." in text(response)


def test_an_empty_catalogue_says_so(worker):
    response = client_as(worker).get("/services/", **EN)

    assert "The catalogue has no services yet." in text(response)


def test_the_catalogue_is_paginated(worker):
    for n in range(25):
        make_service(name=f"Palvelu {n:02d}")
    browser = client_as(worker)

    first, second = browser.get("/services/", **EN), browser.get("/services/?page=2", **EN)

    assert len(first.context["services"]) == 20 and len(second.context["services"]) == 5
    assert "Page 2 of 2" in text(second)


@pytest.mark.parametrize("count", [1, 30])
def test_the_catalogue_runs_the_same_queries_with_one_and_with_thirty_services(
    worker, count, django_assert_num_queries
):
    for _ in range(count):
        make_service()
    browser = client_as(worker)
    browser.get("/services/")

    with django_assert_num_queries(CATALOGUE_QUERIES):
        response = browser.get("/services/?need=mental_health")

    assert len(response.context["services"]) == min(count, 20)


def test_from_a_case_the_service_page_offers_to_refer_the_client(worker, case, services_):
    response = client_as(worker).get(f"/services/{services_[0].public_id}/?case={case.public_id}", **EN)

    assert response.status_code == 200
    assert f"/cases/{case.public_id}/referrals/new/?service={services_[0].public_id}" in text(response)
    assert "Refer Aino Asiakas to this service" in text(response)


def test_the_service_page_shows_what_the_catalogue_holds(worker, services_):
    response = client_as(worker).get(f"/services/{services_[0].public_id}/", **EN)
    page = text(response)

    assert "Mental health" in page and "Finnish, Swedish" in page
    assert "Testikatu 1, 90100 Oulu" in page and "Esteetön." in page
    assert "The provider is not in Polku" in page
    assert "Refer" not in page.split("About the service")[0].split("Back to the catalogue")[1]


def test_a_case_another_organisation_holds_gives_no_refer_button(outsider, case, services_):
    response = client_as(outsider).get(f"/services/{services_[0].public_id}/?case={case.public_id}", **EN)

    assert response.status_code == 200
    assert "referrals/new" not in text(response)


def test_a_work_trial_host_gets_no_catalogue(oulu, services_):
    host = make_membership(unit=make_unit(organisation=oulu), role=Role.WORK_TRIAL_HOST)
    browser = client_as(host)

    assert browser.get("/services/").status_code == 403
    assert browser.get(f"/services/{services_[0].public_id}/").status_code == 403


def test_an_unknown_service_is_404(worker):
    assert client_as(worker).get("/services/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_an_administrator_adds_a_category_and_the_change_is_audited(administrator):
    from polku.audit.models import AuditEvent
    from polku.network.models import TaxonomyTerm

    response = client_as(administrator).post(
        "/admin/services/taxonomyterm/add/",
        {
            "code": "peer-support",
            "name_fi": "Vertaistuki",
            "name_sv": "",
            "name_en": "Peer support",
            "description": "",
            "position": "500",
            "register": "social",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    term = TaxonomyTerm.objects.get(code="peer-support")
    assert (term.name_en, term.register) == ("Peer support", "social")
    assert AuditEvent.objects.filter(action="admin.add", membership=administrator).count() == 1


def test_the_admin_chooses_needs_and_languages_with_checkboxes(administrator, services_):
    page = text(client_as(administrator).get(f"/admin/services/service/{services_[0].pk}/change/", **EN))

    assert 'type="checkbox" name="need_kinds" value="mental_health"' in page
    assert 'name="languages" value="sv"' in page


def test_opening_the_catalogue_for_a_client_is_an_audited_read(worker, case, services_):
    from polku.audit.models import AuditEvent

    client_as(worker).get(f"/services/?case={case.public_id}")

    assert AuditEvent.objects.filter(
        action="client.view", client_id=case.client.public_id, details__page="catalogue"
    ).exists()


def test_a_service_is_found_by_its_providers_and_its_own_swedish_names_and_shown_in_swedish(
    worker, services_
):
    from polku.network.models import Provider

    mieli = services_[0]
    Provider.objects.filter(pk=mieli.provider_id).update(name_sv="Sinnesstiftelsen")
    mieli.name_sv, mieli.description_sv = "Mentalvård", "Stöd för vuxna."
    mieli.save(update_fields=["name_sv", "description_sv"])

    by_provider = client_as(worker).get("/services/?q=sinnesstiftelsen", HTTP_ACCEPT_LANGUAGE="sv")
    by_description = client_as(worker).get("/services/?q=vuxna", HTTP_ACCEPT_LANGUAGE="sv")
    in_finnish = client_as(worker).get("/services/?q=sinnesstiftelsen", HTTP_ACCEPT_LANGUAGE="fi")

    assert names(by_provider) == names(by_description) == names(in_finnish) == ["Mieli"]
    assert "Mentalvård" in text(by_provider) and "Sinnesstiftelsen" in text(by_provider)
    assert "Sinnesstiftelsen" not in text(in_finnish)
