"""One word for one thing: each language names a concept (plan actions, the personal worker, a referral,
a placement, an assessment, a case, the service plan) with one word, in every message of the catalogue.
The words that were used beside the chosen one are refused here, wherever they appear."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

LOCALE = Path(__file__).resolve().parents[2] / "src" / "polku" / "locale"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "polku"

# language -> (concept, the word used, a pattern of the other words once used for it)
SYNONYMS: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {
    "fi": [
        ("plan actions", "toimenpide", re.compile(r"\btoiminno(t|ista|issa)\b", re.I)),
        ("referral", "ohjaus", re.compile(r"\blähet(e|teen|teet|teitä|tettä|teissä|teeseen)\b", re.I)),
        ("service plan", "asiakassuunnitelma", re.compile(r"palvelusuunnitelm", re.I)),
        ("assessment", "arviointi", re.compile(r"lääketieteellinen arvio\b", re.I)),
        ("personal worker", "omatyöntekijä", re.compile(r"\b(vastuutyöntekijä|oma työntekijä)", re.I)),
        ("case", "asiakkuus", re.compile(r"\btapau(s|ksen|kset)\b", re.I)),
    ],
    "sv": [
        ("referral", "remiss", re.compile(r"\bhänvis(ning|ningen|ats)\b", re.I)),
        ("service plan", "klientplan", re.compile(r"serviceplan", re.I)),
        ("personal worker", "egen kontaktperson", re.compile(r"\barbetstagar", re.I)),
        ("rating (not assessment)", "vitsord", re.compile(r"en bedömning hänvisar", re.I)),
        ("case", "klientskap", re.compile(r"\bärende(t|n)?\b", re.I)),
    ],
}


def translations(language: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of the language's catalogue, plural forms included."""
    entries: list[tuple[str, str]] = []
    msgid, key, strings = "", "", {}
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for line in [*text.splitlines(), ""]:
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
        if match:
            key = match.group(1)
            if key == "msgid" and strings:
                entries += [(msgid, value) for value in strings.values()]
                strings = {}
            if key == "msgid":
                msgid = ast.literal_eval(match.group(2))
            elif key.startswith("msgstr"):
                strings[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            if key == "msgid":
                msgid += ast.literal_eval(line)
            elif key.startswith("msgstr"):
                strings[key] += ast.literal_eval(line)
    entries += [(msgid, value) for value in strings.values()]
    return entries


@pytest.mark.parametrize("language", sorted(SYNONYMS))
def test_each_concept_has_one_word_in_every_message(language):
    found = [
        f"{concept} is “{word}”: {msgid!r} → {msgstr!r}"
        for msgid, msgstr in translations(language)
        for concept, word, other in SYNONYMS[language]
        if other.search(msgstr)
    ]
    assert found == []


def test_the_heading_of_plan_actions_uses_the_word_of_the_actions_themselves():
    # "Toiminnot" (the heading) beside "Lisää toimenpide" (its button) read as two things.
    with translation.override("fi"):
        assert gettext("Actions") == "Toimenpiteet"
        assert gettext("Add an action") == "Lisää toimenpide"
    with translation.override("sv"):
        assert gettext("Actions") == "Åtgärder"
        assert gettext("Add an action") == "Lägg till en åtgärd"


def test_a_referral_is_an_ohjaus_on_its_pages_and_in_the_access_report():
    with translation.override("fi"):
        assert gettext("Referrals") == "Ohjaukset"
        assert gettext("Sent a referral") == "Lähetti ohjauksen"
        assert pgettext("referral action", "Withdraw") == "Peru ohjaus"
    with translation.override("sv"):
        assert gettext("Referral from another service") == "Remiss från en annan tjänst"


def test_templates_hold_no_untranslated_synonyms():
    # Words typed into templates outside {% translate %} would escape the catalogue check above.
    pattern = re.compile(r"\b(key worker|case worker|work placement host)\b", re.I)
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if pattern.search(re.sub(r"{%.*?%}", "", path.read_text(encoding="utf-8"), flags=re.S))
    ]
    assert found == []
