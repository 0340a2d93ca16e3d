"""`folded_text`: a short note whole, a long one folded after its beginning with the rest one click
away, line breaks and escaping kept."""

from __future__ import annotations

from django.utils import translation

from polku.core.templatetags.polku_text import folded_text


def test_a_note_of_up_to_700_characters_is_shown_whole():
    assert "<details" not in folded_text("a" * 700)


def test_a_long_note_folds_at_a_space_and_keeps_every_character():
    note = ("sana " * 200) + "<b>loppu</b>"
    with translation.override("en"):
        html = folded_text(note)
    head, rest = html.split("<details")
    assert "Show all (1,012 characters)" in rest
    assert head.count("sana") < 130
    assert (head + rest).count("sana") == 200
    assert "&lt;b&gt;loppu&lt;/b&gt;" in rest


def test_line_breaks_are_kept_in_both_parts():
    html = folded_text("rivi\n" * 300)
    assert "<br>" in html.split("<details")[0]
    assert "<br>" in html.split("<details")[1]
