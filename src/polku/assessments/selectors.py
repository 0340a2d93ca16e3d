"""Reads of work ability assessments, scoped to the viewer: only the case's team sees an assessment, and
each finding is shown only to the author's organisation or, under the client's consent for the
finding's register, to another (`clients.access.disclosed_records`). Pages run a fixed number of
queries whatever the number of findings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Unit
from polku.assessments.choices import AssessmentEvent, AssessmentKind, Domain
from polku.assessments.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentHistory,
    AssessmentInvitation,
    AssessmentMeeting,
    Finding,
    FindingFeedback,
    Recommendation,
)
from polku.clients import access, export
from polku.clients import selectors as client_selectors
from polku.clients.models import Case, CaseTeamMember, Client, Consent
from polku.core import sql
from polku.instruments import selectors as instrument_selectors
from polku.instruments.models import Response
from polku.placements import selectors as placement_selectors
from polku.plans.services.plan import register_for

__all__ = [
    "AssessmentPage",
    "assessment_for",
    "assessment_page",
    "assessments_panel",
    "attachable_feedback",
    "attachable_responses",
    "case_for_assessment",
    "concluded_counts",
    "findings_of",
    "for_export",
    "invitable_members",
    "summary_language",
    "texts_disclosed",
]


def texts_disclosed(assessment: Assessment, *, viewer: Membership) -> bool:
    """Whether the viewer may read the assessment's own texts (question, meeting record with the client's
    view, conclusion, summary, recommendations): records of the case organisation in the register its
    service plan belongs to (`plans.services.plan.register_for`), disclosed to another organisation only
    under the client's consent covering that register. One query for another organisation's viewer."""
    if assessment.case.unit.organisation_id == viewer.unit.organisation_id:
        return True
    register = register_for(assessment.case)
    return (
        Consent.objects.valid_on()
        .filter(
            client_id=assessment.client_id,
            discloser_id=assessment.case.unit.organisation_id,
            recipient_id=viewer.unit.organisation_id,
            **{f"covers_{register}": True},
        )
        .exists()
    )


def assessment_for(
    *, viewer: Membership, public_id: uuid.UUID | str, action: str = "assessment.view"
) -> Assessment:
    """The assessment if the viewer may do `action` on it; otherwise the refusal is audited: 404 for those
    who may not see the assessment, 403 for its team members who may not do this."""
    assessment = (
        Assessment.objects.select_related(
            "client",
            "case__client",
            "case__unit__organisation",
            "case__personal_worker__user",
            "started_by__user",
            "started_by__unit__organisation",
            "concluded_by__user",
            "concluded_by__unit__organisation",
        )
        .filter(public_id=public_id)
        .first()
    )
    if assessment is None:
        raise Http404
    hidden = action == "assessment.view" or not permissions.can(viewer, "assessment.view", assessment)
    permissions.require(viewer, action, assessment, hide=hidden)
    return assessment


def case_for_assessment(*, viewer: Membership, public_id: uuid.UUID | str) -> Case:
    """The case if the viewer may start an assessment in it: 404 if they may not know of it, else 403."""
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "assessment.start", case, hide=not access.knows_of_case(viewer, case))
    return case


def _readable_responses(viewer: Membership, client: Client) -> QuerySet[Response]:
    return (
        Response.objects.filter(access.disclosed_records(viewer, client=client))
        .select_related("version__instrument", "band")
        .order_by("completed_at", "id")
    )


def findings_of(assessment: Assessment, *, viewer: Membership) -> list[Finding]:
    """The findings the viewer may read, by domain, with the questionnaire results and the placement
    hosts' feedback attached to them that the viewer may read too (three queries; the feedback a viewer
    may not read is left out: `finding.attached_feedback`)."""

    client = assessment.client
    return list(
        Finding.objects.filter(assessment=assessment)
        .filter(access.disclosed_records(viewer, client=client))
        .select_related("author__user", "author__unit__organisation", "organisation")
        .prefetch_related(
            Prefetch("responses", queryset=_readable_responses(viewer, client)),
            Prefetch(
                "feedback_links",
                queryset=FindingFeedback.objects.filter(
                    feedback__in=placement_selectors.readable_feedback(client, viewer=viewer).values("pk")
                )
                .select_related("feedback__placement__host_unit__organisation")
                .order_by("feedback__submitted_at", "id"),
                to_attr="attached_feedback",
            ),
        )
        .order_by("domain", "created_at", "id")
    )


@dataclass
class DomainFindings:
    domain: str
    label: Any
    findings: list[Finding]


@dataclass
class AssessmentPage:
    assessment: Assessment
    domains: list[DomainFindings]
    invitations: list[AssessmentInvitation]
    meetings: list[AssessmentMeeting]
    recommendations: list[Recommendation]
    addenda: list[AssessmentAddendum]
    # False: the assessment's own texts are withheld from this viewer (no consent); see texts_disclosed.
    texts_disclosed: bool = True

    @property
    def findings(self) -> list[Finding]:
        return [finding for domain in self.domains for finding in domain.findings]


def assessment_page(assessment: Assessment, *, viewer: Membership) -> AssessmentPage:
    """Everything the assessment page shows, in a fixed number of queries."""
    findings = findings_of(assessment, viewer=viewer)
    # Nothing is counted of the findings and addenda the viewer may not read: which organisation holds
    # them, or how many, would tell what the client has not consented to disclose.
    disclosed = texts_disclosed(assessment, viewer=viewer)
    addenda = list(
        assessment.addenda.filter(access.disclosed_records(viewer, client=assessment.client))
        .select_related("author__user", "author__unit__organisation", "organisation")
        .order_by("created_at", "id")
    )
    return AssessmentPage(
        assessment=assessment,
        domains=[
            DomainFindings(value, label, [f for f in findings if f.domain == value])
            for value, label in Domain.choices
        ],
        invitations=list(
            assessment.invitations.select_related("member__user", "member__unit__organisation").order_by(
                "domain", "id"
            )
        ),
        meetings=list(assessment.meetings.select_related("recorded_by__user").order_by("held_on", "id"))
        if disclosed
        else [],
        recommendations=list(assessment.recommendations.order_by("order", "id")) if disclosed else [],
        addenda=addenda,
        texts_disclosed=disclosed,
    )


def empty_domains(assessment: Assessment) -> list[str]:
    """The domains of a comprehensive assessment without a single finding (withheld ones count as
    findings: the page says they exist), in the order of `Domain`. A focused assessment covers only
    the domains it asks about, so none of its domains is missing."""
    if assessment.kind != AssessmentKind.COMPREHENSIVE:
        return []
    written = set(Finding.objects.filter(assessment=assessment).values_list("domain", flat=True).distinct())
    return [domain for domain in Domain.values if domain not in written]


def attachable_responses(assessment: Assessment, *, viewer: Membership) -> list[Response]:
    """The client's completed questionnaire answers (corrected ones replaced by their corrections) that
    the viewer may read, newest first, from the cases the viewer knows of."""
    responses: list[Response] = []
    for case in client_selectors.cases_of(assessment.client, viewer=viewer):
        responses.extend(
            response
            for response in instrument_selectors.responses_in_case(case, viewer=viewer)
            if response.is_completed and not _corrected(response)
        )
    return sorted(responses, key=lambda r: (r.completed_at, r.pk), reverse=True)


def attachable_feedback(assessment: Assessment, *, viewer: Membership) -> list[Any]:
    """The client's submitted placement feedback the viewer may read (`placement.view`), newest first."""

    return list(placement_selectors.readable_feedback(assessment.client, viewer=viewer))


