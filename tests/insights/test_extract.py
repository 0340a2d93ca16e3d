"""The pseudonymised research extract: keyed pseudonyms and months only, refused when a combination of
age band, municipality and quarter is small, every request audited."""

import csv
import io
from datetime import date

import pytest

from polku.audit.models import AuditEvent
from polku.clients.models import Client
from polku.insights import services
from tests.conftest import client_as
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _key(settings):
    settings.POLKU_INSIGHTS_PSEUDONYM_KEY = "test-pseudonym-key"


def same_band_cases(worker, n):
    # Born in 1980 and identified in the first quarter: one age band, one municipality, one quarter.
    from tests.factories import synthetic_identity_code

    return [
        make_case(
            by=worker,
            opened_on=date(2026, 1, 10 + i),
            identity_code=synthetic_identity_code(300 + i, birth_date=date(1980, 5, 1 + i)),
        )
        for i in range(n)
    ]


def test_the_manager_gets_pseudonymised_rows_without_names_or_codes(manager, worker):
    cases = same_band_cases(worker, 5)
    services.refresh_all()
    response = client_as(manager).post("/insights/research-extract/", {"year": "2026"})
    assert response.status_code == 200
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["pseudonym", "age_band", "municipality"] and len(rows) == 6
    assert {row[3] for row in rows[1:]} == {"2026-01"}
    for client in Client.objects.filter(cases__in=cases):
        assert client.last_name not in text and client.identity_code_masked[:6] not in text
        assert str(client.public_id) not in text
    assert len({row[0] for row in rows[1:]}) == 5
    event = AuditEvent.objects.get(action="insights.extract")
    assert event.details["rows"] == 5


def test_a_small_combination_refuses_the_extract_with_the_reason(manager, worker):
    same_band_cases(worker, 5)
    make_case(by=worker, opened_on=date(2026, 5, 2))  # alone in its quarter
    services.refresh_all()
    response = client_as(manager).post(
        "/insights/research-extract/", {"year": "2026"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Refused: 1 combinations" in response.content.decode()
    assert AuditEvent.objects.get(action="insights.extract").details["refused"] is True


def test_without_its_own_key_the_extract_is_refused(manager, worker, settings):
    settings.POLKU_INSIGHTS_PSEUDONYM_KEY = ""
    same_band_cases(worker, 5)
    services.refresh_all()
    response = client_as(manager).post(
        "/insights/research-extract/", {"year": "2026"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "pseudonym key" in response.content.decode()


def test_a_personal_worker_cannot_ask_for_the_extract(worker):
    assert client_as(worker).post("/insights/research-extract/", {"year": "2026"}).status_code in (403, 404)
