"""Evidence and rule conditions as sentences in the reader's language.

Facts stay machine-readable where they are stored (`NeedEvidence.facts`, `RegistryPerson.flags`,
`ScreeningRule.conditions`); this module is the one place that turns them into words: each fact has a
label and a sentence for its value (numbers localised, durations in months, yes/no facts as a sentence),
each comparison reads as words ("at least 10"), and evidence names where it came from once, with one
date (d.m.yyyy in Europe/Helsinki).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from polku.screening import evaluation

# The questionnaires rules can read, by the code their facts start with (product names, not translated).
INSTRUMENT_NAMES = {"was": "WAS", "phq9": "PHQ-9", "gad7": "GAD-7", "auditc": "AUDIT-C"}

# The names of the default rules (migration 0002): shown translated while an administrator has not
# renamed the rule; a name written in the admin is shown as written.
DEFAULT_RULE_NAMES = (
    gettext_noop("PHQ-9: thoughts of self-harm (item 9 above 0)"),
    gettext_noop("PHQ-9 score 10 or more (at least moderate depression symptoms)"),
    gettext_noop("GAD-7 score 10 or more (at least moderate anxiety symptoms)"),
    gettext_noop("AUDIT-C at the risk level"),
    gettext_noop("Work Ability Score 5 or less: comprehensive work ability assessment"),
    gettext_noop("Unemployed 12 months or more and aged 50 or more"),
    gettext_noop("Unemployed 24 months or more"),
    gettext_noop("Disability or long-term illness known: physical health"),
    gettext_noop("Disability or long-term illness and unemployed: work ability assessment"),
)


def rule_name(name: str) -> str:
    return _(name) if name in DEFAULT_RULE_NAMES else name


def _instrument(code: str) -> str:
    if code == "polku_fc":
        return _("Functioning self-assessment")
    return INSTRUMENT_NAMES.get(code, code)


def _band(code: str) -> str:
    labels = {
        "minimal": pgettext("questionnaire result", "minimal symptoms"),
        "mild": pgettext("questionnaire result", "mild symptoms"),
        "moderate": pgettext("questionnaire result", "moderate"),
        "moderately_severe": pgettext("questionnaire result", "moderately severe symptoms"),
        "severe": pgettext("questionnaire result", "severe symptoms"),
        "risk": pgettext("questionnaire result", "above the risk threshold"),
        "low_risk": pgettext("questionnaire result", "no sign of risk"),
        "poor": pgettext("questionnaire result", "poor"),
        "good": pgettext("questionnaire result", "good"),
        "excellent": pgettext("questionnaire result", "excellent"),
    }
    return labels.get(code, code.replace("_", " "))


def _benefit(code: str) -> str:
    # The same words as intake.models.Benefit (one translation for both); screening does not import intake.
    labels = {
        "labour_market_subsidy": _("Labour market subsidy"),
        "basic_allowance": _("Basic unemployment allowance"),
        "earnings_related": _("Earnings-related allowance"),
        "none": _("No benefit"),
    }
    return labels.get(code, code)


_INSTRUMENT_PART = re.compile(r"^([a-z0-9_]+)\.(.+)$")


def _split(fact: str) -> tuple[str, str] | None:
    """(instrument code, rest) for an instrument fact, None for a registry fact."""
    if evaluation.is_registry_fact(fact):
        return None
    match = _INSTRUMENT_PART.match(fact)
    return (match.group(1), match.group(2)) if match else None


# --- Values ---------------------------------------------------------------------------------------------


def format_date(value: date | datetime) -> str:
    """d.m.yyyy; a moment in time as the date it was in Helsinki."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return date_format(value, "SHORT_DATE_FORMAT")


def format_value(fact: str, value: Any) -> str:
    """A value on its own, as words: numbers localised, yes/no, known codes by their label."""
    if value is None:
        return _("not known")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_format(value, use_l10n=True)
    if isinstance(value, date | datetime):
        return format_date(value)
    if isinstance(value, list):
        return ", ".join(format_value(fact, one) for one in value)
    text = str(value)
    if fact == "benefit":
        return _benefit(text)
    if fact.endswith(".band"):
        return _band(text)
    return text


