"""Importing a registry extract: formats, screening, idempotence and the history of facts."""

from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.intake.models import ExtractStatus, RegistryFactsHistory, RegistryPerson
from polku.screening.models import ScreeningRule
from tests.factories import synthetic_identity_code
from tests.intake.conftest import ENGLISH, FINNISH, extract_csv, extract_on, person, registry_state, run


def test_a_valid_extract_is_imported_and_screened(unit):
    rows = [person(n) for n in range(1, 41)]
    extract = run(unit, extract_csv(rows))
    assert extract.status == ExtractStatus.DONE, list(extract.problems.values_list("line", "reason"))
    assert (extract.rows_total, extract.new_people, extract.changed_people) == (40, 40, 0)
    assert RegistryPerson.objects.filter(unit=unit).count() == 40
    first = RegistryPerson.objects.get(identity_code_hash=identity.lookup_hash(rows[0]["henkilotunnus"]))
    assert identity.decrypt(first.identity_code_encrypted) == rows[0]["henkilotunnus"]
    assert first.identity_code_masked == identity.mask(rows[0]["henkilotunnus"])
    assert first.facts_on == extract_on() and first.benefit == "basic_allowance"
    assert extract.flagged_people == RegistryPerson.objects.filter(priority__isnull=False).count() > 0
    assert extract.extract_date == extract_on()


def test_flags_name_the_rule_and_the_facts_it_read(unit):
    on = extract_on()
    row = person(
        3,
        henkilotunnus=synthetic_identity_code(3, birth_date=date(1960, 1, 1)),
        tyoton_alkaen=date(on.year - 3, on.month, 1).isoformat(),
        vamma_tai_sairaus="ei",
    )
    run(unit, extract_csv([row]))
    flagged = RegistryPerson.objects.get()
    codes = {ScreeningRule.objects.get(pk=flag["rule"]).code: flag["facts"] for flag in flagged.flags}
    assert set(codes) == {"unemployed-12-age-50", "unemployed-24"}
    assert codes["unemployed-24"]["unemployed_months"] >= 24
    assert codes["unemployed-12-age-50"]["age"] >= 60
    assert flagged.priority == 2


def test_importing_the_same_file_twice_changes_nothing_the_second_time(unit):
    data = extract_csv([person(n) for n in range(1, 31)])
    run(unit, data)
    before = list(
        RegistryPerson.objects.order_by("id").values_list("id", "updated_at", "flags", "facts_digest")
    )
    second = run(unit, data)
    assert (second.new_people, second.changed_people, second.unchanged_people) == (0, 0, 30)
    assert (
        list(RegistryPerson.objects.order_by("id").values_list("id", "updated_at", "flags", "facts_digest"))
        == before
    )
    assert RegistryFactsHistory.objects.count() == 0


def test_a_newer_extract_updates_the_facts_and_keeps_the_old_ones_as_history(unit):
    rows = [person(n) for n in range(1, 11)]
    run(unit, extract_csv(rows))
    newer = extract_on() + timedelta(days=2)
    changed = dict(rows[0], etuus="ei", tyoton_alkaen="", poiminta_pvm=newer.isoformat())
    same = [dict(row, poiminta_pvm=newer.isoformat()) for row in rows[1:]]
    extract = run(unit, extract_csv([changed, *same]))
    assert (extract.new_people, extract.changed_people) == (0, 1)
    person_row = RegistryPerson.objects.get(identity_code_hash=identity.lookup_hash(rows[0]["henkilotunnus"]))
    assert (person_row.benefit, person_row.unemployed_since, person_row.facts_on) == ("none", None, newer)
    [old] = person_row.history.all()
    assert (old.benefit, old.facts_on, old.replaced_by) == ("basic_allowance", extract_on(), extract)


def test_an_older_extract_does_not_overwrite_newer_facts(unit):
    row = person(4)
    run(unit, extract_csv([row]))
    older = dict(row, etuus="ei", poiminta_pvm=(extract_on() - timedelta(days=30)).isoformat())
    run(unit, extract_csv([older]))
    assert RegistryPerson.objects.get().benefit == "labour_market_subsidy"
    assert RegistryPerson.objects.get().facts_on == extract_on()


def test_each_unit_has_its_own_people(unit, outsider):
    data = extract_csv([person(1)])
    run(unit, data)
    run(outsider.unit, data)
    assert RegistryPerson.objects.count() == 2


@pytest.mark.parametrize(
    ("english", "delimiter", "bom", "date_style"),
    [
        (False, ",", False, "iso"),
        (True, ",", False, "iso"),
        (False, ";", True, "finnish"),
        (True, ";", True, "finnish"),
    ],
)
def test_finnish_or_english_headers_comma_or_semicolon_bom_and_both_date_styles(
    unit, english, delimiter, bom, date_style
):
    def style(value: str) -> str:
        if date_style == "iso" or not value:
            return value
        d = date.fromisoformat(value)
        return f"{d.day}.{d.month}.{d.year}"

    rows = [
        {**row, "tyoton_alkaen": style(row["tyoton_alkaen"]), "poiminta_pvm": style(row["poiminta_pvm"])}
        for row in (
            person(
                n,
                etuus="labour_market_subsidy" if english else "tyomarkkinatuki",
                vamma_tai_sairaus="yes" if english else "kyllä",
            )
            for n in range(1, 6)
        )
    ]
    extract = run(unit, extract_csv(rows, english=english, delimiter=delimiter, bom=bom))
    assert extract.status == ExtractStatus.DONE, list(
        extract.problems.values_list("line", "column", "reason")
    )
    assert RegistryPerson.objects.filter(disability_or_illness=True).count() == 5


def test_an_xlsx_workbook_with_the_same_headers_is_accepted(unit, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ENGLISH)
    for n in range(1, 4):
        row = person(n)
        values = [row[name] for name in FINNISH]
        values[-1] = extract_on()  # a real date cell
        sheet.append(values)
    path = tmp_path / "extract.xlsx"
    workbook.save(path)
    extract = run(unit, path.read_bytes())
    assert extract.status == ExtractStatus.DONE, list(
        extract.problems.values_list("line", "column", "reason")
    )
    assert RegistryPerson.objects.count() == 3


def test_the_identity_code_is_nowhere_in_clear_text(unit, caplog):
    rows = [person(n) for n in range(1, 4)]
    bad = dict(person(9), poiminta_pvm="31.2.2024")
    run(unit, extract_csv([*rows, bad, rows[0]]))
    run(unit, extract_csv(rows))
    stored = "".join(str(v) for v in RegistryPerson.objects.values_list()) + "".join(
        str(v) for v in AuditEvent.objects.values_list()
    )
    from polku.intake.models import ExtractProblem

    stored += "".join(str(v) for v in ExtractProblem.objects.values_list())
    for row in [*rows, bad]:
        assert row["henkilotunnus"] not in stored
        assert row["henkilotunnus"] not in caplog.text
    assert registry_state()["people"]
