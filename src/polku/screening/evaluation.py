"""Screening rules evaluated over a flat dict of facts: pure functions, no database.

A rule's conditions are data: `{"match": "all" | "any", "conditions": [{"fact", "op", "value"}]}`.
Facts come from two places and share one namespace:

- instruments (`instruments.selectors.response_facts`): `"<code>.score"`, `"<code>.band"`,
  `"<code>.<subscale>"` and `"<code>.item.<link id>"` for the codes in INSTRUMENT_CODES;
- registry extracts (`intake`): the names in REGISTRY_FACTS.

A fact that is missing or None makes its condition false, so a rule over questionnaire answers never
matches a person known only from a registry extract. Rules are compiled once into closures
(`compile_rules`) because the import runs them over hundreds of thousands of people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

Facts = Mapping[str, Any]

REGISTRY_FACTS: dict[str, type] = {
    "age": int,
    "unemployed_months": int,
    "disability_or_illness": bool,
    "benefit": str,
    "months_since_last_activation": int,
}
INSTRUMENT_CODES = ("was", "phq9", "gad7", "auditc", "polku_fc")
_INSTRUMENT_FACT = re.compile(
    "^(" + "|".join(INSTRUMENT_CODES) + r")\.(score|band|[a-z][a-z0-9_]*|item\.[A-Za-z0-9_.-]+)$"
)

NUMBER_OPERATORS = {"lt", "lte", "gt", "gte"}
OPERATORS: dict[str, Any] = {
    "eq": _("equals"),
    "ne": _("does not equal"),
    "lt": _("is less than"),
    "lte": _("is at most"),
    "gt": _("is more than"),
    "gte": _("is at least"),
    "in": _("is one of"),
    "not_in": _("is none of"),
    "is_true": _("is yes"),
    "is_false": _("is no"),
}
_NO_VALUE = {"is_true", "is_false"}
MATCHES = ("all", "any")


def fact_type(name: str) -> type | None:
    """The type of a known fact (int for instrument scores and items, str for bands), None if unknown."""
    if name in REGISTRY_FACTS:
        return REGISTRY_FACTS[name]
    match = _INSTRUMENT_FACT.match(name)
    if not match:
        return None
    return str if match.group(2) == "band" else int


def is_registry_fact(name: str) -> bool:
    return name in REGISTRY_FACTS


def validate(conditions: Any) -> None:
    """Raise a ValidationError naming every unknown fact, operator or unfit value."""
    errors: list[ValidationError] = []
    if not isinstance(conditions, dict) or set(conditions) - {"match", "conditions"}:
        raise ValidationError(
            _('Write the conditions as {"match": "all" or "any", "conditions": [...]}.'), code="shape"
        )
    if conditions.get("match", "all") not in MATCHES:
        errors.append(ValidationError(_("“match” is “all” or “any”."), code="match"))
    items = conditions.get("conditions")
    if not isinstance(items, list) or not items:
        raise ValidationError(_("A rule needs at least one condition."), code="empty")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) - {"fact", "op", "value"} or "fact" not in item:
            errors.append(
                ValidationError(
                    _("Condition %(n)s: write it as {“fact”: …, “op”: …, “value”: …}."),
                    params={"n": number},
                    code="condition_shape",
                )
            )
            continue
        errors.extend(_check_condition(number, item))
    if errors:
        raise ValidationError(errors)


def _check_condition(number: int, item: dict[str, Any]) -> list[ValidationError]:
    fact, op, value = item.get("fact"), item.get("op"), item.get("value")
    kind = fact_type(fact) if isinstance(fact, str) else None
    params = {"n": number, "fact": fact, "op": op}
    if kind is None:
        return [ValidationError(_("Condition %(n)s: unknown fact “%(fact)s”."), params=params, code="fact")]
    if op not in OPERATORS:
        return [ValidationError(_("Condition %(n)s: unknown operator “%(op)s”."), params=params, code="op")]
    if op in _NO_VALUE:
        if kind is not bool:
            return [
                ValidationError(_("Condition %(n)s: “%(op)s” needs a yes/no fact."), params=params, code="op")
            ]
        return []
    if op in {"in", "not_in"} and (not isinstance(value, list) or not value):
        return [ValidationError(_("Condition %(n)s: give a list of values."), params=params, code="value")]
    values: list[Any] = value if isinstance(value, list) and op in {"in", "not_in"} else [value]
    if op in NUMBER_OPERATORS and kind is not int:
        return [
            ValidationError(_("Condition %(n)s: “%(op)s” needs a number fact."), params=params, code="op")
        ]
    for one in values:
        if not _fits(kind, one):
            return [
                ValidationError(
                    _("Condition %(n)s: the value does not fit the fact “%(fact)s”."),
                    params=params,
                    code="value",
                )
            ]
    return []


def _fits(kind: type, value: Any) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


# --- Evaluation ---------------------------------------------------------------------------------------

Predicate = Callable[[Facts], bool]


def _condition(fact: str, op: str, value: Any) -> Predicate:
    # Each operator is its own closure reading the fact directly: no dispatch while evaluating.
    if op == "eq":
        return lambda facts: (v := facts.get(fact)) is not None and v == value
    if op == "ne":
        return lambda facts: (v := facts.get(fact)) is not None and v != value
    if op == "lt":
        return lambda facts: (v := facts.get(fact)) is not None and v < value
    if op == "lte":
        return lambda facts: (v := facts.get(fact)) is not None and v <= value
    if op == "gt":
        return lambda facts: (v := facts.get(fact)) is not None and v > value
    if op == "gte":
        return lambda facts: (v := facts.get(fact)) is not None and v >= value
    if op == "in":
        members = frozenset(value)
        return lambda facts: (v := facts.get(fact)) is not None and v in members
    if op == "not_in":
        members = frozenset(value)
        return lambda facts: (v := facts.get(fact)) is not None and v not in members
    if op == "is_true":
        return lambda facts: facts.get(fact) is True
    if op == "is_false":
        return lambda facts: facts.get(fact) is False
    raise ValueError(f"Unknown operator {op!r}")


def compile_conditions(conditions: Mapping[str, Any]) -> Predicate:
    """One predicate for the rule's conditions (validate them first)."""
    parts = [_condition(c["fact"], c["op"], c.get("value")) for c in conditions["conditions"]]
    if len(parts) == 1:
        return parts[0]
    if conditions.get("match", "all") == "any":
        return lambda facts: any(part(facts) for part in parts)
    if len(parts) == 2:
        first, second = parts
        return lambda facts: first(facts) and second(facts)
    return lambda facts: all(part(facts) for part in parts)


