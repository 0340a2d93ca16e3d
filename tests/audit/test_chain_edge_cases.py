"""Values the database normalises, checks that overlap new writes, refusals in the API, proxies."""

import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from polku import audit
from polku import urls as polku_urls
from polku.accounts import permissions
from polku.audit.context import RequestContext, current
from polku.audit.models import AuditEvent
from polku.audit.services import verify_chain
from tests.conftest import client_as


@pytest.mark.parametrize(
    "address", ["2001:0db8:0000:0000:0000:0000:0000:0001", "::ffff:192.0.2.1", "192.0.2.7"]
)
def test_an_address_the_database_normalises_still_verifies(db, address):
    token = current.set(RequestContext(request_id="r" * 12, ip=address))
    try:
        audit.record(None, "test.address")
    finally:
        current.reset(token)
    assert verify_chain().ok


def test_details_with_floats_uuids_and_decimals_are_stored_as_they_verify(db):
    case = uuid.uuid4()
    event = audit.record(
        None, "test.details", details={"score": 1e20, "ratio": 0.5, "case": case, "cost": Decimal("1.10")}
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.details == {"score": "1e+20", "ratio": "0.5", "case": str(case), "cost": "1.10"}
    assert verify_chain().ok


def test_an_event_written_while_the_check_runs_is_not_taken_for_tampering(db, monkeypatch):
    for n in range(3):
        audit.record(None, f"test.before.{n}")
    original = AuditEvent.compute_hash
    appended = []

    def compute_and_meanwhile_someone_logs_in(self):
        if not appended:
            appended.append(True)  # before writing: record() computes a hash too
            audit.record(None, "test.during")
        return original(self)

    monkeypatch.setattr(AuditEvent, "compute_hash", compute_and_meanwhile_someone_logs_in)
    result = verify_chain()
    monkeypatch.undo()

    assert result.ok, result.first_break
    assert result.checked == 3
    assert verify_chain().checked == 4


@api_view(["GET"])
def _api_view_refused_inside_a_transaction(request):
    with transaction.atomic():
        permissions.require(request.membership, "no.such.action")
    return Response({})


urlpatterns = [path("api/v1/refusing/", _api_view_refused_inside_a_transaction), *polku_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_an_api_refusal_inside_a_transaction_is_audited(worker):
    response = client_as(worker).get("/api/v1/refusing/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.details == {"action": "no.such.action"}
    assert event.membership == worker


def test_behind_a_trusted_proxy_the_client_address_is_taken_from_x_forwarded_for(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    Client().post(
        "/accounts/login/",
        {"login": "nobody@test.polku.example", "password": "wrong-password-1"},
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4",
        REMOTE_ADDR="127.0.0.1",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "198.51.100.4"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(db):
    Client().post(
        "/accounts/login/",
        {"login": "nobody@test.polku.example", "password": "wrong-password-1"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="192.0.2.50",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "192.0.2.50"