def fact_label(fact: str) -> str:
    """What the fact is, e.g. "PHQ-9 score", "Months unemployed"."""
    registry = {
        "age": _("Age"),
        "unemployed_months": _("Months unemployed"),
        "disability_or_illness": _("Disability or long-term illness"),
        "benefit": _("Benefit"),
        "months_since_last_activation": _("Months since the last activation service"),
    }
    if fact in registry:
        return registry[fact]
    parts = _split(fact)
    if parts is None:
        return fact
    code, rest = parts
    name = _instrument(code)
    if rest == "score":
        return _("%(instrument)s score") % {"instrument": name}
    if rest == "band":
        return _("%(instrument)s result") % {"instrument": name}
    if rest.startswith("item."):
        return _("%(instrument)s question %(item)s") % {"instrument": name, "item": rest[5:]}
    return _("%(instrument)s, %(part)s") % {"instrument": name, "part": rest.replace("_", " ")}


def fact_sentence(fact: str, value: Any) -> str:
    """The fact and its value as a short sentence, e.g. "PHQ-9 score 16", "Unemployed for 36 months"."""
    if value is None:
        return _("%(label)s: not known") % {"label": fact_label(fact)}
    number = format_value(fact, value)
    if fact == "disability_or_illness" and isinstance(value, bool):
        return (
            _("Disability or long-term illness known")
            if value
            else _("No known disability or long-term illness")
        )
    if isinstance(value, int) and not isinstance(value, bool):
        if fact == "age":
            return ngettext("Aged %(value)s year", "Aged %(value)s years", value) % {"value": number}
        if fact == "unemployed_months":
            return ngettext("Unemployed for %(value)s month", "Unemployed for %(value)s months", value) % {
                "value": number
            }
        if fact == "months_since_last_activation":
            return ngettext(
                "Last activation service ended %(value)s month ago",
                "Last activation service ended %(value)s months ago",
                value,
            ) % {"value": number}
        parts = _split(fact)
        if parts and parts[1] == "score":
            return _("%(instrument)s score %(value)s") % {
                "instrument": _instrument(parts[0]),
                "value": number,
            }
        if parts:
            return ngettext("%(label)s: %(value)s point", "%(label)s: %(value)s points", value) % {
                "label": fact_label(fact),
                "value": number,
            }
    return _("%(label)s: %(value)s") % {"label": fact_label(fact), "value": number}


# --- Conditions -----------------------------------------------------------------------------------------


def comparison(fact: str, op: str, value: Any) -> str:
    """The comparison as words, e.g. "at least 10", "one of: Labour market subsidy, No benefit"."""
    shown = format_value(fact, value)
    words = {
        "gte": _("at least %(value)s"),
        "gt": _("more than %(value)s"),
        "lte": _("at most %(value)s"),
        "lt": _("less than %(value)s"),
        "ne": _("not %(value)s"),
        "in": _("one of: %(value)s"),
        "not_in": _("none of: %(value)s"),
    }
    if op == "eq":
        return shown
    return words[op] % {"value": shown} if op in words else ""


def condition_text(condition: Mapping[str, Any]) -> str:
    """A rule's condition as a sentence, e.g. "PHQ-9 score at least 10", "Disability or long-term illness
    known"."""
    fact, op = condition["fact"], condition["op"]
    if op in ("is_true", "is_false"):
        return fact_sentence(fact, op == "is_true")
    if op in ("eq", "ne"):
        verb = _("%(label)s is %(value)s") if op == "eq" else _("%(label)s is not %(value)s")
        return verb % {"label": fact_label(fact), "value": format_value(fact, condition.get("value"))}
    return _("%(label)s %(comparison)s") % {
        "label": fact_label(fact),
        "comparison": comparison(fact, op, condition.get("value")),
    }


def conditions_text(conditions: Mapping[str, Any]) -> str:
    """All of a rule's conditions as one sentence joined by "and" or "or"."""
    try:
        items = list(conditions["conditions"])
    except (KeyError, TypeError):
        return ""
    joiner = (
        pgettext("rule conditions", " or ")
        if conditions.get("match", "all") == "any"
        else pgettext("rule conditions", " and ")
    )
    parts = [condition_text(item) for item in items if isinstance(item, Mapping) and "fact" in item]
    return joiner.join([*parts[:1], *(_lower_first(part) for part in parts[1:])])