def _corrected(response: Response) -> bool:
    correction = getattr(response, "correction", None)
    return correction is not None and correction.is_completed


def invitable_members(assessment: Assessment) -> list[CaseTeamMember]:
    """The case's current team, for the invitation form."""
    return [
        period
        for period in client_selectors.team_of(assessment.case, include_ended=False)
        if period.started_on <= timezone.localdate()
    ]


def assessments_panel(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The client overview's panel: the assessments in the cases whose team the viewer is on (one query,
    written as SQL: `panel_assessments`), and whether the viewer may start one in the current case."""
    if not access.works_with_clients(viewer):
        return None
    assessments = panel_assessments(client, viewer=viewer)
    can_start = bool(
        current
        and permissions.can(viewer, "assessment.start", current)
        and not any(a.case_id == current.pk and not a.is_concluded for a in assessments)
    )
    # Another organisation's assessment shows its dates, not its conclusion (texts_disclosed).
    return {
        "assessments": assessments,
        "can_start": can_start,
        "case": current,
        "own_organisation_id": viewer.unit.organisation_id,
    }


def panel_assessments(client: Client, *, viewer: Membership) -> list[Assessment]:
    """The client's assessments in the cases whose team the viewer is on now, newest first, each with its
    case and the case's unit: the ORM's `Assessment.objects.filter(client=client)` with an `Exists` of
    the viewer's current team period, written as SQL (`core.sql`), since every client overview reads it
    and the ORM took a millisecond to build it. One query."""
    assessments = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(Assessment, "assessment")}, {sql.columns(Case, "c")}, {sql.columns(Unit, "unit")}
        FROM plans_assessment assessment
            JOIN clients_case c ON c.id = assessment.case_id
            JOIN accounts_unit unit ON unit.id = c.unit_id
        WHERE assessment.client_id = %s AND EXISTS (
            SELECT 1 FROM clients_caseteammember period
            WHERE period.case_id = assessment.case_id AND period.membership_id = %s
                AND period.ended_on IS NULL AND period.started_on <= %s
        )
        ORDER BY assessment.started_on DESC, assessment.id DESC
        """,  # noqa: S608 - only column lists are formatted in
        [client.pk, viewer.pk, timezone.localdate()],
    ):
        assessment, case, unit = sql.instances(row, Assessment, Case, Unit)
        case.unit = unit
        assessment.case = case
        assessments.append(assessment)
    return assessments


