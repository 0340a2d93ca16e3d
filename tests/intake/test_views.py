"""Extract upload and progress, the worklist, and marking people contacted or not relevant."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.clients.models import Case, Client
from polku.intake.models import ExtractStatus, RegistryExtract, RegistryPerson
from polku.screening.models import SupportNeed
from tests.clients.conftest import text
from tests.conftest import client_as
from tests.factories import make_client, make_membership, make_unit, synthetic_identity_code
from tests.intake.conftest import extract_csv, extract_on, person, run
from tests.queries import AUDIT_EVENT

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def flagged_row(n: int, **overrides) -> dict[str, str]:
    """A person the default rules flag: over 50 and unemployed for three years."""
    on = extract_on()
    return person(
        n,
        henkilotunnus=synthetic_identity_code(n, birth_date=date(1965, 1 + n % 12, 1 + n % 28)),
        tyoton_alkaen=date(on.year - 3, on.month, 1).isoformat(),
        **overrides,
    )


@pytest.fixture
def imported(unit, worker):
    rows = [flagged_row(n, sukunimi=f"Aalto{n:02d}") for n in range(1, 4)]
    rows.append(person(50, tyoton_alkaen="", vamma_tai_sairaus="ei"))  # not flagged
    run(unit, extract_csv(rows), by=worker)
    return rows


def flagged_person(rows, n=0) -> RegistryPerson:
    return RegistryPerson.objects.get(identity_code_hash=identity.lookup_hash(rows[n]["henkilotunnus"]))


# --- Upload and progress ------------------------------------------------------------------------------


def upload(browser, data: bytes, name="poiminta.csv"):
    return browser.post("/intake/extracts/", {"file": SimpleUploadedFile(name, data, "text/csv")}, **EN)


def test_the_worker_uploads_an_extract_and_sees_it_imported(
    worker, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.REGISTRY_EXTRACT_DIR = tmp_path
    browser = client_as(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(browser, extract_csv([flagged_row(n) for n in range(1, 6)]))
    extract = RegistryExtract.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/extracts/{extract.public_id}/"
    assert extract.status == ExtractStatus.DONE and extract.uploaded_by == worker
    page = text(browser.get(response["Location"], **EN))
    assert "Imported" in page and "Open the worklist" in page and "hx-trigger" not in page
    assert list(tmp_path.iterdir()) == []  # the uploaded file is removed after the import
    assert AuditEvent.objects.filter(action="intake.import", membership=worker).exists()


def test_a_rejected_upload_shows_line_column_and_reason_and_offers_them_as_csv(
    worker, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.REGISTRY_EXTRACT_DIR = tmp_path
    browser = client_as(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(browser, extract_csv([flagged_row(1), flagged_row(2, kotikunta="999")]))
    page = text(browser.get(response["Location"], **EN))
    assert "Rejected" in page and "Nothing was imported" in page
    assert "<td>3</td><td>kotikunta</td><td>“999” is not a municipality code" in page
    extract = RegistryExtract.objects.get()
    csv_response = browser.get(f"/intake/extracts/{extract.public_id}/problems.csv", **EN)
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "line,column,reason",
        '3,kotikunta,"“999” is not a municipality code (three digits, for example 564)."',
    ]
    assert not RegistryPerson.objects.exists()


def test_while_an_import_runs_the_page_polls_for_progress(worker, unit):
    extract = RegistryExtract.objects.create(
        unit=unit,
        uploaded_by=worker,
        file_name="x.csv",
        status=ExtractStatus.CHECKING,
        rows_total=200,
        rows_checked=50,
    )
    browser = client_as(worker)
    page = text(browser.get(f"/intake/extracts/{extract.public_id}/", **EN))
    assert 'hx-trigger="every 1s"' in page and "Checked 50 of 200 rows" in page and 'value="25"' in page
    partial = text(browser.get(f"/intake/extracts/{extract.public_id}/", HTTP_HX_REQUEST="true", **EN))
    assert partial.lstrip().startswith('<section class="polku-panel" id="extract-progress"')


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(worker, settings, tmp_path):
    settings.REGISTRY_EXTRACT_DIR = tmp_path
    settings.REGISTRY_EXTRACT_MAX_MB = 1
    response = upload(client_as(worker), b"x" * 1_200_000)
    assert response.status_code == 400
    assert "The file is 1 MB; the largest extract accepted is 1 MB" in text(response)
    assert not RegistryExtract.objects.exists()


def test_an_upload_without_a_file_is_400(worker):
    response = client_as(worker).post("/intake/extracts/", {}, **EN)
    assert response.status_code == 400 and "Registry extract: This field is required." in text(response)


@pytest.mark.parametrize("role", [Role.NURSE, Role.MANAGER, Role.JOB_COACH])
def test_only_personal_workers_import_and_see_the_worklist(oulu, worker, role):
    other = make_membership(unit=worker.unit, role=role)
    browser = client_as(other)
    assert browser.get("/intake/extracts/").status_code == 403
    assert browser.post("/intake/extracts/", {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 403
    assert browser.get("/intake/worklist/").status_code == 403
    assert not RegistryExtract.objects.exists()


def test_another_units_extract_is_404_and_the_refusal_is_audited(worker, outsider, oulu):
    extract = run(worker.unit, extract_csv([flagged_row(1)]), by=worker)
    same_organisation = make_membership(unit=make_unit(organisation=oulu), role=Role.PERSONAL_WORKER)
    for who in (outsider, same_organisation):
        browser = client_as(who)
        assert browser.get(f"/intake/extracts/{extract.public_id}/").status_code == 404
        assert browser.get(f"/intake/extracts/{extract.public_id}/problems.csv").status_code == 404
        assert AuditEvent.objects.filter(action="permission.refused", membership=who).count() == 2


# --- The worklist -------------------------------------------------------------------------------------


def test_the_worklist_lists_flagged_people_strongest_first_with_reasons(worker, imported):
    urgent = run(
        worker.unit,
        extract_csv([*imported, flagged_row(9, sukunimi="Öhman", vamma_tai_sairaus="kyllä")]),
    )
    assert urgent.new_people == 1
    page = text(client_as(worker).get("/intake/worklist/", **EN))
    names = [row.person.last_name for row in client_as(worker).get("/intake/worklist/").context["rows"]]
    assert names == ["Öhman", "Aalto01", "Aalto02", "Aalto03"]  # four rules matched Öhman, two the others
    assert "Unemployed 12 months or more and aged 50 or more (Work ability assessment)" in page
    assert "(threshold: at least 24)" in page and "unemployed_months" not in page
    assert imported[0]["henkilotunnus"] not in page and imported[0]["henkilotunnus"][:7] + "****" in page
    assert "Virtanen50" not in page  # not flagged


def test_other_units_and_organisations_see_nothing_of_the_worklist(worker, imported, outsider, oulu):
    same_organisation = make_membership(unit=make_unit(organisation=oulu), role=Role.PERSONAL_WORKER)
    for who in (outsider, same_organisation):
        response = client_as(who).get("/intake/worklist/", **EN)
        assert response.status_code == 200 and list(response.context["rows"]) == []
        assert "Nobody is waiting to be contacted." in text(response)
        for url in ("contacted", "not-relevant"):
            target = f"/intake/worklist/{flagged_person(imported).public_id}/{url}/"
            assert client_as(who).get(target).status_code == 404
            assert (
                client_as(who).post(target, {"confirm": "on", "reason": "Ei kuulu meille"}).status_code == 404
            )
        assert AuditEvent.objects.filter(action="permission.refused", membership=who).count() == 4
    assert RegistryPerson.objects.filter(state="").count() == 4
    assert not Client.objects.exists()


def test_the_worklist_is_paginated(worker, unit):
    run(unit, extract_csv([flagged_row(n) for n in range(1, 31)]))
    browser = client_as(worker)
    first = browser.get("/intake/worklist/", **EN)
    assert len(first.context["rows"]) == 25 and "Page 1 of 2" in text(first)
    assert len(browser.get("/intake/worklist/?page=2").context["rows"]) == 5


# Session, the user with their active memberships; the count and the page of people; the audit event (AUDIT_EVENT, tests/queries.py); the rules named in the flags.
WORKLIST_QUERIES = 5 + AUDIT_EVENT


@pytest.mark.parametrize("count", [1, 30])
def test_the_worklist_runs_the_same_queries_with_one_and_with_30_people(
    worker, unit, count, django_assert_num_queries
):
    run(unit, extract_csv([flagged_row(n, vamma_tai_sairaus="kyllä") for n in range(1, count + 1)]))
    browser = client_as(worker)
    browser.get("/intake/worklist/")
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get("/intake/worklist/")
    assert len(response.context["rows"]) == min(count, 25)


# --- Contacted and not relevant ------------------------------------------------------------------------


def test_contacted_opens_a_case_and_the_flags_become_support_needs(worker, imported):
    target = flagged_person(imported)
    browser = client_as(worker)
    page = text(browser.get(f"/intake/worklist/{target.public_id}/contacted/", **EN))
    assert "This opens a case for the person in your unit" in page
    response = browser.post(f"/intake/worklist/{target.public_id}/contacted/", {"confirm": "on"}, **EN)
    client = Client.objects.get(identity_code_hash=target.identity_code_hash)
    assert response.status_code == 302 and response["Location"] == f"/clients/{client.public_id}/"
    case = Case.objects.get(client=client)
    assert (case.unit, case.personal_worker, case.source) == (worker.unit, worker, "registry_screening")
    [need] = SupportNeed.objects.filter(client=client)
    assert need.kind == "work_ability_assessment" and need.case == case
    assert {e.rule.code for e in need.evidence.all()} == {"unemployed-12-age-50", "unemployed-24"}
    assert need.evidence.first().source.startswith("Registry extract of")
    target.refresh_from_db()
    assert (target.state, target.client, target.case, target.handled_by) == (
        "contacted",
        client,
        case,
        worker,
    )
    assert target not in client_as(worker).get("/intake/worklist/").context["page"].object_list
    overview = text(browser.get(f"/clients/{client.public_id}/", **EN))
    assert "Work ability assessment" in overview and "Identified in the registry extract of" in overview


def test_contacted_finds_the_person_polku_already_holds(worker, imported, outsider):
    target = flagged_person(imported)
    existing = make_client(by=outsider, identity_code=imported[0]["henkilotunnus"], municipality="049")
    client_as(worker).post(f"/intake/worklist/{target.public_id}/contacted/", {"confirm": "on"})
    assert Client.objects.count() == 1
    assert Case.objects.filter(client=existing, unit=worker.unit).exists()


def test_contacted_needs_the_confirmation(worker, imported):
    target = flagged_person(imported)
    response = client_as(worker).post(f"/intake/worklist/{target.public_id}/contacted/", {}, **EN)
    assert response.status_code == 400 and "This field is required." in text(response)
    assert not Client.objects.exists()


def test_a_person_with_an_open_case_in_the_unit_is_not_opened_twice(worker, imported):
    unit_worker = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
    target = flagged_person(imported)
    make_client(by=unit_worker, identity_code=imported[0]["henkilotunnus"])
    before = Case.objects.count()
    response = client_as(worker).post(
        f"/intake/worklist/{target.public_id}/contacted/", {"confirm": "on"}, **EN
    )
    assert response.status_code == 400 and "already has an open case in your unit" in text(response)
    assert Case.objects.count() == before
    target.refresh_from_db()
    assert target.state == ""


def test_not_relevant_records_the_reason(worker, imported):
    target = flagged_person(imported, 1)
    response = client_as(worker).post(
        f"/intake/worklist/{target.public_id}/not-relevant/", {"reason": "Muuttanut pois kunnasta"}
    )
    assert response.status_code == 302 and response["Location"] == "/intake/worklist/"
    target.refresh_from_db()
    assert (target.state, target.reason, target.handled_by) == (
        "not_relevant",
        "Muuttanut pois kunnasta",
        worker,
    )
    assert AuditEvent.objects.filter(action="intake.not_relevant", object_id=str(target.public_id)).exists()
    # Already handled: a second decision is refused.
    again = client_as(worker).post(f"/intake/worklist/{target.public_id}/contacted/", {"confirm": "on"}, **EN)
    assert again.status_code == 400 and "already been handled" in text(again)


def test_not_relevant_without_a_reason_is_400_and_changes_nothing(worker, imported):
    target = flagged_person(imported, 1)
    response = client_as(worker).post(
        f"/intake/worklist/{target.public_id}/not-relevant/", {"reason": " "}, **EN
    )
    assert response.status_code == 400 and "Reason: This field is required." in text(response)
    target.refresh_from_db()
    assert target.state == ""


def test_personal_workers_see_the_worklist_in_the_navigation(worker, colleague):
    assert 'href="/intake/worklist/"' in text(client_as(worker).get("/caseload/"))
    assert 'href="/intake/worklist/"' not in text(client_as(colleague).get("/caseload/"))


@pytest.mark.parametrize("role", [Role.NURSE, Role.MANAGER, Role.JOB_COACH])
def test_other_roles_of_the_unit_get_404_for_an_extract_and_a_flagged_person(worker, role):
    extract = run(worker.unit, extract_csv([flagged_row(1)]), by=worker)
    target = RegistryPerson.objects.get(unit=worker.unit)
    browser = client_as(make_membership(unit=worker.unit, role=role))

    for url in (
        f"/intake/extracts/{extract.public_id}/",
        f"/intake/extracts/{extract.public_id}/problems.csv",
        f"/intake/worklist/{target.public_id}/contacted/",
        f"/intake/worklist/{target.public_id}/not-relevant/",
    ):
        assert browser.get(url).status_code == 404, url
    assert (
        browser.post(f"/intake/worklist/{target.public_id}/contacted/", {"confirm": "on"}).status_code == 404
    )
    target.refresh_from_db()
    assert target.state == "" and not Case.objects.exists()


def test_refreshing_a_finished_extracts_page_is_audited_like_opening_it(worker):
    extract = run(worker.unit, extract_csv([flagged_row(1)]), by=worker)

    response = client_as(worker).get(f"/intake/extracts/{extract.public_id}/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="intake.extract.view", membership=worker).count() == 1
