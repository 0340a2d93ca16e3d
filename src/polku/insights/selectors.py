"""Scoped reads of the app's own records (the targets); the figures themselves are read by `figures`,
`indicators`, `situation` and `costs` through the scope the viewer chose."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.insights.models import Target


def targets(*, viewer: Membership) -> QuerySet[Target]:
    """The targets of the viewer's organisation, the latest first."""
    return Target.objects.filter(organisation_id=viewer.unit.organisation_id).order_by(
        "-starts_on", "indicator"
    )


def target_for(*, viewer: Membership, pk: int) -> Target:
    """The target if the viewer may manage it; another organisation's (or none) is a 404, audited."""
    target = Target.objects.filter(pk=pk).first()
    if target is None:
        raise Http404
    permissions.require(viewer, "insights.target", target, hide=True)
    return target
