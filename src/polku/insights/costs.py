"""The estimated municipal share of unemployment benefits for the people on the organisation's registry
extracts in one municipality (MEASURES.md, "The municipal share of unemployment benefits").

The estimate, and every assumption printed beside it:
- the paid-day counter starts on the day unemployment began (the registry extract's `unemployed_since`)
  and grows five days a week (benefits are paid for weekdays);
- each calendar day is costed under the rule version in force on that day (`CostRule`, administered
  with effective-from dates), at the daily amount `POLKU_INSIGHTS_DAILY_AMOUNT` (default EUR 36.17,
  the average labour market subsidy in 2025), only for the benefits that version covers;
- not modelled: days in services before 2025, counter resets after the work condition is met, another
  Kela benefit paid instead, moves between municipalities during the period.
- People whose case closed into work stop costing from the closing day: that is the estimated saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from polku.clients.models import CaseOutcome
from polku.insights import disclosure
from polku.insights.models import CaseFact, CostRule
from polku.insights.periods import Period
from polku.intake.models import RegistryPerson

IN_WORK = {
    CaseOutcome.OPEN_MARKET_FULL_TIME,
    CaseOutcome.OPEN_MARKET_PART_TIME,
    CaseOutcome.WAGE_SUBSIDY,
    CaseOutcome.SELF_EMPLOYMENT,
}


def daily_amount() -> Decimal:
    return Decimal(str(getattr(settings, "POLKU_INSIGHTS_DAILY_AMOUNT", "36.17")))


def share_on(rule: CostRule, paid_days: int) -> float:
    share = 0.0
    for step in sorted(rule.steps, key=lambda s: s["from_day"]):
        if paid_days >= step["from_day"]:
            share = float(step["share"])
    return share


def rule_on(rules: list[CostRule], day: date) -> CostRule | None:
    found = None
    for rule in rules:
        if rule.effective_from <= day:
            found = rule
    return found


def person_cost(rules: list[CostRule], since: date, benefit: str, period: Period, stop: date | None) -> float:
    """The municipal share in euros over the period for one person (before the daily amount)."""
    total = 0.0
    day = max(period.start, since)
    end = min(period.end, stop - timedelta(days=1)) if stop else period.end
    while day <= end:
        if day.weekday() < 5:
            rule = rule_on(rules, day)
            if rule is not None and benefit in rule.benefits:
                weeks, rest = divmod((day - since).days, 7)
                paid_days = weeks * 5 + min(rest, 5) + 1
                total += share_on(rule, paid_days)
        day += timedelta(days=1)
    return total


@dataclass
class Estimate:
    people: disclosure.Cell
    cost: Decimal | None
    saving: Decimal | None
    working: disclosure.Cell
    rules: list[CostRule]
    amount: Decimal


def estimate(*, organisation_id: int, municipality: str, period: Period) -> Estimate:
    rules = list(CostRule.objects.order_by("effective_from"))
    people = list(
        RegistryPerson.objects.filter(
            unit__organisation_id=organisation_id,
            municipality_id=municipality,
            unemployed_since__isnull=False,
        ).values_list("client_id", "unemployed_since", "benefit")
    )
    # Closed into work: the client's latest such closing in the organisation.
    into_work = dict(
        CaseFact.objects.filter(
            organisation_id=organisation_id, outcome__in=IN_WORK, closed_on__lte=period.end
        )
        .values_list("case__client_id", "closed_on")
        .order_by("closed_on")
    )
    amount = daily_amount()
    cost = saving = 0.0
    working = 0
    for client_id, since, benefit in people:
        assert since is not None  # filtered above
        stop = into_work.get(client_id)
        cost += person_cost(rules, since, benefit, period, stop)
        if stop is not None and stop <= period.end:
            working += 1
            saving += person_cost(rules, since, benefit, period, None) - person_cost(
                rules, since, benefit, period, stop
            )
    counted = disclosure.protect_values([len(people)])[0]
    in_work = disclosure.protect_values([working])[0]
    return Estimate(
        people=counted,
        cost=(amount * Decimal(str(cost))).quantize(Decimal("1"))
        if counted.is_shown and disclosure.enough(len(people))
        else None,
        saving=(amount * Decimal(str(saving))).quantize(Decimal("1"))
        if in_work.is_shown and disclosure.enough(working)
        else None,
        working=in_work,
        rules=rules,
        amount=amount,
    )


def assumptions(found: Estimate) -> list[Any]:
    from django.utils.translation import gettext as _

    lines = [
        _("Daily amount: EUR %(amount)s (setting POLKU_INSIGHTS_DAILY_AMOUNT).") % {"amount": found.amount},
        _("Paid days are counted five a week from the day unemployment began (registry extract)."),
        _(
            "Not modelled: service days before 2025, counter resets after the work condition, "
            "other Kela benefits paid instead, moves."
        ),
    ]
    return lines
