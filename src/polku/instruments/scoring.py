"""Scores, subscales, the band and the alerts of a set of answers to one version.

Pure functions over a version whose items, options, subscales, bands and alert rules are loaded (see
`selectors.version_for_answering`), so scoring runs no queries of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from polku.core import limits
from polku.instruments.models import AlertRule, Band, InstrumentVersion, Item, ItemKind


@dataclass(frozen=True)
class Result:
    item_scores: dict[str, int]
    total: int
    subscales: dict[str, int]
    band: Band | None
    alerts: list[AlertRule] = field(default_factory=list)


def clean_answer(item: Item, value: Any) -> Any:
    """The stored form of one answer, or ValueError with a message for the person answering."""
    if value in (None, ""):
        return None
    if item.kind == ItemKind.CHOICE:
        codes = {option.code for option in item.options.all()}
        if str(value) not in codes:
            raise ValueError(_("Choose one of the options."))
        return str(value)
    if item.kind in (ItemKind.SCALE, ItemKind.INTEGER):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
        if item.min_value is not None and number < item.min_value:
            raise ValueError(_("The smallest allowed value is %(min)s.") % {"min": item.min_value})
        if item.max_value is not None and number > item.max_value:
            raise ValueError(_("The largest allowed value is %(max)s.") % {"max": item.max_value})
        return number
    if item.kind == ItemKind.BOOLEAN:
        if value in (True, "yes", "true"):
            return True
        if value in (False, "no", "false"):
            return False
        raise ValueError(_("Answer yes or no."))
    text = str(value).strip()
    if len(text) > limits.LIST:
        raise ValueError(limits.too_long_message(len(text), limits.LIST))
    return text or None


def item_score(item: Item, value: Any) -> int | None:
    if value is None:
        return None
    if item.kind == ItemKind.CHOICE:
        for option in item.options.all():
            if option.code == value:
                return option.score
        return None
    if item.kind == ItemKind.SCALE:
        return int(value)
    return None


def band_for(version: InstrumentVersion, total: int, sex: str) -> Band | None:
    """The band the total falls in; a band for the client's sex wins over one for anyone."""
    matching = [band for band in version.bands.all() if band.min_score <= total <= band.max_score]
    for band in matching:
        if band.sex == sex:
            return band
    return next((band for band in matching if band.sex == ""), None)


def score(version: InstrumentVersion, answers: dict[str, Any], *, sex: str) -> Result:
    items = list(version.items.all())
    item_scores: dict[str, int] = {}
    for item in items:
        value = item_score(item, answers.get(item.link_id))
        if value is not None:
            item_scores[item.link_id] = value
    total = sum(item_scores.values())
    subscales = {
        subscale.code: sum(item_scores.get(link_id, 0) for link_id in subscale.link_ids)
        for subscale in version.subscales.all()
    }
    alerts = [
        rule
        for rule in version.alert_rules.all()
        if rule.link_id in item_scores and item_scores[rule.link_id] >= rule.min_score
    ]
    return Result(item_scores, total, subscales, band_for(version, total, sex), alerts)


def check_definition(version: InstrumentVersion) -> list[str]:
    """What keeps a version from being published: every total from 0 to the maximum must fall in exactly
    one band for women and for men, choices need options, and rules must name items that exist."""
    problems: list[str] = []
    items = list(version.items.all())
    link_ids = {item.link_id for item in items}
    if not items:
        problems.append(_("The version has no items."))
    for item in items:
        if item.kind == ItemKind.CHOICE and not list(item.options.all()):
            problems.append(_("Item %(link)s has no answer options.") % {"link": item.link_id})
        if item.kind == ItemKind.SCALE and (item.min_value is None or item.max_value is None):
            problems.append(_("Scale %(link)s needs a minimum and a maximum.") % {"link": item.link_id})
        if not item.text.get("fi"):
            problems.append(_("Item %(link)s has no Finnish text.") % {"link": item.link_id})
    for subscale in version.subscales.all():
        for link_id in set(subscale.link_ids) - link_ids:
            problems.append(
                _("Subscale %(code)s names an unknown item %(link)s.")
                % {"code": subscale.code, "link": link_id}
            )
    for rule in version.alert_rules.all():
        if rule.link_id not in link_ids:
            problems.append(_("An alert rule names an unknown item %(link)s.") % {"link": rule.link_id})
    bands = list(version.bands.all())
    if bands:
        maximum = sum(item.max_score() for item in items)
        for sex in ("female", "male"):
            for total in range(maximum + 1):
                found = [b for b in bands if b.min_score <= total <= b.max_score and b.sex in ("", sex)]
                specific = [b for b in found if b.sex == sex]
                if len(specific) > 1 or (not specific and len(found) != 1):
                    problems.append(
                        _("A score of %(total)s falls in %(count)s bands.")
                        % {"total": total, "count": len(found)}
                    )
                    break
    return problems
