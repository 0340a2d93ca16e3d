"""The rule evaluator: a pure function over a flat dict of facts."""

import time

import pytest
from django.core.exceptions import ValidationError

from polku.screening import evaluation
from polku.screening.evaluation import RuleSpec, compile_rules, evaluate, validate


def rule(conditions, *, match="all", code="r", kind="mental_health", priority=2):
    return RuleSpec(
        id=1,
        code=code,
        version=1,
        name=code,
        need_kind=kind,
        priority=priority,
        conditions={"match": match, "conditions": conditions},
    )


def matches(conditions, facts, match="all"):
    return bool(evaluate(compile_rules([rule(conditions, match=match)]), facts))


@pytest.mark.parametrize(
    ("op", "value", "fact", "expected"),
    [
        ("eq", 10, 10, True),
        ("eq", 10, 9, False),
        ("ne", 10, 9, True),
        ("ne", 10, 10, False),
        ("lt", 10, 9, True),
        ("lt", 10, 10, False),
        ("lte", 10, 10, True),
        ("lte", 10, 11, False),
        ("gt", 10, 11, True),
        ("gt", 10, 10, False),
        ("gte", 10, 10, True),
        ("gte", 10, 9, False),
        ("in", [1, 2], 2, True),
        ("in", [1, 2], 3, False),
        ("not_in", [1, 2], 3, True),
        ("not_in", [1, 2], 1, False),
    ],
)
def test_each_number_operator_compares_the_fact_with_the_value(op, value, fact, expected):
    assert matches([{"fact": "phq9.score", "op": op, "value": value}], {"phq9.score": fact}) is expected


@pytest.mark.parametrize(
    ("op", "fact", "expected"),
    [
        ("is_true", True, True),
        ("is_true", False, False),
        ("is_false", False, True),
        ("is_false", True, False),
    ],
)
def test_yes_no_operators(op, fact, expected):
    assert matches([{"fact": "disability_or_illness", "op": op}], {"disability_or_illness": fact}) is expected


def test_a_band_is_compared_as_text():
    conditions = [{"fact": "auditc.band", "op": "eq", "value": "risk"}]
    assert matches(conditions, {"auditc.band": "risk"})
    assert not matches(conditions, {"auditc.band": "low"})


@pytest.mark.parametrize("op", list(evaluation.OPERATORS))
def test_a_missing_or_empty_fact_never_matches(op):
    value = None if op in {"is_true", "is_false"} else [1] if op in {"in", "not_in"} else 1
    fact = "disability_or_illness" if op in {"is_true", "is_false"} else "unemployed_months"
    condition = {"fact": fact, "op": op} | ({} if value is None else {"value": value})
    assert not matches([condition], {})
    assert not matches([condition], {fact: None})


def test_all_needs_every_condition_and_any_needs_one():
    conditions = [
        {"fact": "unemployed_months", "op": "gte", "value": 12},
        {"fact": "age", "op": "gte", "value": 50},
    ]
    assert matches(conditions, {"unemployed_months": 12, "age": 50})
    assert not matches(conditions, {"unemployed_months": 12, "age": 49})
    assert matches(conditions, {"unemployed_months": 0, "age": 50}, match="any")
    assert not matches(conditions, {"unemployed_months": 0, "age": 20}, match="any")


def test_the_evidence_names_the_facts_the_rule_read_with_their_values():
    spec = rule([{"fact": "phq9.score", "op": "gte", "value": 10}])
    [finding] = evaluate(compile_rules([spec]), {"phq9.score": 14, "phq9.band": "moderate", "age": 40})
    assert finding.rule is spec
    assert finding.facts == {"phq9.score": 14}


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            {"match": "all", "conditions": [{"fact": "shoe_size", "op": "gt", "value": 1}]},
            "unknown fact “shoe_size”",
        ),
        (
            {"match": "all", "conditions": [{"fact": "age", "op": "about", "value": 1}]},
            "unknown operator “about”",
        ),
        (
            {"match": "all", "conditions": [{"fact": "age", "op": "gte", "value": "50"}]},
            "does not fit the fact “age”",
        ),
        (
            {"match": "all", "conditions": [{"fact": "benefit", "op": "gt", "value": "x"}]},
            "needs a number fact",
        ),
        ({"match": "all", "conditions": [{"fact": "age", "op": "is_true"}]}, "needs a yes/no fact"),
        ({"match": "all", "conditions": [{"fact": "age", "op": "in", "value": 5}]}, "give a list of values"),
        (
            {"match": "most", "conditions": [{"fact": "age", "op": "gte", "value": 5}]},
            "“match” is “all” or “any”",
        ),
        ({"match": "all", "conditions": []}, "at least one condition"),
        ([], "Write the conditions as"),
        (
            {"match": "all", "conditions": [{"fact": "phq9.item.9", "op": "gt", "value": 0, "x": 1}]},
            "Condition 1: write it as",
        ),
    ],
)
def test_validation_names_unknown_facts_and_operators_and_unfit_values(conditions, message):
    with pytest.raises(ValidationError) as error:
        validate(conditions)
    assert any(message in text for text in error.value.messages), error.value.messages


@pytest.mark.parametrize(
    "fact",
    [
        "was.score",
        "phq9.band",
        "phq9.item.9",
        "gad7.score",
        "auditc.band",
        "polku_fc.mobility",
        "age",
        "benefit",
    ],
)
def test_known_facts_validate(fact):
    kind = evaluation.fact_type(fact)
    value = "x" if kind is str else 1
    validate({"match": "all", "conditions": [{"fact": fact, "op": "eq", "value": value}]})


def test_rules_that_cannot_match_registry_facts_are_left_out_for_the_import():
    registry = rule([{"fact": "age", "op": "gte", "value": 50}], code="registry")
    questionnaire = rule([{"fact": "phq9.score", "op": "gte", "value": 10}], code="questionnaire")
    mixed_any = rule(
        [{"fact": "phq9.score", "op": "gte", "value": 10}, {"fact": "age", "op": "gte", "value": 60}],
        match="any",
        code="mixed",
    )
    compiled = compile_rules([registry, questionnaire, mixed_any], only_facts=evaluation.REGISTRY_FACTS)
    assert [c.spec.code for c in compiled] == ["registry", "mixed"]


def test_the_evaluator_screens_300000_people_in_a_few_seconds():
    rules = compile_rules(
        [
            rule(
                [
                    {"fact": "unemployed_months", "op": "gte", "value": 12},
                    {"fact": "age", "op": "gte", "value": 50},
                ]
            ),
            rule([{"fact": "unemployed_months", "op": "gte", "value": 24}]),
            rule([{"fact": "disability_or_illness", "op": "is_true"}]),
            rule(
                [
                    {"fact": "disability_or_illness", "op": "is_true"},
                    {"fact": "unemployed_months", "op": "gte", "value": 3},
                ]
            ),
        ]
    )
    people = [
        {"age": 20 + n % 45, "unemployed_months": n % 40, "disability_or_illness": n % 7 == 0}
        for n in range(30_000)
    ]
    started = time.perf_counter()
    for _ in range(10):
        for facts in people:
            evaluate(rules, facts)
    assert time.perf_counter() - started < 5
