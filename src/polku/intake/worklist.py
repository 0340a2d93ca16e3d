"""What the worklist shows of each person: why they are on it (the strongest reasons as sentences), the
rules that flagged them with their evidence, and whether their home municipality is outside the unit's
area. Presentation only: it reads what `selectors` returned and asks the database nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from polku.accounts.models import Membership
from polku.intake.models import RegistryPerson
from polku.screening import evaluation, evidence

TOP_REASONS = 3


def unit_area(viewer: Membership) -> frozenset[str]:
    """The municipality codes the viewer's unit serves: its organisation's municipality code
    (`accounts.Organisation.municipality_code`, set for municipalities and organisations serving one
    municipality). Empty when the organisation has none (a wellbeing services county, Kela): its area is
    not recorded, so nobody is flagged as outside it."""
    code = viewer.unit.organisation.municipality_code
    return frozenset({code}) if code else frozenset()


def outside_area_warning(person: RegistryPerson, area: frozenset[str]) -> str:
    """The warning for a person whose home municipality is outside the area, "" otherwise."""
    if not area or person.municipality_id in area:
        return ""
    return _("Home municipality %(municipality)s is outside the unit's area") % {
        "municipality": str(person.municipality)
    }


@dataclass
class Flag:
    """One rule that flagged the person, with its evidence as sentences."""

    rule: Any
    name: str
    need: str
    sentences: list[str]
    strength: float


@dataclass
class Row:
    person: RegistryPerson
    flags: list[Flag] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    outside_area: str = ""


def _holds(condition: dict[str, Any], facts: dict[str, Any]) -> bool:
    return evaluation.compile_conditions({"conditions": [condition]})(facts)


def _reasons(flags: list[Flag], facts_by_rule: list[dict[str, Any]]) -> list[str]:
    """The facts behind the strongest rules, each once, with the threshold of the strongest rule it
    passed: "Unemployed for 36 months (threshold: at least 24)"."""
    reasons: list[str] = []
    seen: set[str] = set()
    order = sorted(range(len(flags)), key=lambda i: -flags[i].strength)
    for index in order:
        rule, facts = flags[index].rule, facts_by_rule[index]
        for condition in rule.conditions.get("conditions", []):
            fact = condition.get("fact")
            if fact in seen or fact not in facts or not _holds(condition, facts):
                continue
            seen.add(fact)
            reasons.extend(evidence.finding_sentences({"conditions": [condition]}, {fact: facts[fact]}))
    return reasons[:TOP_REASONS]


def rows(
    people_with_flags: list[tuple[RegistryPerson, list[dict[str, Any]]]], *, area: frozenset[str]
) -> list[Row]:
    """The worklist's rows from `selectors.reasons` (each person with their flags' rules and facts)."""
    result = []
    for person, flags in people_with_flags:
        shown: list[Flag] = []
        facts_by_rule: list[dict[str, Any]] = []
        for flag in flags:
            rule, facts = flag["rule"], dict(flag["facts"])
            shown.append(
                Flag(
                    rule=rule,
                    name=evidence.rule_name(rule.name),
                    need=str(rule.get_need_kind_display()),
                    sentences=evidence.finding_sentences(rule.conditions, facts),
                    strength=evaluation.strength(rule.spec(), facts),
                )
            )
            facts_by_rule.append(facts)
        result.append(
            Row(
                person=person,
                flags=shown,
                reasons=_reasons(shown, facts_by_rule),
                outside_area=outside_area_warning(person, area),
            )
        )
    return result
