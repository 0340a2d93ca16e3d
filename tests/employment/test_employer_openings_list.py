"""The employer page lists its newest openings and links to all of them; the openings and employer lists
keep their filters from page to page; names show in the reader's language."""

from __future__ import annotations

import re

from polku.accounts.models import OrganisationKind
from polku.clients.models import Municipality
from polku.employment import services
from polku.employment.views.employer import OPENINGS_LISTED
from tests.conftest import client_as
from tests.employment.conftest import EN, text
from tests.factories import make_membership, make_organisation, make_unit

SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}


def add_opening(coach, employer, title, *, status="open"):
    return services.opening_save(
        by=coach,
        employer=employer,
        title=title,
        tasks="Asiakaspalvelu",
        job_field="food",
        hours_min=10,
        hours_max=20,
        adjustments=[],
        municipality=Municipality.objects.get(code="564"),
        wage_type="competitive",
        starts_on=None,
        status=status,
    )


def test_an_employer_with_more_openings_than_listed_links_to_all_of_them(coach, employer):
    other = make_organisation(name="Toinen Oy", kind=OrganisationKind.EMPLOYER)
    add_opening(coach, other, "Muun työnantajan paikka")
    for n in range(OPENINGS_LISTED):
        add_opening(coach, employer, f"Paikka {n:02}")
    add_opening(coach, employer, "Täytetty paikka", status="filled")

    page = client_as(coach).get(f"/ips/employers/{employer.public_id}/", **EN)
    listed = re.findall(r"Paikka \d\d|Täytetty paikka", text(page))
    assert len(listed) == OPENINGS_LISTED and "Täytetty paikka" in listed  # newest first
    link = re.search(r'href="([^"]+)" data-testid="all-openings"', page.content.decode()).group(1)
    assert link == f"/ips/openings/?status=all&amp;employer={employer.public_id}"

    first = client_as(coach).get(link.replace("&amp;", "&"), **EN)
    assert first.status_code == 200 and "Openings of Kahvila Testi Oy" in text(first)
    assert "Muun työnantajan paikka" not in text(first)
    # The next page keeps the status and the employer: 51 openings, 25 a page, 3 pages, the last has one.
    assert f'?status=all&amp;employer={employer.public_id}&amp;page=2"' in first.content.decode()
    last = client_as(coach).get(f"/ips/openings/?status=all&employer={employer.public_id}&page=3", **EN)
    rows = re.findall(r"Paikka \d\d|Täytetty paikka", text(last))
    assert rows == ["Paikka 00"]
    # Only open ones when asked.
    open_only = client_as(coach).get(f"/ips/openings/?status=open&employer={employer.public_id}&page=3", **EN)
    assert "Täytetty paikka" not in text(open_only)


def test_an_employer_with_few_openings_has_no_link(coach, employer):
    add_opening(coach, employer, "Ainoa paikka")
    page = client_as(coach).get(f"/ips/employers/{employer.public_id}/", **EN)
    assert "Ainoa paikka" in text(page) and "all-openings" not in page.content.decode()


def test_the_employer_filter_refuses_what_the_viewer_may_not_see(coach, worker, employer, espoo):
    add_opening(coach, employer, "Oulun paikka")
    espoo_coach = make_membership(unit=make_unit(organisation=espoo), role="job_coach")
    # Another organisation sees the employer but none of Oulu's openings.
    elsewhere = client_as(espoo_coach).get(f"/ips/openings/?employer={employer.public_id}", **EN)
    assert elsewhere.status_code == 200 and "Oulun paikka" not in text(elsewhere)
    # A personal worker may not read the employer side at all.
    assert client_as(worker).get(f"/ips/openings/?employer={employer.public_id}", **EN).status_code == 403
    # A malformed or unknown employer is not found, without an error page.
    assert client_as(coach).get("/ips/openings/?employer=not-a-uuid", **EN).status_code == 404
    not_employer = make_organisation(
        name="Kunta", kind=OrganisationKind.MUNICIPALITY, municipality_code="091"
    )
    assert client_as(coach).get(f"/ips/openings/?employer={not_employer.public_id}", **EN).status_code == 404


def test_the_employer_search_keeps_its_words_on_the_next_page(coach):
    for n in range(26):
        make_organisation(name=f"Hakutyönantaja {n:02} Oy", kind=OrganisationKind.EMPLOYER)
    first = client_as(coach).get("/ips/employers/?q=Hakuty", **EN).content.decode()
    assert "?q=Hakuty&amp;page=2" in first
    second = text(client_as(coach).get("/ips/employers/?q=Hakuty&page=2", **EN))
    assert len(re.findall(r"Hakutyönantaja \d\d Oy", second)) == 1


def test_openings_name_the_municipality_in_the_readers_language(coach, employer):
    add_opening(coach, employer, "Tarjoilija")
    oulu = Municipality.objects.get(code="564")
    assert oulu.name_sv and oulu.name_sv != oulu.name_fi
    page = client_as(coach).get("/ips/openings/", **SV).content.decode()
    assert f"<td>{oulu.name_sv}</td>" in page and f"<td>{oulu.name_fi}</td>" not in page
