"""The client's IPS records in the client data export and in their own My data: the period with its
phases, the career profile with the history of the disclosure decision, benefits counselling, jobs,
follow-along and the employer contacts on the client's behalf (never the employer's contact person),
as the period page shows them: to the coaching organisation, to another only under the client's consent
for the employment register, and everything to the client themself."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.clients import services as client_services
from polku.clients.export import ExportSection
from polku.core import plugins
from polku.employment import services
from tests.conftest import client_as
from tests.employment.conftest import EN, days_ago, text, today
from tests.employment.test_employers_matching import add_opening
from tests.factories import make_case_after_break_glass
from tests.portal.test_pages import page, portal_as

PERSON_PHONE = "040 765 4321"
PERSON_EMAIL = "tiina.tyonantaja@example.test"
CONTACT_NOTE = "Esittelin myös toisen työnhakijan"


def ips_records(period, coach, employer, *, n: int = 1) -> None:
    """A career profile whose disclosure decision changed, counselling, a job, follow-along, an employer
    contact on the client's behalf (through a contact person with a phone and an email) and an opening
    discussed; `n` of the repeated ones."""
    services.profile_save(
        period=period, by=coach, job_fields=["food"], hours_min=10, hours_max=25, disclosure="none"
    )
    services.profile_save(
        period=period, by=coach, disclosure="partial", disclosure_note="Saa kertoa aloituksen tarpeista"
    )
    person = services.contact_person_add(
        employer=employer, by=coach, name="Tiina Työnantaja", phone=PERSON_PHONE, email=PERSON_EMAIL
    )
    opening = add_opening(coach, employer)
    for number in range(n):
        services.counselling_record(
            period=period, by=coach, reason="start", offered_on=days_ago(30 - number), questions="Asumistuki"
        )
        job = services.job_start(
            period=period,
            by=coach,
            employer=employer,
            title=f"Keittiöapulainen {number}",
            job_field="food",
            hours_per_week=Decimal("20"),
            wage_type="competitive",
            starts_on=days_ago(20 - number),
        )
        services.follow_along_record(period=period, by=coach, on=days_ago(10 - number), note="Sujuu", job=job)
        services.employer_contact_record(
            employer=employer,
            by=coach,
            on=days_ago(25 - number),
            face_to_face=True,
            purpose="present",
            note=CONTACT_NOTE,
            contact_person=person,
            job_seekers=[period],
        )
        services.discussion_record(period=period, opening=opening, by=coach, decision="apply")


def staff_export(membership, case) -> dict:
    response = client_as(membership).get(f"/clients/{case.client.public_id}/export.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_personal_workers_export_holds_the_clients_ips_records(case, worker, period, coach, employer):
    ips_records(period, coach, employer)

    data = staff_export(worker, case)

    [record] = data["employment"]
    assert record["organisation"] == worker.unit.organisation.name
    assert record["summary"].startswith(f"{worker.unit.organisation.name}, ")
    assert "alkaen: Työssä (seurantatuki)" in record["summary"]
    assert "Keittiöapulainen 0" in record["summary"]
    profile = record["career_profile"]
    assert profile["disclosure"] == "Joitakin asioita saa kertoa (ks. huomautus)"
    assert profile["disclosure_note"] == "Saa kertoa aloituksen tarpeista"
    [before] = profile["disclosure_history"]
    assert (before["decision_before"], before["note_before"]) == ("Työnantajille ei kerrota mitään", "")
    assert before["changed_by"].startswith(str(coach.user))
    assert [job["title"] for job in record["jobs"]] == ["Keittiöapulainen 0"]
    assert record["follow_along"][0]["job"] == "Keittiöapulainen 0"
    assert record["benefits_counselling"][0]["questions"] == "Asumistuki"
    assert record["employer_contacts_on_my_behalf"][0]["employer"] == "Kahvila Testi Oy"
    assert record["openings_discussed"][0]["opening"] == "Tarjoilija"
    assert [p["phase"] for p in record["phases"]]
    raw = json.dumps(data, ensure_ascii=False)
    # The employer's contact person is not the client's data; the contact's note may name others.
    assert PERSON_PHONE not in raw and PERSON_EMAIL not in raw and "Tiina" not in raw
    assert CONTACT_NOTE not in raw
    assert plugins.contributor(ExportSection, "employment") == "employment"


def test_the_section_has_its_heading_in_three_languages(case, worker, period, coach, employer):
    ips_records(period, coach, employer)
    url = f"/clients/{case.client.public_id}/export/"
    headings = {"fi": "Tuettu työllistyminen (IPS)", "sv": "Arbete med stöd (IPS)"}
    for language, heading in {**headings, "en": "Supported employment (IPS)"}.items():
        shown = text(client_as(worker).get(url, HTTP_ACCEPT_LANGUAGE=language))
        assert heading in shown, language
        assert "Keittiöapulainen 0" in shown


def test_another_organisation_sees_the_ips_records_only_under_the_clients_consent(
    case, worker, period, coach, employer, outsider, oulu, espoo
):
    ips_records(period, coach, employer)
    make_case_after_break_glass(by=outsider, client=case.client)

    assert staff_export(outsider, case)["employment"] == []

    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työllistyminen",
        valid_from=today(),
        method="written",
    )
    [record] = staff_export(outsider, case)["employment"]
    assert record["jobs"][0]["title"] == "Keittiöapulainen 0"


def test_a_social_consent_does_not_disclose_the_ips_records(
    case, worker, period, coach, employer, outsider, oulu, espoo
):
    ips_records(period, coach, employer)
    make_case_after_break_glass(by=outsider, client=case.client)
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_social=True,
        purpose="Yhteistyö",
        valid_from=today(),
        method="written",
    )

    assert staff_export(outsider, case)["employment"] == []


def test_my_data_holds_my_ips_records_whoever_coached_me(case, period, coach, employer):
    ips_records(period, coach, employer)

    response = portal_as(case.client).get(f"/portal/my-data/{case.client.public_id}/download.json")

    [record] = json.loads(response.content)["employment"]
    assert record["career_profile"]["disclosure_note"] == "Saa kertoa aloituksen tarpeista"
    assert record["employer_contacts_on_my_behalf"][0]["purpose"]
    shown = page(
        portal_as(case.client).get(f"/portal/my-data/{case.client.public_id}/", HTTP_ACCEPT_LANGUAGE="fi")
    )
    assert "Tuettu työllistyminen (IPS)" in shown and "Keittiöapulainen 0" in shown


def test_the_section_reads_the_same_number_of_queries_with_more_records(
    case, worker, period, coach, employer
):
    from polku.employment.selectors import for_export

    ips_records(period, coach, employer)
    client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert for_export(case.client, None)
        return len(captured.captured_queries)

    few = queries()
    ips_records(period, coach, employer, n=4)
    assert len(for_export(case.client, None)[0]["jobs"]) == 5
    assert queries() == few == 9
