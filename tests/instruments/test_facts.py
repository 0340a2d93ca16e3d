"""The screening hook: flat facts of a response, and the latest facts of a client."""

from __future__ import annotations

from polku.instruments import selectors, services
from tests.instruments.conftest import record, version


def test_response_facts_are_flat_scores_band_subscales_and_item_scores(case):
    stored = record(case, "phq9", 12, **{"9": "1"})

    facts = selectors.response_facts(stored)

    assert facts["phq9.score"] == 12
    assert facts["phq9.band"] == "moderate"
    assert facts["phq9.item.9"] == 1
    assert set(facts) == {"phq9.score", "phq9.band", *(f"phq9.item.{n}" for n in range(1, 10))}


def test_subscales_are_facts_too(case):
    stored = record(case, "polku_fc", 35, d1=3)

    facts = selectors.response_facts(stored)

    assert facts["polku_fc.mobility"] == 3
    assert facts["polku_fc.band"] == "some_limitations"
    assert facts["polku_fc.item.d1"] == 3


def test_a_draft_has_no_facts(worker, case):
    draft = services.save_draft(case=case, version=version("was"), answers={"1": 3}, by=worker)

    assert selectors.response_facts(draft) == {}


def test_latest_facts_merge_the_latest_current_response_of_each_instrument(worker, case):
    record(case, "was", 3)
    old = record(case, "was", 5)
    record(case, "gad7", 10)
    services.record_response(case=case, version=version("was"), answers={"1": 8}, by=worker, supersedes=old)

    facts, registers = selectors.latest_facts_for(case.client, viewer=worker)

    assert facts["was.score"] == 8
    assert facts["was.band"] == "good"
    assert facts["gad7.score"] == 10
    assert "phq9.score" not in facts
    assert registers["was.score"] == "employment"
