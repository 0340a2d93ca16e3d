"""Every free text has a limit, refused with both counts in the reader's language, never cut
(polku.core.limits; issue 21 point 5, issue 20's silent losses)."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from polku.core import limits

# Texts that people do not type: written by the system from bounded inputs, or kept encrypted.
SYSTEM_TEXT = {
    ("audit", "auditevent", "reason"),
    ("clients", "client", "identity_code_encrypted"),
    ("intake", "registryperson", "identity_code_encrypted"),
    ("intake", "registryextract", "error"),
    ("intake", "extractproblem", "reason"),
    ("employment", "careerprofile", "place_codes"),  # kept by the services from the profile's places
}


def test_every_text_field_of_the_project_has_a_limit_and_the_validator_that_says_so():
    unbounded = []
    for model in apps.get_models():
        if not model.__module__.startswith("polku."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.TextField):
                continue
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if key in SYSTEM_TEXT:
                continue
            if not field.max_length or not any(
                isinstance(v, limits.TextLengthValidator) for v in field.validators
            ):
                unbounded.append(".".join(key))
    assert unbounded == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Teksti on liian pitkä: 27\xa0600 merkkiä, enintään 20\xa0000."),
        ("sv", "Texten är för lång: 27\xa0600 tecken, högst 20\xa0000."),
        ("en", "The text is too long: 27,600 characters, at most 20,000."),
    ],
)
def test_the_refusal_gives_both_counts_as_the_language_writes_numbers(language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        limits.TextLengthValidator(limits.NOTE)("x" * 27_600)
    assert refused.value.messages == [message]


def test_text_at_the_limit_passes_the_validator():
    limits.TextLengthValidator(limits.NOTE)("x" * limits.NOTE)


def test_a_form_field_refuses_one_character_over_with_the_counts_and_accepts_the_limit():
    class NoteForm(forms.Form):
        note = limits.text_field(limits.GOAL)

    with translation.override("en"):
        over = NoteForm({"note": "x" * (limits.GOAL + 1)})
        assert not over.is_valid()
        assert over.errors["note"] == ["The text is too long: 1,001 characters, at most 1,000."]
    assert NoteForm({"note": "x" * limits.GOAL}).is_valid()


def test_a_textarea_carries_its_maxlength_and_the_counters_words():
    class NoteForm(forms.Form):
        note = limits.text_field(limits.NOTE)

    with translation.override("fi"):
        html = str(NoteForm()["note"])
    assert 'maxlength="20000"' in html
    assert 'data-polku-left="Merkkejä jäljellä: %(count)s"' in html
    assert 'data-polku-over="Liikaa merkkejä: %(count)s"' in html


def test_every_limit_is_listed_with_its_value():
    assert limits.LIMITS["NOTE"] == 20_000
    assert limits.LIMITS["PUBLIC_FEEDBACK"] == 2_000
    assert all(value == getattr(limits, name) for name, value in limits.LIMITS.items())


def test_a_save_of_some_fields_checks_only_those_so_old_long_rows_can_still_change(db):
    from tests.factories import make_service

    service = make_service(name="Pitkä kuvaus")
    type(service).objects.filter(pk=service.pk).update(description_fi="a" * 6_000)  # stored before the limit
    service.refresh_from_db()
    service.is_active = False

    service.save(update_fields=["is_active"])

    service.name_fi = "x" * 201
    with translation.override("en"), pytest.raises(ValidationError, match="201 characters, at most 200"):
        service.save(update_fields=["name_fi"])
