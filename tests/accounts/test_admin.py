"""The Django admin: only for an active administrator membership; everyone else is refused and audited."""

from datetime import date

import pytest
from django.test import Client

from polku.accounts.models import Organisation, OrganisationKind, Role
from polku.audit.models import AuditEvent
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ADD_ORGANISATION = "/admin/accounts/organisation/add/"


def organisation_form(**fields) -> dict[str, str]:
    data = {
        "kind": OrganisationKind.NGO,
        "name": "Synteettinen Tuki ry",
        "business_id": "1234567-1",
        "municipality_code": "564",
        "is_active": "on",
        "units-TOTAL_FORMS": "1",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "1000",
        "units-0-name": "Verstas",
        "units-0-is_active": "on",
        "_save": "Save",
    }
    data.update(fields)
    return data


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="permission.refused", details__action="admin.access"))


def test_an_anonymous_visitor_ends_at_the_login_page(db):
    response = Client().get("/admin/", follow=True, **EN)
    assert response.status_code == 200
    final_url, _ = response.redirect_chain[-1]
    assert final_url.startswith("/accounts/login/?next=")
    assert "/admin/" in final_url
    assert "Log in to Polku" in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_an_anonymous_visitor_gets_no_admin_page_of_its_own(db):
    response = Client().get("/admin/login/", **EN)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/organisation/", ADD_ORGANISATION])
def test_a_worker_is_refused_the_admin_and_the_refusal_is_audited(worker, path):
    response = client_as(worker).get(path, **EN)
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    [event] = refusals()
    assert event.actor == worker.user
    assert event.membership == worker


def test_a_worker_cannot_add_an_organisation_by_posting_the_form(worker):
    response = client_as(worker).post(ADD_ORGANISATION, organisation_form(), **EN)
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Synteettinen Tuki ry").exists()
    assert len(refusals()) == 1


def test_the_administrator_reaches_the_admin(administrator):
    client = client_as(administrator)
    response = client.get("/admin/", **EN)
    assert response.status_code == 200
    assert "Polku administration" in response.content.decode()
    assert client.get("/admin/accounts/organisation/", **EN).status_code == 200
    assert refusals() == []


def test_the_administrator_adds_an_organisation_through_the_admin_form(administrator):
    client = client_as(administrator)
    assert client.get(ADD_ORGANISATION, **EN).status_code == 200
    response = client.post(ADD_ORGANISATION, organisation_form(), **EN)
    assert response.status_code == 302
    assert response.url == "/admin/accounts/organisation/"
    organisation = Organisation.objects.get(name="Synteettinen Tuki ry")
    assert organisation.business_id == "1234567-1"
    assert organisation.kind == OrganisationKind.NGO
    assert list(organisation.units.values_list("name", flat=True)) == ["Verstas"]


def test_the_admin_refuses_an_invalid_business_id_and_stores_nothing(administrator):
    before = Organisation.objects.count()
    response = client_as(administrator).post(
        ADD_ORGANISATION, organisation_form(business_id="1234567-2"), **EN
    )
    assert response.status_code == 200
    assert (
        "1234567-2 is not a valid business ID (Y-tunnus): use the form 1234567-8."
        in response.content.decode()
    )
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(name="Synteettinen Tuki ry").exists()


def test_the_admin_refuses_a_municipality_without_a_municipality_code(administrator):
    response = client_as(administrator).post(
        ADD_ORGANISATION, organisation_form(kind=OrganisationKind.MUNICIPALITY, municipality_code=""), **EN
    )
    assert response.status_code == 200
    assert "A municipality needs its municipality code." in response.content.decode()
    assert not Organisation.objects.filter(name="Synteettinen Tuki ry").exists()


def test_an_administrator_whose_membership_ended_is_refused(db):
    ended = make_membership(
        role=Role.ADMINISTRATOR, valid_from=date(2023, 1, 1), valid_until=date(2024, 12, 31)
    )
    response = client_as(ended).get("/admin/", **EN)
    assert response.status_code == 403
    [event] = refusals()
    assert event.actor == ended.user
    assert event.membership is None


def test_a_user_working_as_a_worker_is_refused_even_with_an_administrator_membership(administrator, oulu):
    as_worker = make_membership(
        user=administrator.user, unit=make_unit(organisation=oulu, name="PALO"), role=Role.PERSONAL_WORKER
    )
    client = client_as(as_worker)
    response = client.get("/admin/", **EN)
    assert response.status_code == 403
    [event] = refusals()
    assert event.membership == as_worker
    assert event.role == Role.PERSONAL_WORKER


def test_the_same_user_reaches_the_admin_after_switching_to_the_administrator_role(administrator, oulu):
    as_worker = make_membership(
        user=administrator.user, unit=make_unit(organisation=oulu, name="PALO"), role=Role.PERSONAL_WORKER
    )
    client = client_as(as_worker)
    assert client.get("/admin/").status_code == 403
    client.post("/role/", {"membership": str(administrator.public_id)})
    assert client.get("/admin/", **EN).status_code == 200
