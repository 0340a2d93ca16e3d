"""Free-text search over a few fields, the same way on every page that has one.

Names are searched as workers type them: regardless of case, accents and the order of the names, with
or without the comma of "Surname, Firstnames". `fold` turns a name into the form a search column keeps
(`clients.Client.search_name`) and a typed term into the words to look for in it, the same way on
SQLite and PostgreSQL (no database collation or extension is needed)."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q

# Letters that Unicode does not decompose into a base letter and a mark (NFKD leaves them whole), as
# written in Sámi, Finnish, Swedish and their neighbours: each is searched as the letter a worker types
# on a Finnish keyboard without it. The letters that do decompose (á, č, š, ž, å, ä, ö, ...) lose their
# marks in `fold`; they are listed too, so that the rule reads in one place.
LETTERS = {
    "đ": "d",
    "ð": "d",
    "ŋ": "n",
    "ŧ": "t",
    "ž": "z",
    "š": "s",
    "č": "c",
    "ʒ": "z",
    "ǯ": "z",
    "ǧ": "g",
    "ǥ": "g",
    "ǩ": "k",
    "å": "a",
    "ä": "a",
    "ö": "o",
    "æ": "ae",
    "ø": "o",
    "œ": "oe",
    "ß": "ss",
    "ł": "l",
    "ı": "i",
    "þ": "th",
}
# What parts names (spaces, the comma of "Surname, Firstnames", hyphens, slashes, full stops) becomes
# one space; apostrophes go (O'Brien, the Skolt Sámi modifier letter apostrophe). Anything else is
# kept and matched literally.
_SEPARATORS = re.compile(r"[\s,;:./\-\u2010-\u2015]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc\u02b9`´]")


def fold(text: str) -> str:
    """Lower case, without accents, the letters above as their plain counterparts, commas, hyphens and
    the like as single spaces and without apostrophes: "Đuđđá-Pelkonen, Kalevi" → "dudda pelkonen
    kalevi"."""
    lowered = "".join(LETTERS.get(char, char) for char in text.casefold())
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(char)
    )
    plain = "".join(LETTERS.get(char, char) for char in plain)
    return " ".join(_SEPARATORS.sub(" ", _APOSTROPHES.sub("", plain)).split())


def every_word(term: str, *fields: str) -> Q:
    """Rows where each word of `term` is found (case-insensitively, anywhere) in at least one of
    `fields`. An empty term matches every row. The fields are of the row or of rows it points to; for
    rows pointed at from many (a reverse relation), chained filters would be needed instead."""
    match = Q()
    for word in term.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        match &= any_field
    return match


def every_folded_word(term: str, field: str) -> Q:
    """Rows whose folded search column `field` (kept as `fold` of the names) holds each word of `term`
    once folded, in any order."""
    return every_word(fold(term), field)