def summary_language(client: Client) -> str:
    """The language the client's summary is printed in: the first of their languages Polku prints."""
    from polku.core.pdf import PDF_LANGUAGES

    return next((code for code in client.languages if code in PDF_LANGUAGES), "fi")


def concluded_counts(*, start: date, end: date, unit_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Assessments concluded in the period (inclusive), per unit, kind and conclusion: aggregates for
    management, read from the history rows alone."""
    rows = AssessmentHistory.objects.filter(event=AssessmentEvent.CONCLUDED, on__gte=start, on__lte=end)
    if unit_ids is not None:
        rows = rows.filter(Q(unit_id__in=unit_ids))
    return list(
        rows.values("unit_id", "unit__name", "kind", "conclusion")
        .annotate(count=Count("id"))
        .order_by("unit__name", "kind", "conclusion")
    )


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's assessments in the cases the viewer knows of, with the findings the viewer may read,
    for the client's data export (clients/export.py); without a viewer (the client's own download) every
    assessment with all its texts. One query, and four more when there are any."""
    if viewer is not None and not access.sees_client(viewer, client):
        return []
    # The cases the viewer knows of, as clients.selectors.cases_of decides: their organisation's and
    # those whose team they are on.
    known, disclosed_q = Q(), Q()
    if viewer is not None:
        on_team = CaseTeamMember.objects.filter(
            case=OuterRef("case"),
            membership=viewer,
            ended_on__isnull=True,
            started_on__lte=timezone.localdate(),
        )
        known = Q(case__unit__organisation_id=viewer.unit.organisation_id) | Q(Exists(on_team))
        disclosed_q = access.disclosed_records(viewer, client=client)
    addenda: QuerySet[AssessmentAddendum] = AssessmentAddendum.objects.filter(disclosed_q).order_by(
        "created_at", "id"
    )
    meetings: QuerySet[AssessmentMeeting] = AssessmentMeeting.objects.order_by("held_on", "id")
    recommendations: QuerySet[Recommendation] = Recommendation.objects.order_by("order", "id")
    assessments = (
        Assessment.objects.filter(client=client)
        .filter(known)
        .select_related("case__unit__organisation")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.filter(disclosed_q)
                .select_related("organisation", "author__user")
                .order_by("domain", "created_at", "id"),
            ),
            Prefetch("meetings", queryset=meetings),
            Prefetch("recommendations", queryset=recommendations),
            Prefetch("addenda", queryset=addenda),
        )
        .order_by("started_on", "id")
    )
    disclosed = {a.pk: viewer is None or texts_disclosed(a, viewer=viewer) for a in assessments}
    withheld = str(_("withheld: no consent"))
    return [
        {
            "summary": f"{a.started_on.isoformat()}: {a.get_kind_display()}, "
            f"{a.case.unit.organisation.display_name}"
            + (f": {a.get_conclusion_display()}" if a.is_concluded and disclosed[a.pk] else ""),
            "kind": a.get_kind_display(),
            "unit": a.case.unit.display_name,
            "organisation": a.case.unit.organisation.display_name,
            "started_on": a.started_on.isoformat(),
            "question": a.question if disclosed[a.pk] else withheld,
            "findings": [
                {
                    "domain": f.get_domain_display(),
                    "text": f.text,
                    "icf_codes": f.icf_codes,
                    "register": f.get_register_display(),
                    "organisation": f.organisation.display_name,
                    "author": str(f.author.user),
                    "recorded_at": export.when(f.created_at),
                }
                for f in a.findings.all()
            ],
            "meetings": [
                {
                    "held_on": m.held_on.isoformat(),
                    "participants": m.participants,
                    "client_view": m.client_view,
                }
                for m in (a.meetings.all() if disclosed[a.pk] else [])
            ],
            "conclusion": (a.get_conclusion_display() if disclosed[a.pk] else withheld)
            if a.is_concluded
            else "",
            "summary_text": a.summary if disclosed[a.pk] else withheld,
            "concluded_on": a.concluded_on.isoformat() if a.concluded_on else None,
            "recommendations": [r.text for r in a.recommendations.all()] if disclosed[a.pk] else [],
            "addenda": [
                {"written_on": d.written_on.isoformat(), "text": d.text, "register": d.get_register_display()}
                for d in a.addenda.all()
            ],
        }
        for a in assessments
    ]
