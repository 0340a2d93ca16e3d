"""Employers (business ID), contact people, the contact log and who sees which job seekers in it, job
openings, and matching both ways."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.accounts.models import Organisation, OrganisationKind
from polku.clients.models import Municipality
from polku.employment import matching, services
from polku.employment.models import EmployerContact, JobOpening, OpeningDiscussion
from tests.conftest import client_as
from tests.employment.conftest import EN, days_ago, events, text, today
from tests.factories import make_membership, make_organisation


def test_an_employer_is_found_by_business_id_or_added(coach, employer):
    response = client_as(coach).post(
        "/ips/employers/new/", {"name": "Eri nimi", "business_id": employer.business_id}, **EN
    )
    assert response["Location"] == f"/ips/employers/{employer.public_id}/"
    assert Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).count() == 1
    bad = client_as(coach).post("/ips/employers/new/", {"name": "Uusi Oy", "business_id": "1234567-8"}, **EN)
    assert bad.status_code == 400 and "not a valid business ID" in text(bad)
    good = client_as(coach).post("/ips/employers/new/", {"name": "Uusi Oy", "business_id": "0737546-2"}, **EN)
    assert good.status_code == 302 and Organisation.objects.filter(name="Uusi Oy", kind="employer").exists()


@pytest.mark.parametrize("who", ["worker", "host", "colleague"])
@pytest.mark.parametrize("page", ["", "new/"])
def test_the_employer_pages_are_for_coaches_and_managers(request, who, page, employer):
    membership = request.getfixturevalue(who)
    assert client_as(membership).get(f"/ips/employers/{page}", **EN).status_code == 403


def test_the_contact_log_names_job_seekers_only_to_those_who_see_them(
    period, coach, other_coach, manager, employer
):
    person = services.contact_person_add(
        employer=employer, by=coach, name="Maija Esimies", title="Ravintolapäällikkö"
    )
    response = client_as(coach).post(
        f"/ips/employers/{employer.public_id}/contacts/new/",
        {
            "on": today().isoformat(),
            "face_to_face": "on",
            "purpose": "present",
            "contact_person": person.pk,
            "job_seekers": [period.pk],
        },
        **EN,
    )
    assert response.status_code == 302
    contact = EmployerContact.objects.get()
    assert list(contact.job_seekers.all()) == [period]
    assert events("ips.employer_contact", period.client)
    own = text(client_as(coach).get(f"/ips/employers/{employer.public_id}/", **EN))
    assert "Aino Asiakas" in own and "Maija Esimies" in own
    for other in (other_coach, manager):
        page = client_as(other).get(f"/ips/employers/{employer.public_id}/", **EN)
        assert page.status_code == 200
        assert "Aino Asiakas" not in text(page) and "1 job seeker you may not see" in text(page)


def test_a_coach_cannot_log_a_contact_for_someone_elses_client(period, other_coach, employer):
    response = client_as(other_coach).post(
        f"/ips/employers/{employer.public_id}/contacts/new/",
        {"on": today().isoformat(), "purpose": "present", "job_seekers": [period.pk]},
        **EN,
    )
    assert response.status_code == 400 and not EmployerContact.objects.exists()


def test_another_organisation_sees_none_of_the_employer_side(period, coach, employer, espoo):
    from tests.factories import make_membership, make_unit

    services.employer_contact_record(
        employer=employer, by=coach, on=today(), face_to_face=True, purpose="learn_needs"
    )
    opening = add_opening(coach, employer)
    espoo_coach = make_membership(unit=make_unit(organisation=espoo), role="job_coach")
    page = text(client_as(espoo_coach).get(f"/ips/employers/{employer.public_id}/", **EN))
    assert "No contacts logged." in page and "Tarjoilija" not in page
    assert client_as(espoo_coach).get(f"/ips/openings/{opening.public_id}/", **EN).status_code == 404


def employer_page_queries(membership, employer) -> int:
    browser = client_as(membership)
    browser.get(f"/ips/employers/{employer.public_id}/", **EN)
    with CaptureQueriesContext(connection) as queries:
        browser.get(f"/ips/employers/{employer.public_id}/", **EN)
    return len(queries)


def test_the_employer_page_runs_the_same_queries_for_one_and_many_contacts(period, coach, employer):
    services.employer_contact_record(
        employer=employer, by=coach, on=today(), face_to_face=True, purpose="present", job_seekers=[period]
    )
    one = employer_page_queries(coach, employer)
    for n in range(6):
        services.employer_contact_record(
            employer=employer,
            by=coach,
            on=days_ago(n),
            face_to_face=bool(n % 2),
            purpose="follow_up",
            job_seekers=[period],
        )
        services.contact_person_add(employer=employer, by=coach, name=f"Henkilö {n}")
    assert employer_page_queries(coach, employer) == one


def add_opening(coach, employer, **overrides) -> JobOpening:
    values = {
        "title": "Tarjoilija",
        "tasks": "Asiakaspalvelu",
        "job_field": "food",
        "hours_min": 10,
        "hours_max": 20,
        "adjustments": ["gradual_start"],
        "municipality": Municipality.objects.get(code="564"),
        "wage_type": "competitive",
        "starts_on": None,
    }
    values.update(overrides)
    return services.opening_save(by=coach, employer=employer, **values)


def test_the_coach_adds_a_part_time_opening(coach, employer):
    response = client_as(coach).post(
        f"/ips/employers/{employer.public_id}/openings/new/",
        {
            "title": "Tarjoilija",
            "job_field": "food",
            "hours_min": "8",
            "hours_max": "16",
            "municipality": "564",
            "wage_type": "competitive",
            "status": "open",
            "adjustments": ["flexible_hours"],
        },
        **EN,
    )
    opening = JobOpening.objects.get()
    assert response["Location"] == f"/ips/openings/{opening.public_id}/"
    assert (opening.hours_min, opening.hours_max, opening.is_part_time) == (8, 16, True)
    assert "part-time" in text(client_as(coach).get("/ips/openings/", **EN))


def test_matching_ranks_openings_and_says_why(period, coach, employer):
    services.profile_save(
        period=period,
        by=coach,
        job_fields=["food"],
        hours_min=10,
        hours_max=20,
        adjustments=["gradual_start"],
        municipalities=[Municipality.objects.get(code="564")],
    )
    best = add_opening(coach, employer)
    full_time = add_opening(coach, employer, title="Kokki", hours_min=37, hours_max=40, adjustments=[])
    elsewhere = add_opening(
        coach,
        employer,
        title="Siivooja",
        job_field="cleaning",
        municipality=Municipality.objects.get(code="091"),
    )
    found = matching.openings_for(period.career_profile, viewer=coach)
    assert [m.item for m in found][:1] == [best]
    assert {m.item for m in found} == {best, full_time, elsewhere}
    kokki = next(m for m in found if m.item == full_time)
    assert any("hours 37–40" in reason for reason in kokki.fit.missing)
    page = client_as(coach).get(f"/ips/periods/{period.public_id}/matches/", **EN)
    assert page.status_code == 200 and "Tarjoilija" in text(page) and "Does not fit" in text(page)
    assert events("ips.matches", period.client)
    response = client_as(coach).post(
        f"/ips/periods/{period.public_id}/matches/",
        {"opening": str(best.public_id), "decision": "apply"},
        **EN,
    )
    assert response.status_code == 302
    assert OpeningDiscussion.objects.get().decision == "apply"


def test_an_opening_lists_only_job_seekers_the_viewer_may_see(period, coach, other_coach, employer, worker):
    services.profile_save(period=period, by=coach, job_fields=["food"], hours_min=10, hours_max=20)
    opening = add_opening(coach, employer)
    page = text(client_as(coach).get(f"/ips/openings/{opening.public_id}/", **EN))
    assert "Aino Asiakas" in page
    other_page = text(client_as(other_coach).get(f"/ips/openings/{opening.public_id}/", **EN))
    assert "Aino Asiakas" not in other_page


def matching_queries(coach, period) -> int:
    browser = client_as(coach)
    browser.get(f"/ips/periods/{period.public_id}/matches/", **EN)
    with CaptureQueriesContext(connection) as queries:
        browser.get(f"/ips/periods/{period.public_id}/matches/", **EN)
    return len(queries)


def test_the_matching_page_runs_the_same_queries_for_one_and_many_openings(period, coach, employer):
    services.profile_save(period=period, by=coach, job_fields=["food"], hours_min=10, hours_max=20)
    add_opening(coach, employer)
    one = matching_queries(coach, period)
    for n in range(8):
        add_opening(coach, employer, title=f"Avoin {n}")
    assert matching_queries(coach, period) == one


def test_the_coach_changes_an_opening_and_adds_a_workplace(coach, other_coach, employer, espoo):
    from tests.factories import make_membership, make_unit

    opening = add_opening(coach, employer)
    url = f"/ips/openings/{opening.public_id}/edit/"
    espoo_coach = make_membership(unit=make_unit(organisation=espoo), role="job_coach")
    assert client_as(espoo_coach).get(url, **EN).status_code == 404
    data = {
        "title": "Tarjoilija",
        "job_field": "food",
        "hours_min": "10",
        "hours_max": "20",
        "municipality": "564",
        "wage_type": "competitive",
        "status": "closed",
    }
    assert client_as(coach).post(url, data, **EN).status_code == 302
    opening.refresh_from_db()
    assert opening.status == "closed"
    response = client_as(coach).post(
        f"/ips/employers/{employer.public_id}/workplaces/new/", {"name": "Keskusta"}, **EN
    )
    assert response.status_code == 302 and employer.units.filter(name="Keskusta").exists()


def test_the_matching_page_shown_again_after_a_refused_post_is_audited(period, coach, employer):
    services.profile_save(period=period, by=coach, job_fields=["food"], hours_min=10, hours_max=20)
    opening = add_opening(coach, employer)
    response = client_as(coach).post(
        f"/ips/periods/{period.public_id}/matches/", {"opening": str(opening.public_id), "decision": ""}, **EN
    )
    assert response.status_code == 400 and "Tarjoilija" in text(response)
    assert not OpeningDiscussion.objects.exists()
    assert len(events("ips.matches", period.client)) == 1


def test_a_job_start_offers_the_active_employers_only(period, coach, employer):
    closed = make_organisation(name="Lopettanut Oy", kind=OrganisationKind.EMPLOYER)
    Organisation.objects.filter(pk=closed.pk).update(is_active=False)
    make_organisation(name="Yhdistys Testi ry", kind=OrganisationKind.NGO)
    page = text(client_as(coach).get(f"/ips/periods/{period.public_id}/jobs/new/", **EN))
    assert "Kahvila Testi Oy" in page
    assert "Lopettanut Oy" not in page and "Yhdistys Testi ry" not in page


def page_queries(membership, url: str) -> int:
    browser = client_as(membership)
    browser.get(url, **EN)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url, **EN).status_code == 200
    return len(queries)


def test_the_employer_and_opening_lists_run_the_same_queries_for_one_and_many_rows(coach, employer):
    add_opening(coach, employer)
    one = (page_queries(coach, "/ips/employers/"), page_queries(coach, "/ips/openings/"))
    for n in range(3):
        other = make_organisation(name=f"Työnantaja {n} Oy", kind=OrganisationKind.EMPLOYER)
        add_opening(coach, other, title=f"Avustaja {n}")
    assert (page_queries(coach, "/ips/employers/"), page_queries(coach, "/ips/openings/")) == one


def test_the_employer_list_counts_the_viewers_organisations_contacts_and_open_openings(
    coach, employer, espoo
):
    from polku.employment import selectors
    from tests.factories import make_unit

    espoo_coach = make_membership(unit=make_unit(organisation=espoo), role="job_coach")
    for by in (coach, coach, espoo_coach):
        services.employer_contact_record(
            employer=employer, by=by, on=today(), face_to_face=True, purpose="learn_needs"
        )
    add_opening(coach, employer)
    add_opening(coach, employer, title="Kokki")
    add_opening(coach, employer, title="Siivooja", status="filled")
    add_opening(espoo_coach, employer, title="Muualla")
    row = selectors.employers(viewer=coach).get(pk=employer.pk)
    assert (row.contact_count, row.open_openings) == (2, 2)
    empty = make_organisation(name="Tyhjä Oy", kind=OrganisationKind.EMPLOYER)
    assert selectors.employers(viewer=coach).get(pk=empty.pk).contact_count == 0
