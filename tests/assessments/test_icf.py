"""The bundled ICF list of work ability assessment and the checking of typed codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.assessments import icf


def test_the_list_has_the_categories_of_work_ability_assessment_with_titles():
    found = icf.categories()

    assert len(found) >= 60
    for code in ("b117", "b130", "b140", "b144", "b152", "b164", "b280", "b455", "b710", "b730"):
        assert code in found
    for code in ("d210", "d220", "d230", "d240", "d410", "d450", "d710", "d825", "d830", "d845", "d850"):
        assert code in found
    for code in ("e310", "e355", "e570", "e590"):
        assert code in found
    assert all(c.title_fi and c.title_en for c in found.values())


def test_a_title_is_in_the_current_language():
    category = icf.lookup("d240")
    assert category is not None
    with translation.override("fi"):
        assert category.title() == "Stressin ja muiden psyykkisten vaatimusten käsitteleminen"
    with translation.override("en"):
        assert category.title() == "Handling stress and other psychological demands"
    assert category.title("sv").startswith("Att hantera stress")


def test_typed_codes_are_read_in_order_without_repeats():
    assert icf.parse_codes("B130, d240;d240  e590") == ["b130", "d240", "e590"]
    assert icf.parse_codes("  ") == []


def test_an_unknown_code_is_named_in_the_error():
    with translation.override("en"), pytest.raises(ValidationError, match="b999"):
        icf.parse_codes("b130 b999")
