"""The ICF categories used in work ability assessment (data/icf.json), looked up by code.

Findings name ICF codes (b130, d240, e590); only codes in the bundled list are accepted, so that every
code on a summary has a title in the client's language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "icf.json"
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Category:
    code: str
    title_fi: str
    title_en: str
    title_sv: str = ""

    def title(self, language: str | None = None) -> str:
        """The title in the given (else the current) language; Swedish falls back to English."""
        language = (language or get_language() or "fi")[:2]
        if language == "fi":
            return self.title_fi
        if language == "sv":
            return self.title_sv or self.title_en
        return self.title_en

    def __str__(self) -> str:
        return f"{self.code} {self.title()}"


@cache
def categories() -> dict[str, Category]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        row["code"]: Category(row["code"], row["title_fi"], row["title_en"], row.get("title_sv", ""))
        for row in data["categories"]
    }


def lookup(code: str) -> Category | None:
    return categories().get(code.strip().lower())


def parse_codes(value: str) -> list[str]:
    """Codes typed as text (separated by spaces, commas or semicolons), checked against the list, in the
    order typed and without repeats. An unknown code is a ValidationError that names it."""
    codes: list[str] = []
    unknown: list[str] = []
    for word in _SEPARATORS.split(value.strip()):
        if not word:
            continue
        code = word.lower()
        if code not in categories():
            unknown.append(word)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError(
            _("Not in the ICF list of work ability assessment: %(codes)s. Use codes such as b130 or d240.")
            % {"codes": ", ".join(unknown)},
            code="unknown_icf_code",
        )
    return codes


def validate_codes(codes: list[str]) -> None:
    unknown = [code for code in codes if code not in categories()]
    if unknown:
        raise ValidationError(
            {"icf_codes": _("Not in the ICF list: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )


def described(codes: list[str], language: str | None = None) -> list[tuple[str, str]]:
    """(code, title) for each code, in the given language."""
    found = categories()
    return [(code, found[code].title(language) if code in found else "") for code in codes]
