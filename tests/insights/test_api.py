"""GET /api/v1/insights/<table>/: a table of figures as JSON, small numbers protected as on the page."""

from django.test import Client

from polku.audit.models import AuditEvent
from tests.conftest import client_as

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_manager_gets_the_funnel_with_small_counts_as_marks(manager, cases):
    response = client_as(manager).get("/api/v1/insights/funnel/", {"period": "year", "year": "2025"}, **EN)
    assert response.status_code == 200
    body = response.json()
    assert body["header"][0] == "Step"
    assert body["rows"][0][:2] == ["Identified (case opened)", "< 5"]
    current = (
        client_as(manager).get("/api/v1/insights/funnel/", {"period": "year", "year": "2026"}, **EN).json()
    )
    assert current["rows"][0][1] == "7"


def test_the_api_refuses_anonymous_callers_other_roles_and_unknown_tables(colleague, manager, cases, db):
    assert Client().get("/api/v1/insights/funnel/").status_code == 403
    assert client_as(colleague).get("/api/v1/insights/funnel/").status_code in (403, 404)
    assert client_as(manager).get("/api/v1/insights/people/").status_code == 404
    assert client_as(manager).get("/api/v1/insights/funnel/", {"scope": "caseload"}).status_code == 404
    refused = AuditEvent.objects.get(action="permission.refused", membership=manager)
    assert refused.details["action"] == "insights.view"
    assert client_as(manager).get("/api/v1/insights/funnel/", {"period": "custom"}).status_code == 400
