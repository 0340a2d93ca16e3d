"""The career profile and benefits counselling of a period."""

from __future__ import annotations

from typing import Any

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
def profile_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    period = period_to_manage(request, public_id)
    profile = selectors.profile_of(period)
    initial: dict[str, Any] = {"disclosure": "undecided"}
    if profile is not None:
        initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
        initial["municipalities"] = list(profile.municipalities.all())
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        municipalities = values.pop("municipalities")
        try:
            services.profile_save(
                period=period, by=request.membership, municipalities=municipalities, **values
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Career profile saved."))
            return redirect(period_url(period))
    elif request.method == "GET" and profile is not None:
        audit.record(request.membership, "ips.profile.view", profile, client=period.client)
    return form_page(
        request, form, title=_("Career profile"), back=period_url(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def counselling_new(request: StaffRequest, public_id: str) -> HttpResponse:
    period = period_to_manage(request, public_id, page="counselling")
    form = forms.CounsellingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.counselling_record(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Benefits counselling recorded."))
            return redirect(period_url(period))
    return form_page(
        request, form, title=_("Benefits counselling"), back=period_url(period), lead=period.client.full_name
    )