def facts_of(conditions: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(c["fact"] for c in conditions["conditions"]))


@dataclass(frozen=True)
class RuleSpec:
    """What evaluation needs of a rule version (a model instance or a plain description)."""

    id: int
    code: str
    version: int
    name: str
    need_kind: str
    priority: int
    conditions: Mapping[str, Any]


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    matches: Predicate
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A rule that matched, with the facts its conditions read and their values (the evidence)."""

    rule: RuleSpec
    facts: dict[str, Any]


def compile_rules(
    rules: Iterable[RuleSpec], *, only_facts: Iterable[str] | None = None
) -> list[CompiledRule]:
    """Compile rules once. With `only_facts`, rules that could never match on those facts (an "all" rule
    reading any other fact, an "any" rule reading none of them) are left out."""
    available = set(only_facts) if only_facts is not None else None
    compiled = []
    for spec in rules:
        names = facts_of(spec.conditions)
        if available is not None:
            wanted = set(names)
            match_any = spec.conditions.get("match", "all") == "any"
            if (match_any and not wanted & available) or (not match_any and not wanted <= available):
                continue
        compiled.append(CompiledRule(spec, compile_conditions(spec.conditions), tuple(names)))
    return compiled


def evaluate(rules: Iterable[CompiledRule], facts: Facts) -> list[Finding]:
    """The rules that match the facts, each with its evidence, in the order given."""
    return [
        Finding(rule.spec, {name: facts.get(name) for name in rule.facts if name in facts})
        for rule in rules
        if rule.matches(facts)
    ]


# --- How strong a finding is (the worklist's order) ----------------------------------------------------

# A rule's weight by its priority: one urgent finding outweighs three high ones, a high one three normal.
PRIORITY_WEIGHTS = {1: 9, 2: 3, 3: 1}


def margin(op: str, value: Any, threshold: Any) -> float:
    """How far past its threshold a number fact is, relative to the threshold (at least 1), from 0 to 1:
    36 months unemployed against "at least 24" is 0.5, against "at least 12" 1 (capped)."""
    numbers = (int, float)
    if op not in NUMBER_OPERATORS or isinstance(value, bool) or not isinstance(value, numbers):
        return 0.0
    if isinstance(threshold, bool) or not isinstance(threshold, numbers):
        return 0.0
    distance = value - threshold if op in ("gt", "gte") else threshold - value
    return max(0.0, min(1.0, distance / max(abs(threshold), 1)))


def strength(spec: RuleSpec, facts: Facts) -> float:
    """A matching rule's weight times one plus the mean margin of its number conditions: from the weight
    (just at the threshold, or a yes/no rule) to twice the weight (far past it)."""
    margins = [
        margin(c["op"], facts.get(c["fact"]), c.get("value"))
        for c in spec.conditions["conditions"]
        if c["op"] in NUMBER_OPERATORS
    ]
    return PRIORITY_WEIGHTS.get(spec.priority, 1) * (1 + (sum(margins) / len(margins) if margins else 0.0))


def score(findings: Iterable[tuple[RuleSpec, Facts]]) -> int:
    """The worklist score: 100 times the sum of the strengths of the rules that matched (intake README)."""
    return round(100 * sum(strength(spec, facts) for spec, facts in findings))
