"""What a worker writes about an acknowledged alert is bounded like every short note: refused one
character over with both counts, accepted at the limit."""

from __future__ import annotations

import pytest
from django.utils import translation

from polku.core import limits
from polku.instruments.forms import AcknowledgeForm
from polku.instruments.models import InstrumentVersion, Item, ItemKind, SafetyAlert
from polku.instruments.scoring import clean_answer


def test_the_acknowledgement_note_is_refused_one_over_its_limit_and_accepted_at_it():
    with translation.override("sv"):
        over = AcknowledgeForm({"note": "a" * 501})
        assert not over.is_valid()
        assert over.errors["note"] == ["Texten är för lång: 501 tecken, högst 500."]
    assert AcknowledgeForm({"note": "a" * 500}).is_valid()


def test_the_instruments_texts_have_their_documented_limits():
    assert SafetyAlert._meta.get_field("acknowledgement_note").max_length == limits.SHORT_NOTE
    assert InstrumentVersion._meta.get_field("licence").max_length == limits.REFERENCE


def test_a_free_text_answer_over_its_limit_is_refused_by_the_service_with_the_counts():
    item = Item(kind=ItemKind.TEXT)
    with translation.override("en"), pytest.raises(ValueError, match="2,001 characters, at most 2,000"):
        clean_answer(item, "a" * 2_001)
    assert clean_answer(item, "a" * 2_000) == "a" * 2_000
