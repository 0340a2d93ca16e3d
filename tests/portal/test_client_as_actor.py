"""What the client does in their own Polku is named as done by "the client themself" (the words of the
access report's basis, audit/basis.py), never a blank actor: on the client overview's timeline and
support needs, in the staff export and in the client's own download."""

from __future__ import annotations

import json
import re

import pytest

from polku.clients import services as client_services
from polku.clients.models import Consent
from polku.screening.models import SupportNeed
from tests.clients.conftest import today
from tests.conftest import client_as
from tests.instruments.conftest import answers_for, version
from tests.portal.test_pages import page, portal_as
from tests.portal.test_questionnaires import ask, form_data

pytestmark = pytest.mark.django_db

THE_CLIENT = {"fi": "Asiakas itse", "sv": "Klienten själv", "en": "The client themself"}


def revoke_in_my_polku(case, worker, oulu, espoo) -> Consent:
    consent = client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_social=True,
        purpose="Yhteistyö",
        valid_from=today(),
        method="written",
    )
    response = portal_as(case.client).post(f"/portal/consents/{consent.public_id}/revoke/")
    assert response.status_code == 302
    return consent


def answer_phq9_meeting_a_rule(case, worker) -> SupportNeed:
    request = ask(worker, case)
    done = portal_as(case.client).post(
        f"/portal/questionnaires/{request.public_id}/", form_data(answers_for(version("phq9"), 12), "submit")
    )
    assert done.status_code == 200
    return SupportNeed.objects.get(client=case.client)


def timeline_meta(overview: str, label: str) -> str:
    """The date and actor line of the overview's timeline entry whose label starts with `label`."""
    for entry in overview.split('<li class="polku-timeline__entry">')[1:]:
        if f'polku-timeline__label">{label}' in entry:
            meta = re.search(r'polku-timeline__meta">(.*?)</p>', entry, re.S)
            assert meta
            return re.sub(r"<[^>]+>", "", meta.group(1))
    raise AssertionError(label)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_overview_names_the_client_as_who_revoked_a_consent(case, worker, oulu, espoo, language):
    revoke_in_my_polku(case, worker, oulu, espoo)
    overview = page(
        client_as(worker).get(f"/clients/{case.client.public_id}/", HTTP_ACCEPT_LANGUAGE=language)
    )
    labels = {"fi": "Suostumus peruttu", "sv": "Samtycke återkallat", "en": "Consent revoked"}
    meta = timeline_meta(overview, labels[language])
    assert meta.strip().endswith(f"· {THE_CLIENT[language]}"), meta


def test_the_export_and_my_download_name_the_client_on_their_timeline_entries(case, worker, oulu, espoo):
    revoke_in_my_polku(case, worker, oulu, espoo)
    answer_phq9_meeting_a_rule(case, worker)

    staff = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)
    mine = json.loads(
        portal_as(case.client).get(f"/portal/my-data/{case.client.public_id}/download.json").content
    )
    for data in (staff, mine):
        written = [entry for entry in data["timeline"] if entry["event"].startswith(("Suostumus peruttu",))]
        assert written and all(entry["by"] == "Asiakas itse" for entry in written)
        assert all(entry["by"] for entry in data["timeline"]), data["timeline"]


def test_a_need_flagged_from_my_answers_names_me_in_its_history_everywhere(case, worker):
    need = answer_phq9_meeting_a_rule(case, worker)

    staff = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)
    mine = json.loads(
        portal_as(case.client).get(f"/portal/my-data/{case.client.public_id}/download.json").content
    )
    for data in (staff, mine):
        [exported] = data["support_needs"]
        assert [row["by"] for row in exported["evidence"]] == ["Asiakas itse"]
        assert [(row["status"], row["by"]) for row in exported["history"]] == [
            (need.get_status_display(), "Asiakas itse")
        ]
    for language, words in THE_CLIENT.items():
        overview = page(
            client_as(worker).get(f"/clients/{case.client.public_id}/", HTTP_ACCEPT_LANGUAGE=language)
        )
        assert f'data-testid="evidence-actor">{words}<' in overview, language


def test_a_worker_keeps_their_own_name_in_the_same_places(case, worker):
    from polku.instruments import services as instrument_services

    instrument_services.record_response(
        case=case, version=version("phq9"), answers=answers_for(version("phq9"), 12), by=worker
    )
    staff = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)
    [exported] = staff["support_needs"]
    assert exported["evidence"][0]["by"].startswith(str(worker.user))
    assert exported["history"][0]["by"].startswith(str(worker.user))
    assert all(entry["by"].startswith(str(worker.user)) for entry in staff["timeline"])
