"""FHIR R4: each version exports as a Questionnaire and each response as a QuestionnaireResponse that
fhir.resources validates (R4B models: Questionnaire and QuestionnaireResponse are the same as in R4), and
import → export → import loses nothing."""

from __future__ import annotations

import copy
import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from polku.instruments import fhir, selectors
from polku.instruments.builtin import BUILTIN_CODES, builtin_files
from polku.instruments.fhir_import import FhirImportError, import_questionnaire
from polku.instruments.models import InstrumentVersion
from tests.instruments.conftest import record

ALL_KINDS = {
    "resourceType": "Questionnaire",
    "language": "fi",
    "extension": [{"url": fhir.POLKU + "register", "valueCode": "social"}],
    "url": fhir.CANONICAL + "kinds",
    "version": "3",
    "name": "kinds",
    "title": "Kaikki tyypit",
    "_title": {
        "extension": [
            {
                "url": fhir.TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": "en"},
                    {"url": "content", "valueString": "All kinds"},
                ],
            }
        ]
    },
    "status": "draft",
    "item": [
        {
            "linkId": "days",
            "extension": [
                {"url": fhir.MIN_VALUE, "valueInteger": 0},
                {"url": fhir.MAX_VALUE, "valueInteger": 31},
            ],
            "text": "Montako päivää?",
            "type": "integer",
            "required": False,
            "item": [
                {
                    "linkId": "days-help",
                    "extension": [
                        {
                            "url": fhir.ITEM_CONTROL,
                            "valueCodeableConcept": {
                                "coding": [{"system": fhir.ITEM_CONTROL_SYSTEM, "code": "help"}]
                            },
                        }
                    ],
                    "text": "Viimeisen kuukauden aikana.",
                    "type": "display",
                }
            ],
        },
        {"linkId": "works", "text": "Oletko työssä?", "type": "boolean", "required": True},
        {"linkId": "notes", "text": "Muuta?", "type": "text", "required": False},
    ],
}


def canonical(data):
    return {k: v for k, v in data.items() if k not in {"id", "date"}}


@pytest.mark.django_db
@pytest.mark.parametrize("code", BUILTIN_CODES)
def test_each_built_in_exports_as_a_valid_fhir_questionnaire(code):
    exported = fhir.questionnaire(selectors.version_for_export(code))

    Questionnaire.parse_obj(exported)
    assert exported["status"] == "active" and exported["name"] == code
    assert all(t["_text"]["extension"] for t in exported["item"])  # sv and en with every question


@pytest.mark.django_db
@pytest.mark.parametrize("path", builtin_files(), ids=lambda p: p.stem)
def test_the_built_in_files_are_what_the_exporter_writes(path):
    data = json.loads(path.read_text(encoding="utf-8"))

    assert canonical(fhir.questionnaire(selectors.version_for_export(data["name"]))) == canonical(data)


@pytest.mark.django_db
@pytest.mark.parametrize("code", BUILTIN_CODES)
def test_import_export_import_loses_nothing(code):
    first = fhir.questionnaire(selectors.version_for_export(code))
    second_file = copy.deepcopy(first)
    second_file["version"] = "2"

    imported, created = import_questionnaire(second_file)
    again = fhir.questionnaire(selectors.version_for_export(code, 2))

    assert created
    assert canonical(again) == canonical(second_file)
    assert imported.max_score == selectors.version_for_export(code, 1).max_score


@pytest.mark.django_db
def test_every_item_kind_round_trips_and_a_second_import_is_a_no_op_for_a_published_version():
    version, _ = import_questionnaire(copy.deepcopy(ALL_KINDS))
    exported = fhir.questionnaire(selectors.version_for_export("kinds"))

    Questionnaire.parse_obj(exported)
    assert canonical(exported) == canonical(ALL_KINDS)
    assert [i.kind for i in version.items.all()] == ["integer", "boolean", "text"]
    published = copy.deepcopy(ALL_KINDS) | {"version": "4", "status": "active"}
    import_questionnaire(published)
    assert import_questionnaire(copy.deepcopy(published))[1] is False


@pytest.mark.django_db
def test_a_published_version_that_differs_from_the_file_is_refused():
    changed = json.loads(builtin_files()[0].read_text(encoding="utf-8"))
    changed["item"][0]["required"] = False

    with pytest.raises(FhirImportError, match="give the file a new version number"):
        import_questionnaire(changed)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"resourceType": "Patient"}, "Not a FHIR Questionnaire"),
        ({"name": "Bad Name"}, "instrument code"),
        ({"version": "x"}, "whole number"),
        ({"status": "unknown"}, "Unknown Questionnaire status"),
    ],
)
def test_a_file_that_is_not_a_polku_questionnaire_is_refused_and_nothing_is_stored(change, message):
    before = InstrumentVersion.objects.count()

    with pytest.raises(FhirImportError, match=message):
        import_questionnaire(copy.deepcopy(ALL_KINDS) | change)

    assert InstrumentVersion.objects.count() == before


def test_a_response_exports_as_a_valid_questionnaire_response(case):
    stored = record(case, "phq9", 11, **{"9": "1"})

    exported = fhir.questionnaire_response(
        selectors.response_for(viewer=case.personal_worker, public_id=stored.public_id)
    )

    QuestionnaireResponse.parse_obj(exported)
    assert exported["questionnaire"] == "https://polku.example/fhir/Questionnaire/phq9|1"
    assert exported["status"] == "completed"
    assert {
        e["url"].rsplit("/", 1)[1]: e.get("valueInteger", e.get("valueCode")) for e in exported["extension"]
    } == {
        "answered-by": "staff_with_client",
        "total-score": 11,
        "band": "moderate",
    }
    assert [i["linkId"] for i in exported["item"]] == [str(n) for n in range(1, 10)]
    assert exported["item"][8]["answer"] == [{"valueCoding": {"code": "1", "display": "Useina päivinä"}}]
    assert str(case.client.public_id) == exported["subject"]["identifier"]["value"]
