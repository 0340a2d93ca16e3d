"""Thin views: the questionnaires of a case, the answer form (draft or completed), the result, the
safety alert's acknowledgement, and the FHIR downloads."""

from __future__ import annotations

import json
from typing import Any

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
from polku.clients.models import Case
from polku.core.pages import render_form
from polku.instruments import fhir, forms, selectors, services
from polku.instruments.models import InstrumentVersion, Response


@require_GET
@staff_required
@permissions.decided_once()
def case_questionnaires(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case = selectors.case_for_answering(viewer=viewer, public_id=public_id)
    responses = selectors.responses_in_case(case, viewer=viewer)
    audit.record(viewer, "response.list", case, client=case.client)
    return render(
        request,
        "instruments/case_questionnaires.html",
        {
            "case": case,
            "client": case.client,
            "versions": selectors.published_versions(),
            "drafts": [r for r in responses if not r.is_completed],
            "completed": [r for r in responses if r.is_completed],
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def answer_new(request: StaffRequest, public_id: str, code: str) -> HttpResponse:
    viewer = request.membership
    case = selectors.case_for_answering(viewer=viewer, public_id=public_id)
    version = selectors.version_for_answering(code)
    return _answer(request, case=case, version=version, draft=None)


@require_http_methods(["GET", "POST"])
@staff_required
def response_page(request: StaffRequest, public_id: str) -> HttpResponse:
    """A completed response shows its result; a draft is the form to go on with."""
    viewer = request.membership
    response = selectors.response_for(viewer=viewer, public_id=public_id)
    if not response.is_completed:
        case = selectors.case_for_answering(viewer=viewer, public_id=response.case.public_id)
        return _answer(request, case=case, version=response.version, draft=response)
    if request.method == "POST":
        raise Http404
    audit.record(viewer, "response.view", response, client=response.client)
    return render(
        request,
        "instruments/result.html",
        {
            "response": response,
            "client": response.client,
            "version": response.version,
            "answers": _answer_rows(response),
            "subscales": [
                (subscale.title, response.subscale_scores.get(subscale.code))
                for subscale in response.version.subscales.all()
            ],
            "alerts": selectors.alerts_of(response),
            "can_correct": permissions.can(viewer, "response.correct", response)
            and not hasattr(response, "correction"),
        },
    )


def _answer_rows(response: Response) -> list[tuple[Any, str, Any, Any]]:
    from polku.instruments.models import ItemKind, translated

    rows = []
    for item in response.version.items.all():
        value = response.answers.get(item.link_id)
        if item.kind == ItemKind.CHOICE:
            option = next((o for o in item.options.all() if o.code == value), None)
            shown = translated(option.text) if option else ""
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        else:
            shown = "" if value is None else str(value)
        rows.append((item, translated(item.text), shown, response.item_scores.get(item.link_id)))
    return rows


def _answer(
    request: StaffRequest, *, case: Case, version: InstrumentVersion, draft: Response | None
) -> HttpResponse:
    viewer = request.membership
    form = forms.AnswerForm(request.POST or None, version=version, answers=draft.answers if draft else None)
    if request.method == "POST":
        submitting = request.POST.get("action") != "save"
        if form.is_valid():
            try:
                if submitting:
                    response = services.record_response(
                        case=case, version=version, answers=form.answers(), by=viewer, draft=draft
                    )
                    messages.success(request, _("Answers saved and scored."))
                    return redirect("instruments:response", public_id=response.public_id)
                saved = services.save_draft(
                    case=case, version=version, answers=form.answers(), by=viewer, draft=draft
                )
            except ValidationError as error:
                form.apply_errors(
                    error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                )
            else:
                messages.success(request, _("Unfinished answers saved; you can go on with them later."))
                return redirect("instruments:response", public_id=saved.public_id)
    else:
        audit.record(
            viewer,
            "response.view" if draft else "response.list",
            draft or case,
            client=case.client,
            details={"page": "answer", "instrument": version.instrument.code},
        )
    return render_form(
        request,
        "instruments/answer.html",
        {"case": case, "client": case.client, "version": version, "form": form, "draft": draft},
    )


@require_POST
@staff_required
def correct(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    response = selectors.response_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "response.correct", response)
    draft = services.start_correction(response=response, by=viewer)
    messages.info(request, _("Correct the answers and submit; the earlier response stays as it was."))
    return redirect("instruments:response", public_id=draft.public_id)


@require_http_methods(["GET", "POST"])
@staff_required
def acknowledge_alert(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    alert = selectors.alert_for(viewer=viewer, public_id=public_id)
    form = forms.AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge_alert(alert=alert, by=viewer, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Safety alert acknowledged."))
            return redirect("clients:detail", public_id=alert.client.public_id)
    elif request.method == "GET":
        audit.record(viewer, "safety_alert.view", alert, client=alert.client)
    return render_form(
        request,
        "instruments/acknowledge.html",
        {"alert": alert, "client": alert.client, "form": form},
    )


def _json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/fhir+json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@staff_required
def response_fhir(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    response = selectors.response_for(viewer=viewer, public_id=public_id)
    audit.record(viewer, "response.export", response, client=response.client, details={"format": "fhir"})
    download = _json_download(
        fhir.questionnaire_response(response), f"questionnaire-response-{response.public_id}.json"
    )
    download["Cache-Control"] = "no-store"
    return download


@require_GET
@staff_required
def instrument_list(request: StaffRequest) -> HttpResponse:
    permissions.require(request.membership, "instrument.view")
    return render(request, "instruments/instrument_list.html", {"versions": selectors.all_versions()})


@require_GET
@staff_required
def instrument_fhir(request: StaffRequest, code: str) -> HttpResponse:
    permissions.require(request.membership, "instrument.view")
    number = request.GET.get("version", "")
    if number and not number.isdigit():
        raise Http404
    version = selectors.version_for_export(code, int(number) if number else None)
    return _json_download(fhir.questionnaire(version), f"{code}-{version.number}.questionnaire.json")
