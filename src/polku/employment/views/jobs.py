"""Starting and ending a job, and follow-along support."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients.forms import apply_service_errors
from polku.employment import forms, selectors, services
from polku.employment.views.periods import form_page, period_to_manage, period_url


@require_http_methods(["GET", "POST"])
@staff_required
def job_start(request: StaffRequest, public_id: str) -> HttpResponse:
    period = period_to_manage(request, public_id, page="job_start")
    form = forms.JobStartForm(request.POST or None, employers=selectors.employer_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.job_start(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job start recorded."))
            return redirect(period_url(period))
    return form_page(
        request, form, title=_("Record a job start"), back=period_url(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def job_end(request: StaffRequest, public_id: str) -> HttpResponse:
    job = selectors.job_for(viewer=request.membership, public_id=public_id)
    if request.method == "GET":
        audit.record(
            request.membership, "ips.view", job.period, client=job.client, details={"page": "job_end"}
        )
    form = forms.JobEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_end(job=job, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job end recorded."))
            return redirect(period_url(job.period))
    return form_page(
        request,
        form,
        title=_("Record a job end"),
        back=period_url(job.period),
        lead=f"{job.client.full_name} · {job.title}",
    )


@require_http_methods(["GET", "POST"])
@staff_required
def follow_along_new(request: StaffRequest, public_id: str) -> HttpResponse:
    period = period_to_manage(request, public_id, page="follow_along")
    form = forms.FollowAlongForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_along_record(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Follow-along contact recorded."))
            return redirect(period_url(period))
    return form_page(
        request, form, title=_("Follow-along contact"), back=period_url(period), lead=period.client.full_name
    )
