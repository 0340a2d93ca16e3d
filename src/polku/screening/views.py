"""Marking a support need acted on or dismissed, from the client overview's "Support needs" section."""

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
from polku.core.pages import render_form
from polku.screening import evidence, forms, selectors, services


@require_http_methods(["GET", "POST"])
@staff_required
def act_on_need(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    need = selectors.need_for(viewer=viewer, public_id=public_id)
    form = forms.ActOnNeedForm(
        request.POST if request.method == "POST" else None, actions=selectors.actions_for(need, viewer=viewer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.act_on_need(
                need=need, by=viewer, action=form.cleaned_action(), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The need is marked acted on."))
            return redirect("clients:detail", public_id=need.client.public_id)
    elif request.method == "GET":
        audit.record(viewer, "need.view", need, client=need.client)
    return _page(request, need, form, _("Mark the need acted on"), _("Save"))


@require_http_methods(["GET", "POST"])
@staff_required
def dismiss_need(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    need = selectors.need_for(viewer=viewer, public_id=public_id)
    form = forms.DismissNeedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dismiss_need(need=need, by=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The need is dismissed."))
            return redirect("clients:detail", public_id=need.client.public_id)
    elif request.method == "GET":
        audit.record(viewer, "need.view", need, client=need.client)
    return _page(request, need, form, _("Dismiss the need"), _("Dismiss"), danger=True)


def _page(
    request: StaffRequest, need: object, form: object, title: str, submit: str, danger: bool = False
) -> HttpResponse:
    return render_form(
        request,
        "clients/case_form.html",
        {
            "client": need.client,  # type: ignore[attr-defined]
            "form": form,
            "title": title,
            "intro": _("Support need: %(kind)s") % {"kind": need.get_kind_display()}  # type: ignore[attr-defined]
            + "".join(
                f" · {evidence.describe(item)}"
                for item in need.evidence.select_related("rule")  # type: ignore[attr-defined]
            ),
            "submit": submit,
            "danger": danger,
        },
    )
