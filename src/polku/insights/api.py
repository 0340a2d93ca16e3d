"""API: the figures of one table for a scope and period as JSON, protected exactly as the page and the
downloads are (the same `figures.downloads`): a hidden count is its mark ("< 5" or "x"), never a number."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from polku.accounts import permissions
from polku.accounts.middleware import membership_of
from polku.audit import services as audit
from polku.insights import figures, forms, scopes, services


@extend_schema(
    responses=OpenApiTypes.OBJECT,
    parameters=[
        OpenApiParameter("scope", str, required=False),
        OpenApiParameter("period", str, required=False, enum=["month", "quarter", "year", "custom"]),
        OpenApiParameter("year", int, required=False),
    ],
    summary="One table of knowledge-based management's figures, small numbers protected",
)
@api_view(["GET"])
def figure_table(request: Request, table: str) -> Response:
    membership = membership_of(request)
    if membership is None:
        raise PermissionDenied
    permissions.require(membership, "insights.view")
    offered = scopes.offered(membership, request.query_params.get("scope"))
    form = forms.FiguresForm(request.query_params, scopes=offered)
    if not form.is_valid():
        return Response({"errors": form.errors.get_json_data()}, status=400)
    scope = scopes.chosen(membership, form.cleaned_data["scope"])
    if scope is None:
        raise Http404
    period = form.chosen_period()
    tables = figures.downloads(figures.compute(scope, period, timezone.localdate()))
    if table not in tables:
        raise Http404
    found = tables[table]
    audit.record(
        membership,
        "insights.download",
        details={**services.details_of(scope, period), "table": table, "format": "api"},
    )
    return Response(
        {
            "table": found.key,
            "title": found.title,
            "scope": scope.label,
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "header": found.header,
            "rows": [
                [str(cell) if not isinstance(cell, int | float) else cell for cell in row]
                for row in found.rows
            ],
        }
    )
