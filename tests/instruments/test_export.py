"""The client's data export holds their questionnaire answers and support needs, under the same
disclosure rules as the rest of their records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.clients import services as client_services
from polku.instruments.selectors import for_export as answers_for_export
from polku.screening.selectors import for_export as needs_for_export
from tests.clients.conftest import EN, days_ago, text
from tests.clients.test_views_export import EXPORT_QUERIES
from tests.conftest import client_as
from tests.instruments.conftest import record


def export_json(membership, case) -> dict:
    response = client_as(membership).get(f"/clients/{case.client.public_id}/export.json", **EN)
    assert response.status_code == 200
    return response.json()


def test_the_export_holds_the_answers_and_the_needs_they_flagged(worker, case):
    record(case, "phq9", 12)

    data = export_json(worker, case)

    [answers] = data["questionnaires"]
    assert (answers["instrument"], answers["score"], answers["band"]) == ("phq9", 12, "Moderate")
    assert answers["answers"] and answers["register"] == "Health care"
    [need] = data["support_needs"]
    assert (need["kind"], need["status"], need["register"]) == ("Mental health", "Open", "Health care")
    assert need["evidence"][0]["facts"]["phq9.score"] == 12


def test_the_printable_export_lists_them_too(worker, case):
    record(case, "was", 4)
    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/export/", **EN))
    assert "Questionnaire answers" in page and "Work Ability Score (WAS): 4 (Poor)" in page
    assert "Support needs" in page and "Work ability assessment (Open)" in page


def test_another_organisations_health_answers_and_needs_stay_out_of_an_export_without_consent(
    worker, case, outsider
):
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(3))
    record(case, "phq9", 12)  # Oulu's health records
    record(case, "was", 9, by=outsider)  # Espoo's own answers

    # The Espoo worker cannot export (only the personal worker answers the client's request), so read
    # what the export would hold for them through the sections themselves.
    assert [a["instrument"] for a in answers_for_export(case.client, outsider)] == ["was"]
    assert needs_for_export(case.client, outsider) == []
    assert {a["instrument"] for a in answers_for_export(case.client, worker)} == {"phq9"}


@pytest.mark.parametrize("count", [1, 4])
def test_the_export_runs_the_same_queries_with_one_and_with_four_answers(worker, case, count):
    for n in range(count):
        record(case, "phq9", 10 + n)
    browser = client_as(worker)
    browser.get(f"/clients/{case.client.public_id}/")
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(f"/clients/{case.client.public_id}/export.json").status_code == 200
    # The clients export's (EXPORT_QUERIES, every app's section included), and the needs' evidence and
    # status history (each with who recorded it) now that there is a need.
    assert len(captured.captured_queries) == EXPORT_QUERIES + 2
