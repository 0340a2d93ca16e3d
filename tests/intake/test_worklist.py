"""The worklist's order (a score from the evidence; sorting kept in the URL), the reasons each row gives,
and the warning for people whose home municipality is outside the unit's area."""

from datetime import date

import pytest

from polku.accounts.models import OrganisationKind, Role
from polku.clients.models import Client
from polku.intake.models import RegistryPerson
from polku.screening import evaluation
from tests.clients.conftest import text
from tests.conftest import client_as
from tests.factories import make_membership, make_organisation, make_unit, synthetic_identity_code
from tests.intake.conftest import extract_csv, extract_on, person, run
from tests.queries import AUDIT_EVENT

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FI = {"HTTP_ACCEPT_LANGUAGE": "fi"}
SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}


def row(n: int, *, born: int, unemployed_years: int, ill: bool = False, **overrides) -> dict[str, str]:
    on = extract_on()
    return person(
        n,
        henkilotunnus=synthetic_identity_code(n, birth_date=date(born, 1 + n % 12, 1 + n % 28)),
        tyoton_alkaen=date(on.year - unemployed_years, on.month, 1).isoformat(),
        vamma_tai_sairaus="kyllä" if ill else "ei",
        **overrides,
    )


@pytest.fixture
def people(unit, worker):
    """All of priority "High": the differences are in how many rules matched and by how much."""
    run(
        unit,
        extract_csv(
            [
                row(1, born=1970, unemployed_years=2, sukunimi="Just", etunimet="Aada"),  # 2 years: one rule
                row(2, born=1962, unemployed_years=5, sukunimi="Far", etunimet="Bertta"),  # two, far past
                row(3, born=1990, unemployed_years=1, ill=True, sukunimi="Ill", etunimet="Cecilia"),
                row(4, born=1960, unemployed_years=4, ill=True, sukunimi="Most", etunimet="Doris"),
            ]
        ),
        by=worker,
    )


def names(response) -> list[str]:
    return [r.person.last_name for r in response.context["rows"]]


def test_the_strongest_evidence_comes_first_though_every_row_is_high_priority(worker, people):
    assert set(RegistryPerson.objects.values_list("priority", flat=True)) == {2}
    response = client_as(worker).get("/intake/worklist/", **EN)
    assert names(response) == ["Most", "Far", "Just", "Ill"]
    scores = [r.person.score for r in response.context["rows"]]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


def test_each_row_says_why_the_person_is_on_the_list(worker, people):
    response = client_as(worker).get("/intake/worklist/", **EN)
    reasons = {r.person.last_name: r.reasons for r in response.context["rows"]}
    assert reasons["Just"] == [
        "Unemployed for 24 months (threshold: at least 12)",
        "Aged 56 years (threshold: at least 50)",
    ]
    assert reasons["Ill"] == [
        "Disability or long-term illness known",
        "Unemployed for 12 months (threshold: at least 3)",
    ]
    page = text(response)
    assert "Unemployed for 24 months (threshold: at least 24)" in page  # the rules behind "Just", in full
    assert "unemployed_months" not in page and "disability_or_illness" not in page
    finnish = text(client_as(worker).get("/intake/worklist/", **FI))
    assert "Työttömänä 24 kuukautta (raja: vähintään 24)" in finnish
    assert "Työttömänä 12 kuukautta (raja: vähintään 3)" in finnish  # Ill: the rule over illness and 3 months
    swedish = text(client_as(worker).get("/intake/worklist/", **SV))
    assert "Arbetslös i 24 månader (gräns: minst 24)" in swedish


def test_a_rows_reasons_name_each_fact_once_with_the_strongest_threshold(worker, people):
    rows = client_as(worker).get("/intake/worklist/", **EN).context["rows"]
    [far] = [r for r in rows if r.person.last_name == "Far"]
    # Two rules read the months unemployed; the stronger one ("at least 24", far past it) gives the reason.
    assert far.reasons == [
        "Unemployed for 60 months (threshold: at least 24)",
        "Aged 64 years (threshold: at least 50)",
    ]
    assert len(far.flags) == 2


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("unemployment", ["Far", "Most", "Just", "Ill"]),
        ("age", ["Most", "Far", "Just", "Ill"]),
        ("name", ["Far", "Ill", "Just", "Most"]),
        ("score", ["Most", "Far", "Just", "Ill"]),
        ("nonsense", ["Most", "Far", "Just", "Ill"]),
    ],
)
def test_the_worker_sorts_the_worklist(worker, people, sort, expected):
    response = client_as(worker).get(f"/intake/worklist/?sort={sort}", **EN)
    assert names(response) == expected


