"""Open Referral HSDS 3.0: the export validates against the schemas (the copies under
services/data/hsds-3.0, which production uses), round-trips through an empty database, and the import
refuses a bad document with every problem and its service, writing nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from polku.audit.models import AuditEvent
from polku.network import hsds
from polku.network.models import Provider, Service, ServiceContact, ServiceLocation
from tests.conftest import client_as
from tests.factories import make_service

SHARED = Path("/work/shared/standards/hsds-3.0")


@pytest.fixture
def catalogue(db, oulu):
    first = make_service(
        name="Mielenterveyspalvelut",
        need_kinds=["mental_health", "substance_use"],
        languages=["fi", "sv", "en"],
        organisation=oulu,
        name_sv="Mentalvårdstjänster",
        description_en="Mental health services for adults.",
        url="https://palvelut.example/mielenterveys",
        email="mt@palvelut.example",
        phone="+358 8 123 4567",
        eligibility="Aikuiset.",
        application_process="Lähetteellä.",
    )
    second = make_service(
        name="Velkaneuvonta", category="debt-counselling", need_kinds=[], municipality="698"
    )
    make_service(name="Lakkautettu", is_active=False)
    # A provider of a bilingual municipality: its Swedish name travels with the document.
    Provider.objects.filter(pk=first.provider_id).update(name_sv="Svenska leverantören")
    return first, second


def test_the_providers_swedish_name_is_exported_and_imported(catalogue):
    before = document()
    [attribute] = [
        a
        for item in before
        for a in item["attributes"]
        if a["taxonomy_term"]["code"] == "organization_name:sv"
    ]
    assert attribute["value"] == "Svenska leverantören"
    assert attribute["link_id"] == str(catalogue[0].provider.public_id)
    Provider.objects.filter(pk=catalogue[0].provider_id).update(name_sv="")

    assert hsds.import_document(before).ok

    assert Provider.objects.get(pk=catalogue[0].provider_id).name_sv == "Svenska leverantören"
    # A document without it leaves the name as it is.
    without = [
        {
            **item,
            "attributes": [
                a for a in item["attributes"] if a["taxonomy_term"]["code"] != "organization_name:sv"
            ],
        }
        for item in before
    ]
    assert hsds.import_document(without).ok
    assert Provider.objects.get(pk=catalogue[0].provider_id).name_sv == "Svenska leverantören"


def document() -> list[dict]:
    return json.loads(json.dumps(hsds.export_services()))


def test_every_exported_service_is_valid_hsds(catalogue):
    exported = document()

    assert len(exported) == 3
    for item in exported:
        assert hsds.schema_errors(item) == []
    first = next(item for item in exported if item["name"] == "Mielenterveyspalvelut")
    assert first["status"] == "active"
    assert first["organization"]["tax_id"]
    assert first["service_at_locations"][0]["location"]["addresses"][0]["state_province"] == "Oulu"
    assert first["service_at_locations"][0]["location"]["accessibility"][0]["description"] == "Esteetön."
    assert [p["number"] for p in first["contacts"][0]["phones"]] == ["+358 8 000 0000"]
    assert [p["number"] for p in first["phones"]] == ["+358 8 123 4567"]
    assert [language["code"] for language in first["languages"]] == ["fi", "sv", "en"]
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in first["attributes"]}
    assert ("polku-service-kinds", "mental-health") in terms
    assert ("polku-support-needs", "substance_use") in terms
    assert ("polku-translations", "name:sv") in terms
    assert {i["status"] for i in exported} == {"active", "inactive"}


def test_the_copied_schemas_are_those_of_the_standard_with_their_licence():
    copied = Path(hsds.SCHEMAS)
    assert (copied / "LICENSE").read_text().startswith("The Human Services Data Specification")
    if SHARED.exists():  # the shared folder is a development convenience; production has only the copy
        for name in ("service.json", "organization.json", "service_at_location.json", "LICENSE"):
            assert (copied / name).read_bytes() == (SHARED / name).read_bytes()


def test_the_specifications_own_example_is_valid_against_the_copied_schema():
    example = json.loads((Path(hsds.SCHEMAS) / "example_service_full.json").read_text())
    assert hsds.schema_errors(example) == []


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_document(catalogue):
    before = document()
    ServiceLocation.objects.all().delete()
    ServiceContact.objects.all().delete()
    Service.objects.all().delete()
    Provider.objects.all().delete()

    result = hsds.import_document(before)

    assert result.ok and (result.created, result.updated) == (3, 0)
    assert document() == before


def test_importing_the_same_document_again_changes_nothing(catalogue):
    before = document()
    rows = (Service.objects.count(), ServiceLocation.objects.count(), ServiceContact.objects.count())

    result = hsds.import_document(before)

    assert result.ok and (result.created, result.updated) == (0, 3)
    assert (Service.objects.count(), ServiceLocation.objects.count(), ServiceContact.objects.count()) == rows
    assert document() == before


def test_a_bad_document_is_refused_with_every_problem_and_nothing_is_written(catalogue):
    good = document()
    bad = copy.deepcopy(good)
    bad[0]["name"] = "Uusi nimi"  # a valid change in a document that is wrong elsewhere
    del bad[1]["status"]
    bad[2]["id"] = "not-a-uuid"
    bad[2]["attributes"][0]["taxonomy_term"]["code"] = "no-such-kind"
    before = document()

    result = hsds.import_document(bad)

    assert not result.ok
    assert any(
        line.startswith(f"service 2 ({good[1]['id']}): ") and "'status' is a required property" in line
        for line in result.errors
    )
    assert any(line.startswith("service 3 (not-a-uuid): id: ") and "uuid" in line for line in result.errors)
    assert document() == before


def test_semantic_problems_are_reported_with_their_service(catalogue):
    bad = document()
    first = bad[0]["id"]
    bad[0]["attributes"] = [
        a for a in bad[0]["attributes"] if a["taxonomy_term"]["taxonomy"] != "polku-service-kinds"
    ]
    bad[1]["service_at_locations"][0]["location"]["addresses"][0]["state_province"] = "Atlantis"
    bad[2]["attributes"][0]["taxonomy_term_id"] = "00000000-0000-4000-8000-000000000000"
    bad[2]["attributes"][0]["taxonomy_term"]["code"] = "no-such-kind"

    result = hsds.import_document(bad)

    assert result.errors[0] == (
        f"service 1 ({first}): the service has no category (an attribute of the polku-service-kinds taxonomy)"
    )
    assert "unknown municipality 'Atlantis'" in result.errors[1]
    assert "unknown service category 'no-such-kind'" in result.errors[2]


def test_a_document_that_is_not_a_list_is_refused(db):
    assert hsds.import_document({"id": "x"}).errors == ["The document must be a JSON array of HSDS services."]


def test_the_commands_export_and_import_the_same_document(catalogue, tmp_path, capsys):
    path = tmp_path / "catalogue.json"
    call_command("export_hsds", str(path))
    exported = json.loads(path.read_text())
    assert exported == document()
    Service.objects.update(name_fi="Muutettu")

    call_command("import_hsds", str(path))

    assert json.loads(json.dumps(hsds.export_services())) == exported
    assert AuditEvent.objects.filter(action="catalogue.import").count() == 1


def test_the_import_command_lists_the_problems_and_fails(catalogue, tmp_path, capsys):
    path = tmp_path / "bad.json"
    bad = document()
    bad[0]["status"] = "closed forever"
    path.write_text(json.dumps(bad))

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_hsds", str(path))

    assert f"service 1 ({bad[0]['id']}): status:" in capsys.readouterr().err


def test_an_administrator_downloads_the_export_and_others_are_refused(catalogue, administrator, worker):
    response = client_as(administrator).get("/services/hsds.json")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="polku-services-hsds.json"'
    assert json.loads(response.content) == document()
    assert client_as(worker).get("/services/hsds.json").status_code == 403
