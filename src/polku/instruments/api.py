"""API: a questionnaire definition and a response as FHIR JSON. Responses are read through the same
scoped selector as the pages, and every read is audited."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from polku.accounts import permissions
from polku.accounts.middleware import membership_of
from polku.audit import services as audit
from polku.instruments import fhir, selectors


@extend_schema(
    responses=OpenApiTypes.OBJECT,
    parameters=[OpenApiParameter("version", int, required=False)],
    summary="A questionnaire version as a FHIR R4 Questionnaire",
)
@api_view(["GET"])
def questionnaire(request: Request, code: str) -> Response:
    membership = membership_of(request)
    permissions.require(membership, "instrument.view")
    number = request.query_params.get("version", "")
    if number and not number.isdigit():
        return Response({"detail": "version must be a whole number"}, status=400)
    version = selectors.version_for_export(code, int(number) if number else None)
    return Response(fhir.questionnaire(version), content_type="application/fhir+json")


@extend_schema(
    responses=OpenApiTypes.OBJECT, summary="A questionnaire response as a FHIR R4 QuestionnaireResponse"
)
@api_view(["GET"])
def questionnaire_response(request: Request, public_id: str) -> Response:
    membership = membership_of(request)
    if membership is None:  # HasActiveMembership lets none through; a type checker cannot know that
        raise PermissionDenied
    response = selectors.response_for(viewer=membership, public_id=public_id)
    audit.record(
        membership, "response.export", response, client=response.client, details={"format": "fhir-api"}
    )
    data = fhir.questionnaire_response(response)
    return Response(data, content_type="application/fhir+json", headers={"Cache-Control": "no-store"})
