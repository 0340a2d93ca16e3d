"""Who may read and write work ability assessments (discovered at start-up by `AccountsConfig.ready`).

Only the case's team works on its assessments. The personal worker (whoever may manage the case)
starts, invites, records the team meeting and concludes, and writes findings in their own role's
domains; an invited team member writes findings in the domain they were invited for. Which findings a
viewer reads is decided by `clients.access.disclosed_records` (a finding is a record of its author's
organisation in its domain's register: somatic and psychological findings are health care records).
"""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership
from polku.accounts.permissions import remembered, rule
from polku.assessments.choices import ROLE_DOMAINS
from polku.clients.access import is_on_team, works_with_clients
from polku.clients.rules import case_manage


def works_on_assessments(membership: Membership, case: Any) -> bool:
    """On the case's team now, or the one who manages the case (its personal worker)."""
    return works_with_clients(membership) and (case_manage(membership, case) or is_on_team(membership, case))


def assessment_domains(membership: Membership, assessment: Any) -> set[str]:
    """The domains the membership may write findings in: none unless they work on the open case."""
    case = assessment.case
    if not case.is_open or not works_on_assessments(membership, case):
        return set()
    invited = remembered(
        ("assessment_invited", membership.pk, assessment.pk),
        lambda: set(assessment.invitations.filter(member=membership).values_list("domain", flat=True)),
    )
    own = set(ROLE_DOMAINS.get(membership.role, ())) if case_manage(membership, case) else set()
    return set(invited) | own


@rule("assessment.start")
def assessment_start(membership: Membership, case: Any) -> bool:
    return works_with_clients(membership) and case_manage(membership, case)


@rule("assessment.view")
def assessment_view(membership: Membership, assessment: Any) -> bool:
    return works_on_assessments(membership, assessment.case)


@rule("assessment.manage")
def assessment_manage(membership: Membership, assessment: Any) -> bool:
    """Invite, record the team meeting, conclude."""
    return assessment_start(membership, assessment.case)


@rule("assessment.contribute")
def assessment_contribute(membership: Membership, assessment: Any) -> bool:
    return bool(assessment_domains(membership, assessment))


@rule("finding.record")
def finding_record(membership: Membership, finding: Any) -> bool:
    """A finding in a domain the author was invited for (or, for the personal worker, their own)."""
    return finding.domain in assessment_domains(membership, finding.assessment)


@rule("assessment.addendum")
def assessment_addendum(membership: Membership, assessment: Any) -> bool:
    """A correction to a concluded assessment: anyone who worked on it, while on the case's team."""
    return assessment_manage(membership, assessment) or assessment_contribute(membership, assessment)
