"""What the figures are about (organisation, unit, municipality, county, all, or the worker's own
caseload) and which of these a viewer may choose.

A manager sees their own organisation's cases as a whole, by unit and by the clients' municipality;
the county and the whole country sum every organisation's cases, never broken down by organisation, so
another organisation's figures are seen only inside those totals. A personal worker sees their own
caseload only. Nobody is offered a scope narrower than a unit: no filter leads to a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Role, Unit
from polku.clients.models import Municipality
from polku.insights.models import CaseFact


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    q: Q
    # The organisation whose targets apply (None for county and national totals and the worker's own).
    organisation_id: int | None = None


def is_manager(viewer: Membership) -> bool:
    return viewer.has_role(Role.MANAGER)


def available(viewer: Membership) -> list[Scope]:
    """The scopes the viewer may choose, the default first."""
    if viewer.has_role(Role.PERSONAL_WORKER):
        return [Scope("caseload", _("My caseload"), Q(worker_id=viewer.pk))]
    if not is_manager(viewer):
        return []
    organisation = viewer.unit.organisation
    own = Q(organisation_id=organisation.pk)
    scopes = [Scope("organisation", organisation.display_name, own, organisation.pk)]
    for unit in Unit.objects.filter(organisation=organisation).order_by("name"):
        scopes.append(
            Scope(
                f"unit:{unit.public_id}",
                f"{organisation.display_name}: {unit.display_name}",
                Q(unit_id=unit.pk),
                organisation.pk,
            )
        )
    codes = CaseFact.objects.filter(own).values_list("municipality", flat=True).distinct()
    counties = CaseFact.objects.filter(own).exclude(county="").values_list("county", flat=True).distinct()
    for municipality in Municipality.objects.filter(code__in=list(codes)):
        scopes.append(
            Scope(
                f"municipality:{municipality.code}",
                _("%(organisation)s: clients living in %(municipality)s")
                % {"organisation": organisation.display_name, "municipality": municipality},
                own & Q(municipality=municipality.code),
                organisation.pk,
            )
        )
    for county in sorted(set(counties)):
        scopes.append(
            Scope(
                f"county:{county}", _("%(county)s, all organisations") % {"county": county}, Q(county=county)
            )
        )
    scopes.append(Scope("all", _("All of Polku, all organisations"), Q()))
    return scopes


def offered(viewer: Membership, asked: str | None) -> list[Scope]:
    """The scopes the viewer may choose; asking for another (another organisation's unit or
    municipality, a scope of another role, a made-up key) is an audited refusal answered with 404."""
    scopes = available(viewer)
    if asked and asked not in {scope.key for scope in scopes}:
        permissions.refuse(viewer, "insights.view", hide=True)
    return scopes


def chosen(viewer: Membership, key: str | None) -> Scope | None:
    """The scope with this key if the viewer may choose it (the default for no key), else None."""
    scopes = available(viewer)
    if not scopes:
        return None
    if not key:
        return scopes[0]
    return next((scope for scope in scopes if scope.key == key), None)
