"""The municipal share of unemployment benefits: rule versions as data, the estimate against a hand
count, the assumptions shown beside it, managers only."""

from datetime import date

import pytest

from polku.accounts.models import Role
from polku.insights import costs, periods
from polku.insights.models import CostRule
from polku.intake.models import RegistryPerson
from tests.conftest import client_as
from tests.factories import make_membership, make_unit, synthetic_identity_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_two_rule_versions_ship_with_the_2025_steps_marked_to_be_checked(db):
    old, new = CostRule.objects.order_by("effective_from")
    assert new.effective_from == date(2025, 1, 1) and new.has_steps_to_check
    assert not old.has_steps_to_check
    assert (
        costs.share_on(old, 300) == 0 and costs.share_on(old, 301) == 0.5 and costs.share_on(old, 1001) == 0.7
    )
    assert costs.share_on(new, 100) == 0 and costs.share_on(new, 701) == 0.5


def test_a_day_is_costed_under_the_rule_in_force_on_that_day(db):
    rules = list(CostRule.objects.order_by("effective_from"))
    # Unemployed from Monday 2 Jan 2023 on basic allowance: nothing before 2025 (the old rule covers only
    # the labour market subsidy); in January 2025 the counter is at about 520 paid days: 40 % each weekday.
    january_2025 = periods.month(2025, 1)
    assert costs.person_cost(rules, date(2023, 1, 2), "basic_allowance", periods.month(2024, 12), None) == 0
    assert costs.person_cost(rules, date(2023, 1, 2), "basic_allowance", january_2025, None) == pytest.approx(
        23 * 0.4
    )


def person(unit, n, since, benefit="labour_market_subsidy"):
    code = synthetic_identity_code(400 + n)
    return RegistryPerson.objects.create(
        unit=unit,
        identity_code_encrypted="x",
        identity_code_hash=f"h{n}",
        identity_code_masked=code[:7] + "****",
        birth_date=date(1970, 1, 1),
        sex="female",
        first_names="Testi",
        last_name=f"Henkilö{n}",
        municipality_id="564",
        facts_on=date(2026, 1, 1),
        unemployed_since=since,
        benefit=benefit,
        disability_or_illness=True,
        facts_digest="d",
    )


def test_the_manager_sees_the_estimate_with_its_assumptions(manager, worker):
    for n in range(6):
        person(worker.unit, n, date(2022, 1, 3))
    response = client_as(manager).get("/insights/costs/", {"municipality": "564", "year": "2026"}, **EN)
    assert response.status_code == 200
    estimate = response.context["estimate"]
    assert estimate.people.text == "6"
    weekdays_2026 = 261
    assert estimate.cost == round(costs.daily_amount() * 6 * weekdays_2026 / 2)
    page = response.content.decode()
    assert "to be checked" in page and "Daily amount: EUR 36.17" in page


def test_a_few_people_give_no_estimate(manager, worker):
    for n in range(3):
        person(worker.unit, n, date(2022, 1, 3))
    estimate = (
        client_as(manager)
        .get("/insights/costs/", {"municipality": "564", "year": "2026"})
        .context["estimate"]
    )
    assert estimate.people.text == "< 5" and estimate.cost is None


def test_workers_and_other_organisations_are_refused(manager, worker, espoo):
    person(worker.unit, 1, date(2022, 1, 3))
    assert client_as(worker).get("/insights/costs/").status_code in (403, 404)
    theirs = make_membership(unit=make_unit(organisation=espoo), role=Role.MANAGER)
    assert client_as(theirs).get("/insights/costs/", {"municipality": "564"}).status_code == 404
