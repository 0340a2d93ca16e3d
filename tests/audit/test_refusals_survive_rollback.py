"""A refusal inside a service's transaction is still audited after the transaction rolls back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from polku import urls as polku_urls
from polku.accounts import permissions
from polku.accounts.models import Organisation
from polku.audit.models import AuditEvent
from tests.conftest import client_as


@transaction.atomic
def _service_that_writes_then_is_refused(membership):
    Organisation.objects.filter(pk=membership.unit.organisation_id).update(name="changed in the transaction")
    permissions.require(membership, "no.such.action")


def _view(request):
    _service_that_writes_then_is_refused(request.membership)
    return HttpResponse("not reached")


urlpatterns = [path("refusing/", _view), *polku_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_refusal_raised_inside_a_transaction_is_audited_and_the_write_is_rolled_back(worker):
    response = client_as(worker).get("/refusing/")

    assert response.status_code == 403
    worker.unit.organisation.refresh_from_db()
    assert worker.unit.organisation.name != "changed in the transaction"
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.membership == worker
    assert event.details == {"action": "no.such.action"}
    assert event.request_id == response["X-Request-ID"]


def test_refusal_outside_a_transaction_is_written_at_once(worker):
    with pytest.raises(PermissionDenied):
        permissions.require(worker, "no.such.action")
    assert AuditEvent.objects.filter(action="permission.refused", membership=worker).count() == 1
