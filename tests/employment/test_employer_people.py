"""Changing and removing an employer's contact people and workplaces: confirmation before removal,
the contact log keeps a removed person's name, audit, and who may do it."""

from __future__ import annotations

import pytest

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.employment import services
from polku.employment.models import ContactPerson, EmployerContact
from tests.conftest import client_as
from tests.employment.conftest import EN, text, today
from tests.factories import make_membership, make_unit


@pytest.fixture
def person(coach, employer) -> ContactPerson:
    return services.contact_person_add(
        employer=employer, by=coach, name="Maija Esimies", title="Vuoropäällikkö"
    )


@pytest.fixture
def workplace(coach, employer):
    return services.workplace_add(employer=employer, by=coach, name="Keskusta")


@pytest.fixture
def espoo_coach(espoo):
    return make_membership(unit=make_unit(organisation=espoo, name="IPS Espoo"), role=Role.JOB_COACH)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_the_coach_changes_a_contact_person(coach, person):
    url = f"/ips/people/{person.public_id}/edit/"
    page = client_as(coach).get(url, **EN)
    assert page.status_code == 200 and 'value="Maija Esimies"' in page.content.decode()
    bad = client_as(coach).post(url, {"name": "", "email": "ei-osoite"}, **EN)
    assert bad.status_code == 400
    person.refresh_from_db()
    assert person.name == "Maija Esimies"
    response = client_as(coach).post(url, {"name": "Maija Esimies", "phone": "040 123 4567"}, **EN)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.title) == ("040 123 4567", "")
    event = AuditEvent.objects.filter(action="employer.contact_person_change").get()
    assert event.details["fields"] == ["phone", "title"]


def test_removal_asks_first_and_the_log_keeps_the_name(coach, employer, person):
    services.employer_contact_record(
        employer=employer,
        by=coach,
        on=today(),
        face_to_face=True,
        purpose="learn_needs",
        contact_person=person,
    )
    url = f"/ips/people/{person.public_id}/remove/"
    confirm = client_as(coach).get(url, **EN)
    assert confirm.status_code == 200 and "Remove Maija Esimies" in text(confirm)
    assert ContactPerson.objects.exists()
    assert client_as(coach).post(url, **EN).status_code == 302
    assert not ContactPerson.objects.exists()
    assert EmployerContact.objects.get().contact_person_name == "Maija Esimies"
    assert "employer.contact_person_remove" in actions()
    page = text(client_as(coach).get(f"/ips/employers/{employer.public_id}/", **EN))
    assert "Maija Esimies" in page and "No contact people." in page


def test_the_coach_renames_and_removes_a_workplace(coach, employer, workplace):
    url = f"/ips/workplaces/{workplace.public_id}/edit/"
    assert client_as(coach).post(url, {"name": "  "}, **EN).status_code == 400
    assert client_as(coach).post(url, {"name": "Asema"}, **EN).status_code == 302
    workplace.refresh_from_db()
    assert workplace.name == "Asema"
    remove = f"/ips/workplaces/{workplace.public_id}/remove/"
    assert "Remove the workplace Asema" in text(client_as(coach).get(remove, **EN))
    assert client_as(coach).post(remove, **EN).status_code == 302
    workplace.refresh_from_db()
    assert not workplace.is_active
    assert {"employer.workplace_change", "employer.workplace_remove"} <= set(actions())
    assert "Asema" not in text(client_as(coach).get(f"/ips/employers/{employer.public_id}/", **EN))
    assert client_as(coach).get(remove, **EN).status_code == 404


@pytest.mark.parametrize("who", ["manager", "worker", "espoo_coach"])
@pytest.mark.parametrize("page", ["edit/", "remove/"])
def test_others_may_not_change_or_remove_a_contact_person(request, person, who, page):
    membership = request.getfixturevalue(who)
    url = f"/ips/people/{person.public_id}/{page}"
    assert client_as(membership).get(url, **EN).status_code in (403, 404)
    assert client_as(membership).post(url, {"name": "Muutettu"}, **EN).status_code in (403, 404)
    person.refresh_from_db()
    assert person.name == "Maija Esimies"
    assert AuditEvent.objects.filter(action="permission.refused").exists()


def test_another_organisations_coach_gets_not_found(espoo_coach, person):
    assert client_as(espoo_coach).post(f"/ips/people/{person.public_id}/remove/", **EN).status_code == 404
    assert ContactPerson.objects.exists()


@pytest.mark.parametrize("who", ["manager", "worker"])
@pytest.mark.parametrize("page", ["edit/", "remove/"])
def test_others_may_not_change_or_remove_a_workplace(request, workplace, who, page):
    url = f"/ips/workplaces/{workplace.public_id}/{page}"
    membership = request.getfixturevalue(who)
    assert client_as(membership).post(url, {"name": "Muutettu"}, **EN).status_code in (403, 404)
    workplace.refresh_from_db()
    assert (workplace.name, workplace.is_active) == ("Keskusta", True)


def test_a_unit_someone_works_in_is_not_the_coaches_to_change(coach, employer, host, worker):
    hosts_unit = host.unit
    own_unit = worker.unit  # the coach's own organisation's unit: not an employer's workplace
    for unit in (hosts_unit, own_unit):
        for page in ("edit/", "remove/"):
            response = client_as(coach).post(f"/ips/workplaces/{unit.public_id}/{page}", {"name": "X"}, **EN)
            assert response.status_code == 404
        unit.refresh_from_db()
        assert unit.is_active and unit.name != "X"
    page = text(client_as(coach).get(f"/ips/employers/{employer.public_id}/", **EN))
    assert "Sali" in page and f"/ips/workplaces/{hosts_unit.public_id}/remove/" not in page