def _lower_first(text: str) -> str:
    """ "Age at least 50" inside a sentence reads "age at least 50"; "PHQ-9 score" stays as it is."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _threshold(conditions: Sequence[Mapping[str, Any]], fact: str) -> str:
    phrases = [
        comparison(fact, c["op"], c.get("value"))
        for c in conditions
        if c.get("fact") == fact and c.get("op") not in ("is_true", "is_false")
    ]
    if not phrases:
        return ""
    if all(c["op"] in evaluation.NUMBER_OPERATORS for c in conditions if c.get("fact") == fact):
        return _("threshold: %(comparison)s") % {"comparison": ", ".join(phrases)}
    return _("the rule looks for: %(comparison)s") % {"comparison": ", ".join(phrases)}


def finding_sentences(conditions: Mapping[str, Any], facts: Mapping[str, Any]) -> list[str]:
    """Each fact a finding read, as a sentence with the rule's threshold for it, e.g. "PHQ-9 score 16
    (threshold: at least 10)"."""
    items = [c for c in conditions.get("conditions", []) if isinstance(c, Mapping)]
    order = {c.get("fact"): index for index, c in reversed(list(enumerate(items)))}
    sentences = []
    for fact, value in sorted(facts.items(), key=lambda item: order.get(item[0], len(order))):
        sentence = fact_sentence(fact, value)
        threshold = _threshold(items, fact) if value is not None else ""
        sentences.append(f"{sentence} ({threshold})" if threshold else sentence)
    return sentences


# --- Where evidence came from ---------------------------------------------------------------------------

# What the services write as a need's source (instruments.services, intake.services): recognised in any
# language so that the reader sees it in theirs.
_REGISTRY_SOURCE = gettext_noop("Registry extract of %(on)s")
_ANSWERS_SOURCE = gettext_noop("%(title)s answered on %(on)s")
_DATE = r"(?P<on>\d{1,2}\.\d{1,2}\.\d{4})"


@lru_cache(maxsize=16)
def _source_patterns(language: str) -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for msgid in (_REGISTRY_SOURCE, _ANSWERS_SOURCE):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                written = _(msgid)
            regex = re.escape(written).replace(re.escape("%(on)s"), _DATE)
            regex = regex.replace(re.escape("%(title)s"), r"(?P<title>.+?)")
            patterns.append((msgid, re.compile(f"^{regex}$")))
    return patterns


def source_text(source: str, at: datetime | None, facts: Iterable[str] = ()) -> str:
    """Where the evidence came from, with one date: a source the services wrote is said again in the
    reader's language; a source with no date of its own gets the date the evidence was recorded."""
    for msgid, pattern in _source_patterns(translation.get_language() or settings.LANGUAGE_CODE):
        match = pattern.match(source.strip())
        if match is None:
            continue
        on = match.group("on")
        if msgid == _REGISTRY_SOURCE:
            return _("registry extract of %(on)s") % {"on": on}
        facts = list(facts)
        if facts and all(_split(fact) for fact in facts):
            return _("answered on %(on)s") % {"on": on}  # the facts' labels already name the questionnaire
        return _("%(title)s answered on %(on)s") % {"title": match.group("title"), "on": on}
    if at is None:
        return source
    on = format_date(at)
    if not source:
        return _("recorded on %(on)s") % {"on": on}
    if on in source:
        return source
    return _("%(source)s, recorded on %(on)s") % {"source": source, "on": on}


@dataclass(frozen=True)
class EvidenceText:
    """One piece of evidence as the reader sees it."""

    sentences: list[str]
    source: str
    rule: str
    version: int

    def __str__(self) -> str:
        return _("%(facts)s, %(source)s") % {"facts": "; ".join(self.sentences), "source": self.source}


def describe(evidence: Any) -> EvidenceText:
    """A NeedEvidence (with its rule) as sentences."""
    rule = evidence.rule
    facts = evidence.facts or {}
    return EvidenceText(
        sentences=finding_sentences(rule.conditions, facts) or [rule_name(rule.name)],
        source=source_text(evidence.source, evidence.at, facts),
        rule=rule_name(rule.name),
        version=rule.version,
    )
