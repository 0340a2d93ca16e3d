"""Evidence is shown as sentences in the reader's language: each fact with its label, its value formatted
for the language, the rule's threshold in words, and where it came from with one date."""

import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone, translation

from polku.screening import evidence
from polku.screening.services import screen_client
from tests.clients.conftest import text
from tests.conftest import client_as

FI = {"HTTP_ACCEPT_LANGUAGE": "fi"}
SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def today() -> str:
    day = timezone.localdate()
    return f"{day.day}.{day.month}.{day.year}"


@pytest.fixture
def answered_need(case, worker):
    """A need flagged as a PHQ-9 was answered today (when the evidence is recorded too), its source
    written by a worker using Polku in English."""
    [need] = screen_client(
        client=case.client,
        case=case,
        facts={"phq9.score": 16, "phq9.band": "moderately_severe"},
        by=worker,
        source_description=f"PHQ-9 – masennusoireiden kysely answered on {today()}",
    )
    return need


def evidence_list(page: str) -> str:
    return re.search(r'<ul class="polku-needs__evidence">(.*?)</ul>', page, re.S).group(1)


@pytest.fixture
def registry_need(case, worker):
    """Needs flagged from registry facts when a person on the worklist was contacted (source in Finnish)."""
    with translation.override("fi"):
        return screen_client(
            client=case.client,
            case=case,
            facts={"age": 58, "unemployed_months": 36, "disability_or_illness": True},
            by=worker,
            source_description="Rekisteripoiminta 2.12.2026",
        )


def overview(worker, case, language):
    return text(client_as(worker).get(f"/clients/{case.client.public_id}/", **language))


def test_the_overview_shows_questionnaire_evidence_in_finnish_with_one_date(worker, case, answered_need):
    page = overview(worker, case, FI)
    assert f"PHQ-9-pisteet 16 (raja: vähintään 10), täytetty {today()}" in page
    assert "PHQ-9-pisteet 10 tai enemmän (vähintään kohtalaisia masennusoireita), säännön versio 1" in page
    assert "phq9.score" not in page and "<code>" not in page
    assert evidence_list(page).count(today()) == 1


def test_the_overview_shows_questionnaire_evidence_in_swedish(worker, case, answered_need):
    page = overview(worker, case, SV)
    assert f"PHQ-9-poäng 16 (gräns: minst 10), besvarad {today()}" in page
    assert "regelversion 1" in page and "phq9.score" not in page


def test_registry_evidence_reads_as_sentences_in_the_readers_language(worker, case, registry_need):
    finnish = overview(worker, case, FI)
    assert "Työttömänä 36 kuukautta (raja: vähintään 24), rekisteripoiminta 2.12.2026" in finnish
    assert "Vamma tai pitkäaikaissairaus tiedossa" in finnish and "True" not in finnish
    assert "Ikä 58 vuotta (raja: vähintään 50)" in finnish
    swedish = overview(worker, case, SV)
    assert "Arbetslös i 36 månader (gräns: minst 24), registerutdrag 2.12.2026" in swedish
    assert "Känd funktionsnedsättning eller långvarig sjukdom" in swedish
    assert "Rekisteripoiminta" not in swedish and "disability_or_illness" not in swedish
    english = overview(worker, case, EN)
    assert "Unemployed for 36 months (threshold: at least 24), registry extract of 2.12.2026" in english


def test_the_pages_that_act_on_a_need_show_its_evidence(worker, case, answered_need):
    page = text(client_as(worker).get(f"/needs/{answered_need.public_id}/dismiss/", **FI))
    assert f"PHQ-9-pisteet 16 (raja: vähintään 10), täytetty {today()}" in page


def test_the_export_keeps_the_facts_and_adds_the_sentences(worker, case, answered_need):
    data = client_as(worker).get(f"/clients/{case.client.public_id}/export.json", **EN).json()
    [need] = data["support_needs"]
    [item] = need["evidence"]
    assert item["facts"] == {"phq9.score": 16}
    assert item["text"] == f"PHQ-9 score 16 (threshold: at least 10), answered on {today()}"
    assert "PHQ-9 score 16 (threshold: at least 10)" in need["summary"]


# --- The formatter ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "Työkykypistemäärä"), ("fi", "2,5"), ("sv", "2,5"), ("en", "2.5")],
)
def test_numbers_use_the_languages_decimal_separator(language, expected):
    with translation.override(language):
        shown = (
            evidence.fact_sentence("polku_fc.mobility", 2.5)
            + " "
            + evidence.rule_name("Work Ability Score 5 or less: comprehensive work ability assessment")
        )
    assert expected in shown


def test_a_moment_is_shown_as_its_date_in_helsinki():
    late_evening_utc = datetime(2026, 12, 4, 22, 30, tzinfo=UTC)  # 00.30 on 5 December in Helsinki
    with translation.override("fi"):
        assert evidence.format_date(late_evening_utc) == "5.12.2026"
        assert evidence.source_text("", late_evening_utc) == "kirjattu 5.12.2026"


@pytest.mark.parametrize(
    ("condition", "finnish"),
    [
        ({"fact": "phq9.score", "op": "gte", "value": 10}, "PHQ-9-pisteet vähintään 10"),
        ({"fact": "phq9.item.9", "op": "gt", "value": 0}, "PHQ-9, kysymys 9 yli 0"),
        ({"fact": "was.score", "op": "lte", "value": 5}, "WAS-pisteet enintään 5"),
        ({"fact": "age", "op": "lt", "value": 30}, "Ikä alle 30"),
        ({"fact": "auditc.band", "op": "eq", "value": "risk"}, "AUDIT-C-tulos on riskiraja ylittyy"),
        (
            {"fact": "disability_or_illness", "op": "is_false"},
            "Ei tiedossa olevaa vammaa tai pitkäaikaissairautta",
        ),
        (
            {"fact": "benefit", "op": "in", "value": ["labour_market_subsidy", "none"]},
            "Etuus jokin näistä: Työmarkkinatuki, Ei etuutta",
        ),
    ],
)
def test_every_comparison_reads_as_words(condition, finnish):
    with translation.override("fi"):
        assert evidence.condition_text(condition) == finnish


def test_a_rules_conditions_read_as_one_sentence():
    conditions = {
        "match": "all",
        "conditions": [
            {"fact": "unemployed_months", "op": "gte", "value": 12},
            {"fact": "age", "op": "gte", "value": 50},
        ],
    }
    with translation.override("sv"):
        assert evidence.conditions_text(conditions) == "Månader som arbetslös minst 12 och ålder minst 50"
    with translation.override("en"):
        assert evidence.conditions_text({**conditions, "match": "any"}) == (
            "Months unemployed at least 12 or age at least 50"
        )


def test_a_fact_without_a_value_says_it_is_not_known():
    with translation.override("fi"):
        assert evidence.fact_sentence("unemployed_months", None) == "Työttömyyskuukaudet: ei tiedossa"


def test_a_renamed_rule_keeps_the_name_written_in_the_admin():
    with translation.override("fi"):
        assert evidence.rule_name("Oma sääntö") == "Oma sääntö"
        assert evidence.rule_name("Unemployed 24 months or more") == "Työttömänä vähintään 24 kuukautta"
