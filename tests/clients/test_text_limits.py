"""A contact note is bounded: over its limit it is refused with both counts, at the limit it is stored,
a direct service call is refused too, and a long note folds in the timeline."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.clients import services
from polku.clients.models import Contact
from polku.core import limits
from tests.clients.conftest import EN, stored_state, text, today
from tests.conftest import client_as

FI = {"HTTP_ACCEPT_LANGUAGE": "fi"}


def contact(note: str) -> dict[str, str]:
    return {"kind": "phone", "happened_on": today().isoformat(), "register": "social", "note": note}


def test_a_27600_character_contact_note_is_refused_with_the_counts_and_nothing_is_stored(world):
    before = stored_state()

    response = client_as(world.worker).post(world.url("record_contact"), contact("a" * 27_600), **FI)

    assert response.status_code == 400
    assert "Teksti on liian pitkä: 27\xa0600 merkkiä, enintään 20\xa0000." in html.unescape(
        response.content.decode()
    )
    assert stored_state() == before
    assert not Contact.objects.exists()


def test_a_contact_note_one_over_the_limit_is_refused_in_english_too(world):
    response = client_as(world.worker).post(world.url("record_contact"), contact("a" * 20_001), **EN)

    assert response.status_code == 400
    assert "The text is too long: 20,001 characters, at most 20,000." in text(response)
    assert not Contact.objects.exists()


def test_a_contact_note_at_the_limit_is_stored_whole(world):
    response = client_as(world.worker).post(world.url("record_contact"), contact("a" * 20_000), **EN)

    assert response.status_code == 302
    assert len(Contact.objects.get().note) == 20_000


def test_the_contact_service_refuses_an_over_long_note_when_called_directly(world):
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="20,001 characters, at most 20,000"),
    ):
        services.record_contact(
            case=world.case,
            by=world.worker,
            kind="phone",
            happened_on=today(),
            note="a" * 20_001,
            register="social",
        )
    assert not Contact.objects.exists()


def test_any_save_of_an_over_long_text_is_refused_even_past_the_services(world):
    world.case.next_step = "x" * 201

    with translation.override("en"), pytest.raises(ValidationError, match="201 characters, at most 200"):
        world.case.save(update_fields=["next_step"])


def test_the_contact_form_gives_the_note_its_maxlength(world):
    response = client_as(world.worker).get(world.url("record_contact"), **EN)

    assert 'maxlength="20000"' in response.content.decode()


def test_a_long_note_folds_in_the_timeline_and_the_whole_note_stays_on_the_page(world):
    beginning = "Alku " * 100
    rest = "loppu " * 400 + "VIIMEINEN"
    client_as(world.worker).post(world.url("record_contact"), contact(beginning + rest), **EN)

    page = text(client_as(world.worker).get(world.url("detail"), **EN))

    assert '<details class="polku-timeline__more"><summary>Show all (' in page
    assert "VIIMEINEN" in page.split('<details class="polku-timeline__more">')[1]
    assert "VIIMEINEN" not in page.split('<details class="polku-timeline__more">')[0]


def test_a_short_note_is_shown_whole_without_folding(world):
    client_as(world.worker).post(world.url("record_contact"), contact("Lyhyt muistiinpano."), **EN)

    page = text(client_as(world.worker).get(world.url("detail"), **EN))

    assert "Lyhyt muistiinpano." in page
    assert "polku-timeline__more" not in page


def test_the_limits_of_the_clients_texts_are_the_documented_ones():
    assert Contact._meta.get_field("note").max_length == limits.NOTE
