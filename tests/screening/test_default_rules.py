"""The default rules from the data migration, each at its boundary."""

import pytest

from polku.screening.evaluation import evaluate
from polku.screening.models import ScreeningRule
from polku.screening.services import current_rules

pytestmark = pytest.mark.django_db


def flagged(facts):
    return sorted((f.rule.code, f.rule.need_kind) for f in evaluate(current_rules(), facts))


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"phq9.score": 10}, [("phq9-10", "mental_health")]),
        ({"phq9.score": 9}, []),
        ({"phq9.item.9": 1}, [("phq9-item9", "mental_health")]),
        ({"phq9.item.9": 0}, []),
        ({"gad7.score": 10}, [("gad7-10", "mental_health")]),
        ({"gad7.score": 9}, []),
        ({"auditc.band": "risk"}, [("auditc-risk", "substance_use")]),
        ({"auditc.band": "low"}, []),
        ({"was.score": 5}, [("was-poor", "work_ability_assessment")]),
        ({"was.score": 6}, []),
        ({"unemployed_months": 12, "age": 50}, [("unemployed-12-age-50", "work_ability_assessment")]),
        ({"unemployed_months": 11, "age": 50}, []),
        ({"unemployed_months": 12, "age": 49}, []),
        (
            {"unemployed_months": 24, "age": 30},
            [("unemployed-24", "work_ability_assessment")],
        ),
        ({"unemployed_months": 23, "age": 30}, []),
        ({"disability_or_illness": True, "unemployed_months": 0}, [("disability-health", "physical_health")]),
        (
            {"disability_or_illness": True, "unemployed_months": 3},
            [
                ("disability-health", "physical_health"),
                ("disability-work-ability", "work_ability_assessment"),
            ],
        ),
        ({"disability_or_illness": False, "unemployed_months": 3}, []),
    ],
)
def test_each_default_rule_flags_at_its_boundary_and_not_below(facts, expected):
    assert flagged(facts) == expected


def test_the_defaults_are_valid_current_first_versions():
    rules = list(ScreeningRule.objects.all())
    assert len(rules) == 9
    for rule in rules:
        rule.full_clean()
        assert (rule.version, rule.is_current, rule.is_active) == (1, True, True)
