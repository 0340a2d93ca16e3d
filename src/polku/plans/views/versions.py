"""Thin views of a plan's versions: one version, the differences from the one before, the printable PDF,
agreeing a draft with the client and starting the next version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import edits
from polku.clients.forms import apply_service_errors
from polku.core.pdf import render_pdf
from polku.plans import forms, selectors, services
from polku.plans.views.plan import draft_for, form_page, plan_url, require_edit

__all__ = [
    "plan_agree",
    "plan_revise",
    "version_changes",
    "version_detail",
    "version_pdf",
]


@require_GET
@staff_required
@permissions.decided_once()
def version_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    version = selectors.version_for(viewer=viewer, public_id=public_id)
    plan = version.plan
    if not version.is_agreed and not permissions.can(viewer, "plan.edit", plan.case):
        # A draft is the personal worker's work in progress; the team reads agreed versions.
        permissions.refuse(viewer, "plan.view", version, hide=True)
    full = selectors.with_content(version)[version.pk]
    selectors.attach_progress([full], plan)
    audit.record(viewer, "plan.view", version, client=plan.client, details={"version": version.number})
    return render(
        request,
        "plans/plan/version.html",
        {"version": full, "plan": plan, "client": plan.client, "case": plan.case},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def plan_agree(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    version = draft_for(request, public_id)
    form = forms.AgreeForm(request.POST or None, initial={"content": services.agreement_token(version)})
    if request.method == "POST" and form.is_valid():
        try:
            services.agree_version(
                version=version,
                by=viewer,
                agreed_on=form.cleaned_data["agreed_on"],
                method=form.cleaned_data["method"],
                agreed_content=form.cleaned_data["content"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            if isinstance(error, services.PlanChanged):
                # The page now shows the current content; agreeing it is possible once it is gone through.
                edits.replace_posted(form, "content", services.agreement_token(version))
        else:
            messages.success(request, _("Plan agreed. From now on this version stays as it is."))
            return redirect(plan_url(version.plan))
    return form_page(
        request,
        form=form,
        plan=version.plan,
        version=selectors.with_content(version)[version.pk],
        title=_("Agree the plan with the client"),
        submit=_("Agree the plan"),
        intro=_(
            "Once agreed, this version cannot be changed; a later change makes a new version. Go through "
            "the goals and actions with the client first."
        ),
    )


@require_POST
@staff_required
def plan_revise(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    plan = selectors.plan_for(viewer=viewer, public_id=public_id)
    require_edit(viewer, plan)
    try:
        services.start_revision(plan=plan, by=viewer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new version was started from the agreed plan."))
    return redirect(plan_url(plan))


@require_GET
@staff_required
@permissions.decided_once()
def version_changes(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    version = selectors.version_for(viewer=viewer, public_id=public_id)
    plan = version.plan
    if not version.is_agreed and not permissions.can(viewer, "plan.edit", plan.case):
        permissions.refuse(viewer, "plan.view", version, hide=True)
    if version.based_on_id is None:
        raise Http404
    pair = selectors.with_content(version, with_previous=True)
    plan_fields, changes = selectors.version_diff(pair[version.based_on_id], pair[version.pk])
    audit.record(viewer, "plan.view", version, client=plan.client, details={"page": "changes"})
    return render(
        request,
        "plans/plan/changes.html",
        {
            "version": pair[version.pk],
            "previous": pair[version.based_on_id],
            "plan": plan,
            "client": plan.client,
            "case": plan.case,
            "plan_fields": plan_fields,
            "changes": changes,
        },
    )


@require_GET
@staff_required
def version_pdf(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    version = selectors.version_for(viewer=viewer, public_id=public_id)
    plan = version.plan
    if not version.is_agreed and not permissions.can(viewer, "plan.edit", plan.case):
        permissions.refuse(viewer, "plan.view", version, hide=True)
    full = selectors.with_content(version)[version.pk]
    selectors.attach_progress([full], plan)
    client = plan.client
    language = next((code for code in client.languages if code in ("fi", "sv", "en")), "fi")
    data = render_pdf(
        "plans/plan/plan_pdf.html",
        {"version": full, "plan": plan, "client": client, "case": plan.case},
        language=language,
        unit=plan.case.unit,
    )
    audit.record(viewer, "plan.print", version, client=client, details={"version": version.number})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{version.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
