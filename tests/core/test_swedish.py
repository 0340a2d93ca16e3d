"""Finland-Swedish usage: dates as 5.12.2026, the personal worker as the Social Welfare Act names it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext


def test_swedish_pages_write_dates_the_finnish_way_not_iso():
    with translation.override("sv"):
        assert formats.date_format(date(2026, 12, 5), "SHORT_DATE_FORMAT") == "5.12.2026"
        assert formats.date_format(date(2026, 12, 5)) == "5 december 2026"
        moment = datetime(2026, 12, 5, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "5.12.2026 09.30"


def test_swedish_forms_read_dates_typed_the_finnish_way_and_iso():
    from django import forms

    class DateForm(forms.Form):
        on = forms.DateField()

    with translation.override("sv"):
        for typed in ("5.12.2026", "2026-12-05"):
            form = DateForm({"on": typed})
            assert form.is_valid(), typed
            assert form.cleaned_data["on"] == date(2026, 12, 5)


def test_swedish_numbers_use_a_decimal_comma():
    with translation.override("sv"):
        assert formats.number_format(43.8, decimal_pos=1) == "43,8"


def test_the_personal_worker_is_egen_kontaktperson_in_swedish():
    # Socialvårdslagen 42 §: "egen kontaktperson", not "egen kontaktperson".
    with translation.override("sv"):
        assert gettext("Personal worker") == "Egen kontaktperson"
        assert gettext("New personal worker") == "Ny egen kontaktperson"


def test_northern_sami_is_one_of_the_clients_languages():
    from polku.clients.models import Language

    with translation.override("en"):
        assert str(Language("se").label) == "Northern Sámi"
    with translation.override("fi"):
        assert str(Language("se").label) == "pohjoissaame"
    with translation.override("sv"):
        assert str(Language("se").label) == "nordsamiska"
