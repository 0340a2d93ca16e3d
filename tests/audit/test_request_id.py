"""The request id an audit event carries: a proxy's `X-Request-ID` only when it is a bounded, well-formed
id; anything else is replaced by a new one."""

import re

import pytest

from polku.audit.models import AuditEvent
from tests.conftest import client_as

NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize(
    "incoming",
    ["proxy-req-0001", "a.b_c-d.e", "A" * 64, "0123456789abcdef0123456789abcdef"],
)
def test_a_well_formed_request_id_from_the_proxy_is_kept(worker, incoming):
    response = client_as(worker).get("/admin/", HTTP_X_REQUEST_ID=incoming)  # refused, so audited
    assert response["X-Request-ID"] == incoming
    assert AuditEvent.objects.get(action="permission.refused").request_id == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "proxy-req-0001\n",  # a trailing newline, which `$` lets through
        "proxy-req-0001\nforged log line",
        "A" * 65,
        "short",  # fewer than 8 characters
        "two words here",
        "id;drop=table",
        "pyyntö-0001",
        "../../etc/passwd",
        "",
    ],
)
def test_a_malformed_request_id_is_replaced_by_a_new_one(worker, incoming):
    response = client_as(worker).get("/admin/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert NEW_ID.fullmatch(response["X-Request-ID"])
    assert AuditEvent.objects.get(action="permission.refused").request_id == response["X-Request-ID"]
