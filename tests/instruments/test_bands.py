"""Every band boundary of every built-in instrument, from both sides, through the scoring the services use."""

from __future__ import annotations

import pytest

from polku.instruments import scoring
from tests.instruments.conftest import answers_for, version

# (instrument, sex of the client, total, expected band)
BOUNDARIES = [
    # Work Ability Score: poor 0-5, moderate 6-7, good 8-9, excellent 10.
    ("was", "female", 0, "poor"),
    ("was", "female", 5, "poor"),
    ("was", "female", 6, "moderate"),
    ("was", "female", 7, "moderate"),
    ("was", "female", 8, "good"),
    ("was", "female", 9, "good"),
    ("was", "female", 10, "excellent"),
    # PHQ-9: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe.
    ("phq9", "male", 0, "minimal"),
    ("phq9", "male", 4, "minimal"),
    ("phq9", "male", 5, "mild"),
    ("phq9", "male", 9, "mild"),
    ("phq9", "male", 10, "moderate"),
    ("phq9", "male", 14, "moderate"),
    ("phq9", "male", 15, "moderately_severe"),
    ("phq9", "male", 19, "moderately_severe"),
    ("phq9", "male", 20, "severe"),
    ("phq9", "male", 27, "severe"),
    # GAD-7: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
    ("gad7", "female", 0, "minimal"),
    ("gad7", "female", 4, "minimal"),
    ("gad7", "female", 5, "mild"),
    ("gad7", "female", 9, "mild"),
    ("gad7", "female", 10, "moderate"),
    ("gad7", "female", 14, "moderate"),
    ("gad7", "female", 15, "severe"),
    ("gad7", "female", 21, "severe"),
    # AUDIT-C: risk from 6 points for men and from 5 for women (Finnish defaults).
    ("auditc", "male", 0, "low_risk"),
    ("auditc", "male", 5, "low_risk"),
    ("auditc", "male", 6, "risk"),
    ("auditc", "male", 12, "risk"),
    ("auditc", "female", 0, "low_risk"),
    ("auditc", "female", 4, "low_risk"),
    ("auditc", "female", 5, "risk"),
    ("auditc", "female", 12, "risk"),
    # Polku's functional capacity self-assessment: 0-34, 35-55, 56-70.
    ("polku_fc", "male", 0, "considerable_limitations"),
    ("polku_fc", "male", 34, "considerable_limitations"),
    ("polku_fc", "male", 35, "some_limitations"),
    ("polku_fc", "male", 55, "some_limitations"),
    ("polku_fc", "male", 56, "few_limitations"),
    ("polku_fc", "male", 70, "few_limitations"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "sex", "total", "band"), BOUNDARIES)
def test_the_total_falls_in_the_published_band(code, sex, total, band):
    v = version(code)

    result = scoring.score(v, answers_for(v, total), sex=sex)

    assert (result.total, result.band.code if result.band else None) == (total, band)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "maximum"), [("was", 10), ("phq9", 27), ("gad7", 21), ("auditc", 12), ("polku_fc", 70)]
)
def test_each_instrument_has_its_published_range(code, maximum):
    v = version(code)

    assert v.max_score == maximum
    assert scoring.check_definition(v) == []


@pytest.mark.django_db
def test_the_functional_capacity_assessment_has_a_subscale_per_domain():
    v = version("polku_fc")
    answers = {f"d{n}": n for n in range(1, 8)}

    result = scoring.score(v, answers, sex="female")

    assert result.subscales == {
        "mobility": 1,
        "self_care": 2,
        "domestic_life": 3,
        "social_relations": 4,
        "learning": 5,
        "work_economic": 6,
        "mental_wellbeing": 7,
    }
    assert result.total == 28


@pytest.mark.django_db
@pytest.mark.parametrize(("item_9", "alerts"), [("0", 0), ("1", 1), ("2", 1), ("3", 1)])
def test_phq9_item_9_above_zero_meets_the_alert_rule_whatever_the_total(item_9, alerts):
    v = version("phq9")

    result = scoring.score(v, answers_for(v, int(item_9), **{"9": item_9}), sex="male")

    assert len(result.alerts) == alerts
    assert result.band.code == "minimal"