def test_the_sort_is_kept_across_pages(worker, unit):
    run(unit, extract_csv([row(n, born=1960 + n % 5, unemployed_years=3) for n in range(1, 31)]))
    browser = client_as(worker)
    first = text(browser.get("/intake/worklist/?sort=name", **EN))
    assert 'href="?sort=name&page=2"' in first
    assert '<span aria-current="true"><strong>By name</strong></span>' in first
    second = browser.get("/intake/worklist/?sort=name&page=2", **EN)
    assert names(second) == sorted(names(second)) and len(names(second)) == 5


# Session, the user with their active memberships; the count and the page of people; the audit event
# (AUDIT_EVENT, tests/queries.py); the rules named in the flags: as tests/intake/test_views.py.
WORKLIST_QUERIES = 5 + AUDIT_EVENT


@pytest.mark.parametrize("sort", ["score", "unemployment", "age", "name"])
@pytest.mark.parametrize("count", [1, 50])
def test_every_order_runs_the_same_queries_with_one_and_with_50_people(
    worker, unit, count, sort, django_assert_num_queries
):
    run(
        unit,
        extract_csv(
            [row(n, born=1960, unemployed_years=3, ill=True, kotikunta="890") for n in range(1, count + 1)]
        ),
    )
    browser = client_as(worker)
    browser.get(f"/intake/worklist/?sort={sort}")
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(f"/intake/worklist/?sort={sort}&page=2")
    assert len(response.context["rows"]) == (25 if count == 50 else 1)


# --- Outside the unit's area -------------------------------------------------------------------------------


@pytest.fixture
def utsjoki(unit, worker):
    run(
        unit,
        extract_csv(
            [
                row(1, born=1960, unemployed_years=3, kotikunta="890", sukunimi="Utsjokelainen"),
                row(2, born=1960, unemployed_years=3, kotikunta="564", sukunimi="Oululainen"),
            ]
        ),
        by=worker,
    )
    return RegistryPerson.objects.get(last_name="Utsjokelainen")


def test_a_person_living_outside_the_units_area_is_flagged_on_the_worklist(worker, utsjoki):
    response = client_as(worker).get("/intake/worklist/", **FI)
    flagged = {r.person.last_name: r.outside_area for r in response.context["rows"]}
    assert flagged == {"Utsjokelainen": "Kotikunta Utsjoki ei kuulu yksikön alueeseen", "Oululainen": ""}
    page = text(response)
    assert page.count('data-testid="outside-area"') == 1
    assert "Kotikunta Utsjoki ei kuulu yksikön alueeseen" in page
    swedish = text(client_as(worker).get("/intake/worklist/", **SV))
    assert "Hemkommunen Utsjoki hör inte till enhetens område" in swedish


def test_the_contacted_confirmation_warns_again_before_a_case_is_opened(worker, utsjoki):
    page = text(client_as(worker).get(f"/intake/worklist/{utsjoki.public_id}/contacted/", **EN))
    assert "Home municipality Utsjoki is outside the unit's area" in page
    assert "Check that your unit is the right one" in page
    assert not Client.objects.exists()
    oulu_person = RegistryPerson.objects.get(last_name="Oululainen")
    other = text(client_as(worker).get(f"/intake/worklist/{oulu_person.public_id}/contacted/", **EN))
    assert "outside the unit's area" not in other


def test_a_unit_whose_organisation_has_no_municipality_is_not_warned(db):
    county = make_organisation(kind=OrganisationKind.WELLBEING_COUNTY, municipality_code="")
    worker = make_membership(unit=make_unit(organisation=county), role=Role.PERSONAL_WORKER)
    run(worker.unit, extract_csv([row(1, born=1960, unemployed_years=3, kotikunta="890")]), by=worker)
    response = client_as(worker).get("/intake/worklist/", **EN)
    assert [r.outside_area for r in response.context["rows"]] == [""]


# --- The score -------------------------------------------------------------------------------------------


def spec(priority: int, *conditions: dict) -> evaluation.RuleSpec:
    return evaluation.RuleSpec(
        id=1,
        code="x",
        version=1,
        name="x",
        need_kind="housing",
        priority=priority,
        conditions={"match": "all", "conditions": list(conditions)},
    )


def test_the_score_weighs_priority_and_how_far_each_fact_is_past_its_threshold():
    unemployed_24 = spec(2, {"fact": "unemployed_months", "op": "gte", "value": 24})
    ill = spec(3, {"fact": "disability_or_illness", "op": "is_true"})
    assert evaluation.score([(unemployed_24, {"unemployed_months": 24})]) == 300  # at the threshold: 3 x 1
    assert evaluation.score([(unemployed_24, {"unemployed_months": 36})]) == 450  # half past it: 3 x 1.5
    assert evaluation.score([(unemployed_24, {"unemployed_months": 120})]) == 600  # capped at twice
    assert evaluation.score([(ill, {"disability_or_illness": True})]) == 100
    urgent = spec(1, {"fact": "was.score", "op": "lte", "value": 5})
    assert evaluation.score([(urgent, {"was.score": 5})]) == 900
