"""The staff pickers of a case (adding a team member, handing the case over): the candidates, and the
few of them a picker lists with a search for the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import QuerySet, Value, When

from polku.accounts.models import Membership, Role
from polku.clients.models import TEAM_ROLES, Case
from polku.core.search import every_word

__all__ = [
    "STAFF_CHOICES_SHOWN",
    "StaffChoices",
    "personal_worker_candidates",
    "staff_choices",
    "team_candidates",
]


def team_candidates(case: Case) -> QuerySet[Membership]:
    """Active staff who could join the team: working with clients, not on it already. The case's own
    organisation comes first, the others by name."""
    on_team = case.team.filter(ended_on__isnull=True).values("membership")
    return (
        Membership.objects.active()
        .filter(role__in=TEAM_ROLES)
        .exclude(pk__in=on_team)
        .select_related("user", "unit__organisation")
        .alias(
            other_organisation=DbCase(
                When(unit__organisation_id=case.unit.organisation_id, then=Value(0)), default=Value(1)
            )
        )
        .order_by(
            "other_organisation", "unit__organisation__name", "user__last_name", "user__first_name", "pk"
        )
    )


def personal_worker_candidates(case: Case) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(role=Role.PERSONAL_WORKER, unit__organisation=case.unit.organisation)
        .exclude(pk=case.personal_worker_id or 0)
        .select_related("user", "unit__organisation")
        .order_by("unit__name", "user__last_name", "user__first_name", "pk")
    )


# A picker of staff lists at most this many; a search by name, email, unit or organisation finds the rest.
# Large organisations have thousands of staff (the benchmark data: 1,524 personal workers in Oulu).
STAFF_CHOICES_SHOWN = 50


@dataclass(frozen=True)
class StaffChoices:
    shown: list[Membership]
    matching: int  # how many candidates match the query, of which `shown` holds the first `limit`
    query: str
    limit: int

    @property
    def cut(self) -> bool:
        """Whether some who match are not listed."""
        return self.matching > self.limit


def staff_choices(
    candidates: QuerySet[Membership], *, query: str, selected: Any = None, limit: int = STAFF_CHOICES_SHOWN
) -> StaffChoices:
    """The candidates a picker lists: those matching every word of `query` (up to five; the query as
    searched is returned) in their name, email, unit or organisation, at most `limit` of them, and the
    `selected` one (a posted choice) even if it is not among them, so that a form shown again with an
    error keeps what was chosen. Two queries at most, three with a kept choice. `query` is a cleaned
    term (`identity.name_search_term`)."""
    query = " ".join(query.split()[:5])
    matches = candidates.filter(
        every_word(
            query,
            "user__first_name",
            "user__last_name",
            "user__email",
            "unit__name",
            "unit__name_sv",
            "unit__organisation__name",
            "unit__organisation__name_sv",
        )
    )
    shown = list(matches[: limit + 1])
    matching = len(shown) if len(shown) <= limit else matches.count()
    shown = shown[:limit]
    kept = str(selected or "")[:18]
    if kept.isascii() and kept.isdigit() and int(kept) not in {membership.pk for membership in shown}:
        shown = [*candidates.filter(pk=int(kept)), *shown]
    return StaffChoices(shown=shown, matching=matching, query=query, limit=limit)
