"""The figures of knowledge-based management: the dashboard, the definitions, downloads and targets.
Every page shows aggregates only; the scope list (`scopes.available`) never narrows to a person."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku import audit
from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.core.pages import render_form
from polku.core.pdf import render_pdf
from polku.insights import (
    charts,
    costs,
    definitions,
    disclosure,
    exports,
    extract,
    figures,
    forms,
    periods,
    scopes,
    selectors,
    services,
    situation,
)
from polku.insights.indicators import TARGETABLE


def _choices(request: StaffRequest) -> tuple[forms.FiguresForm, scopes.Scope | None, Any]:
    viewer = request.membership
    permissions.require(viewer, "insights.view")
    available = scopes.offered(viewer, request.GET.get("scope"))
    form = forms.FiguresForm(request.GET, scopes=available)
    if not form.is_valid():
        return form, None, None
    scope = scopes.chosen(viewer, form.cleaned_data["scope"])
    if scope is None:
        raise Http404
    return form, scope, form.chosen_period()


@require_GET
@staff_required
def dashboard(request: StaffRequest) -> HttpResponse:
    form, scope, period = _choices(request)
    context = _dashboard_context(request, form)
    if scope is not None:
        found = figures.compute(scope, period, timezone.localdate())
        context.update(
            figures=found,
            scope=scope,
            period=period,
            previous=period.previous(),
            query=request.GET.urlencode(),
            funnel_chart=charts.bars([(str(r.label), r.cell) for r in found["funnel"] if r.key != "job"]),
            outcomes_chart=charts.bars([(str(r.label), r.cell) for r in found["outcomes"] if r.cell.value]),
        )
        audit.record(request.membership, "insights.view", details=services.details_of(scope, period))
    return render(request, "insights/dashboard.html", context, status=200 if scope is not None else 400)


def _dashboard_context(request: StaffRequest, form: Any) -> dict[str, Any]:
    """What the dashboard shows whether or not the chosen period and scope are valid: a form with an error
    still leaves the manager their links to targets, the situation report, costs and the extract."""
    return {
        "form": form,
        "legend": disclosure.legend(),
        "threshold": disclosure.threshold(),
        "can_set_targets": permissions.can(request.membership, "insights.target"),
    }


@require_GET
@staff_required
def download(request: StaffRequest, table: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, scope, period = _choices(request)
    if scope is None:
        return render(request, "insights/dashboard.html", _dashboard_context(request, form), status=400)
    tables = figures.downloads(figures.compute(scope, period, timezone.localdate()))
    if table not in tables:
        raise Http404
    chosen = tables[table]
    caption = f"{chosen.title} – {scope.label} – {period.label}"
    audit.record(
        request.membership,
        "insights.download",
        details={**services.details_of(scope, period), "table": table, "format": fmt},
    )
    name = f"polku-{table}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(chosen, caption), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(chosen, caption),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@staff_required
def definition_list(request: StaffRequest) -> HttpResponse:
    permissions.require(request.membership, "insights.view")
    return render(
        request,
        "insights/definitions.html",
        {"definitions": definitions.DEFINITIONS, "threshold": disclosure.threshold()},
    )


@require_GET
@staff_required
def definition(request: StaffRequest, key: str) -> HttpResponse:
    permissions.require(request.membership, "insights.view")
    found = definitions.BY_KEY.get(key)
    if found is None:
        raise Http404
    return render(
        request, "insights/definition.html", {"definition": found, "threshold": disclosure.threshold()}
    )


@require_http_methods(["GET", "POST"])
@staff_required
def target_list(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "insights.target")
    form = forms.TargetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.target_save(by=viewer, **form.cleaned_data)
        return redirect("insights:targets")
    found = selectors.targets(viewer=viewer)
    targets = [(target, TARGETABLE.get(target.indicator, target.indicator)) for target in found]
    return render_form(request, "insights/targets.html", {"form": form, "targets": targets})


@require_http_methods(["GET", "POST"])
@staff_required
def target_delete(request: StaffRequest, pk: int) -> HttpResponse:
    viewer = request.membership
    target = selectors.target_for(viewer=viewer, pk=pk)
    if request.method == "POST":
        services.target_delete(by=viewer, target=target)
        return redirect("insights:targets")
    return render(
        request, "insights/target_delete.html", {"target": target, "title": _("Remove the target?")}
    )


def _situation(request: StaffRequest) -> tuple[list[Any], Any]:
    viewer = request.membership
    permissions.require(viewer, "insights.situation")
    choices = situation.municipalities(viewer.unit.organisation_id)
    code = request.GET.get("municipality") or (choices[0].code if choices else "")
    chosen = next((m for m in choices if m.code == code), None)
    if code and chosen is None:  # a municipality without the organisation's cases: audited 404
        permissions.refuse(viewer, "insights.situation", hide=True)
    return choices, chosen


@require_GET
@staff_required
def situation_page(request: StaffRequest) -> HttpResponse:
    choices, municipality = _situation(request)
    report = None
    if municipality is not None:
        report = situation.report(
            organisation_id=request.membership.unit.organisation_id,
            municipality=municipality,
            on=timezone.localdate(),
        )
        audit.record(request.membership, "insights.view", details={"situation": municipality.code})
    return render(
        request,
        "insights/situation.html",
        {"choices": choices, "municipality": municipality, "report": report, "legend": disclosure.legend()},
    )


@require_GET
@staff_required
def situation_download(request: StaffRequest, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    _choices, municipality = _situation(request)
    if municipality is None:
        raise Http404
    viewer = request.membership
    report = situation.report(
        organisation_id=viewer.unit.organisation_id, municipality=municipality, on=timezone.localdate()
    )
    services.situation_snapshot(by=viewer, report=report)
    audit.record(viewer, "insights.download", details={"situation": municipality.code, "format": fmt})
    name = f"polku-tilannekuva-{municipality.code}-{report.on:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        data = render_pdf(
            "insights/situation_pdf.html",
            {"report": report, "legend": disclosure.legend()},
            language=request.LANGUAGE_CODE,
            unit=viewer.unit,
        )
        response = HttpResponse(data, content_type="application/pdf")
    else:
        response = HttpResponse(
            exports.situation_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@staff_required
def cost_page(request: StaffRequest) -> HttpResponse:
    """The estimated municipal share of unemployment benefits, with its assumptions beside it."""
    viewer = request.membership
    choices, municipality = _situation(request)
    form = forms.CostForm(request.GET)
    found = None
    if municipality is not None and form.is_valid():
        period = periods.year(form.cleaned_data["year"])
        found = costs.estimate(
            organisation_id=viewer.unit.organisation_id, municipality=municipality.code, period=period
        )
        audit.record(viewer, "insights.view", details={"costs": municipality.code, "year": period.start.year})
    return render(
        request,
        "insights/costs.html",
        {
            "choices": choices,
            "municipality": municipality,
            "form": form,
            "estimate": found,
            "assumptions": costs.assumptions(found) if found else [],
        },
        status=200 if form.is_valid() else 400,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def research_extract(request: StaffRequest) -> HttpResponse:
    """Ask for the extract (GET shows what it holds and asks to confirm); POST writes it or refuses."""
    viewer = request.membership
    permissions.require(viewer, "insights.extract")
    form = forms.CostForm(request.POST if request.method == "POST" else request.GET)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        period = periods.year(form.cleaned_data["year"])
        try:
            found = extract.rows(organisation_id=viewer.unit.organisation_id, period=period)
        except extract.Refused as refused:
            refusal = refused.reason
            audit.record(
                viewer,
                "insights.extract",
                reason=refusal,
                details={"year": period.start.year, "refused": True},
            )
        else:
            audit.record(viewer, "insights.extract", details={"year": period.start.year, "rows": len(found)})
            response = HttpResponse(extract.as_csv(found), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="polku-research-{period.start.year}.csv"'
            return response
    return render(
        request,
        "insights/extract.html",
        {"form": form, "refusal": refusal, "columns": extract.HEADER},
        status=400 if refusal or not form.is_valid() else 200,
    )
