"""The worklist's "not relevant" reason is bounded like every reason: refused over 2,000 characters with
both counts, accepted at the limit."""

from __future__ import annotations

from django.utils import translation

from polku.intake.forms import NotRelevantForm


def test_the_not_relevant_form_refuses_one_character_over_and_accepts_the_limit():
    with translation.override("fi"):
        over = NotRelevantForm({"reason": "a" * 2_001})
        assert not over.is_valid()
        assert over.errors["reason"] == ["Teksti on liian pitkä: 2\xa0001 merkkiä, enintään 2\xa0000."]
    assert NotRelevantForm({"reason": "a" * 2_000}).is_valid()
