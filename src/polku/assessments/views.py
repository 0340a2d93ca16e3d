"""Pages of the work ability assessment: thin, each reads through a scoped selector, audits the read and
hands a valid POST to one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.assessments import conclusion, forms, icf, selectors, services
from polku.assessments.choices import Domain
from polku.assessments.links import selectors as link_selectors
from polku.assessments.models import Assessment
from polku.assessments.rules import assessment_domains
from polku.audit import services as audit
from polku.clients import edits
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.core.pdf import render_pdf

__all__ = [
    "assessment_addendum",
    "assessment_conclude",
    "assessment_detail",
    "assessment_finding",
    "assessment_invite",
    "assessment_meeting",
    "assessment_start",
    "assessment_summary_pdf",
]


def _form_page(
    request: StaffRequest,
    *,
    assessment: Assessment | None,
    client: Any,
    form: django_forms.Form,
    title: Any,
    save: Callable[[dict[str, Any]], Assessment],
    done: Any,
    submit: Any = None,
    extra: dict[str, Any] | None = None,
    danger: bool = False,
    allow_concluded: bool = False,
) -> HttpResponse:
    viewer = request.membership
    if assessment is not None and assessment.is_concluded and not allow_concluded:
        messages.info(request, _("The assessment is concluded and cannot change. Write an addendum instead."))
        return redirect("assessments:assessment", public_id=assessment.public_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, str(done))
            return redirect("assessments:assessment", public_id=saved.public_id)
    elif request.method == "GET":
        page = request.resolver_match.url_name if request.resolver_match else ""
        audit.record(viewer, "assessment.view", assessment or client, client=client, details={"page": page})
    return render_form(
        request,
        "assessments/form.html",
        {
            "assessment": assessment,
            "client": client,
            "form": form,
            "title": title,
            "submit": submit or _("Save"),
            "danger": danger,
            **(extra or {}),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def assessment_start(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case = selectors.case_for_assessment(viewer=viewer, public_id=public_id)
    form = forms.StartAssessmentForm(request.POST or None)
    return _form_page(
        request,
        assessment=None,
        client=case.client,
        form=form,
        title=_("Start a work ability assessment"),
        save=lambda data: services.start_assessment(case=case, by=viewer, **data),
        done=_("Assessment started. Invite the team members next."),
        submit=_("Start the assessment"),
    )


@require_GET
@staff_required
@permissions.decided_once()
def assessment_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id)
    page = selectors.assessment_page(assessment, viewer=viewer)
    links = link_selectors.recommendation_links(assessment, page.recommendations, viewer=viewer)
    audit.record(viewer, "assessment.view", assessment, client=assessment.client)
    is_open = not assessment.is_concluded
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "page": page,
            "links": links,
            "icf_titles": {code: str(category) for code, category in icf.categories().items()},
            "can_manage": is_open and permissions.can(viewer, "assessment.manage", assessment),
            "can_contribute": is_open and permissions.can(viewer, "assessment.contribute", assessment),
            "can_add_addendum": not is_open and permissions.can(viewer, "assessment.addendum", assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def assessment_invite(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id, action="assessment.manage")
    form = forms.InviteForm(request.POST or None, team=selectors.invitable_members(assessment))
    return _form_page(
        request,
        assessment=assessment,
        client=assessment.client,
        form=form,
        title=_("Invite a team member"),
        save=lambda data: services.invite_to_assessment(assessment=assessment, by=viewer, **data).assessment,
        done=_("Team member invited."),
        submit=_("Invite"),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def assessment_finding(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id, action="assessment.contribute")
    form = edits.carry_submission_key(
        forms.FindingForm(
            request.POST or None,
            domains=sorted(assessment_domains(viewer, assessment)),
            responses=selectors.attachable_responses(assessment, viewer=viewer),
            feedback=selectors.attachable_feedback(assessment, viewer=viewer),
        )
    )

    def save(data: dict[str, Any]) -> Assessment:
        services.record_finding(
            assessment=assessment,
            by=viewer,
            domain=data["domain"],
            text=data["text"],
            icf_codes=data["icf_codes"],
            responses=form.chosen_responses(),
            placement_feedback=form.chosen_feedback(),
            idempotency_key=data.get(edits.KEY_FIELD),
        )
        return assessment

    return _form_page(
        request,
        assessment=assessment,
        client=assessment.client,
        form=form,
        title=_("Record findings"),
        save=save,
        done=_("Findings recorded."),
        extra={"icf_list": sorted(icf.categories().values(), key=lambda c: c.code)},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def assessment_meeting(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id, action="assessment.manage")
    form = forms.MeetingForm(request.POST or None)
    return _form_page(
        request,
        assessment=assessment,
        client=assessment.client,
        form=form,
        title=_("Record the team meeting"),
        save=lambda data: services.record_meeting(assessment=assessment, by=viewer, **data).assessment,
        done=_("Team meeting recorded."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def assessment_conclude(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id, action="assessment.manage")
    empty_domains = selectors.empty_domains(assessment)
    form = edits.carry_version(
        forms.ConcludeAssessmentForm(request.POST or None, empty_domains=empty_domains), assessment
    )

    def save(data: dict[str, Any]) -> Assessment:
        return conclusion.conclude_assessment(
            assessment=assessment,
            by=viewer,
            conclusion=data["conclusion"],
            summary=data["summary"],
            recommendations=data["recommendations"],
            concluded_on=data["concluded_on"],
            expected_version=data.get(edits.VERSION_FIELD),
            empty_domains_confirmed=form.confirmed_empty_domains(),
        )

    return _form_page(
        request,
        assessment=assessment,
        client=assessment.client,
        form=form,
        title=_("Conclude the assessment"),
        save=save,
        done=_("Assessment concluded."),
        submit=_("Conclude and lock"),
        danger=True,
        extra={"empty_domains": [Domain(domain).label for domain in empty_domains]},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def assessment_addendum(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id, action="assessment.addendum")
    form = forms.AddendumForm(request.POST or None)
    return _form_page(
        request,
        assessment=assessment,
        client=assessment.client,
        form=form,
        title=_("Write an addendum"),
        save=lambda data: conclusion.add_addendum(assessment=assessment, by=viewer, **data).assessment,
        done=_("Addendum saved."),
        allow_concluded=True,
    )


@require_GET
@staff_required
@permissions.decided_once()
def assessment_summary_pdf(request: StaffRequest, public_id: str) -> HttpResponse:
    """The written summary in the client's language, with what the downloader may read. Audited."""
    viewer = request.membership
    assessment = selectors.assessment_for(viewer=viewer, public_id=public_id)
    page = selectors.assessment_page(assessment, viewer=viewer)
    language = selectors.summary_language(assessment.client)
    data = render_pdf(
        "assessments/summary_pdf.html",
        {"assessment": assessment, "client": assessment.client, "page": page},
        language=language,
        unit=assessment.case.unit,
    )
    audit.record(
        viewer,
        "assessment.summary_pdf",
        assessment,
        client=assessment.client,
        details={"language": language, "findings": len(page.findings)},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.public_id}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
