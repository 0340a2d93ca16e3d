"""Personal identity codes (henkilötunnus): validation, what a code tells, encryption and lookup.

A code is checked with python-stdnum, which knows the century signs added in 2023 (Y, X, W, V, U for
the 1900s and B to F for the 2000s). Our own parsing only turns its verdicts into messages a worker can
act on and reads the birth date and sex out of a valid code.

Codes are stored encrypted with MultiFernet (settings.IDENTITY_CODE_KEYS; the first key encrypts, all
decrypt) and found through an HMAC-SHA256 of the code (settings.IDENTITY_LOOKUP_KEY), so the database
never holds a code in the clear and equality search still works.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.fi import hetu

from polku.audit.redaction import IDENTITY_CODE

# Codes are encrypted with the keys shared with two-factor secrets (core.encryption).
from polku.core.encryption import decrypt as decrypt
from polku.core.encryption import encrypt as encrypt
from polku.core.encryption import encrypt_all as encrypt_all
from polku.core.encryption import rotate as rotate

_CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}
_CENTURIES.update(dict.fromkeys("ABCDEF", 2000))
_SHAPE = re.compile(r"^(\d{2})(\d{2})(\d{2})(.)(\d{3})([0-9A-Z])$")


class Sex:
    FEMALE = "female"
    MALE = "male"


@dataclass(frozen=True)
class IdentityCode:
    code: str
    birth_date: date
    sex: str

    @property
    def masked(self) -> str:
        return mask(self.code)


def normalise(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def parse(value: str) -> IdentityCode:
    """The code with its birth date and sex, or a ValidationError saying exactly what is wrong."""
    code = normalise(value)
    match = _SHAPE.match(code)
    if not match:
        raise ValidationError(
            _(
                "An identity code has 11 characters: birth date, century sign, three digits and a check "
                "character, for example 131052-308T."
            ),
            code="identity_code_format",
        )
    day, month, year, sign, individual, _check = match.groups()
    if sign not in _CENTURIES:
        raise ValidationError(
            _("“%(sign)s” is not a century sign. Use + (1800s), - or Y, X, W, V, U (1900s), or A–F (2000s)."),
            params={"sign": sign},
            code="identity_code_century",
        )
    try:
        birth_date = date(_CENTURIES[sign] + int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("The identity code begins with %(value)s, which is not a date (day, month, year)."),
            params={"value": f"{day}{month}{year}"},
            code="identity_code_date",
        ) from None
    if birth_date > timezone.localdate():
        raise ValidationError(
            _("The birth date in the identity code is in the future: check the century sign."),
            code="identity_code_future",
        )
    if int(individual) >= 900:
        raise ValidationError(
            _(
                "This is a temporary identity code (individual number 900–999); enter the person's "
                "permanent identity code."
            ),
            code="identity_code_temporary",
        )
    if int(individual) < 2:
        raise ValidationError(
            _("The individual number of an identity code is between 002 and 899."),
            code="identity_code_individual",
        )
    try:
        hetu.validate(code)
    except hetu.InvalidChecksum:
        raise ValidationError(
            _(
                "The check character does not match the rest of the identity code: check it for typing "
                "errors."
            ),
            code="identity_code_checksum",
        ) from None
    except hetu.ValidationError:  # anything stdnum rejects that the checks above did not name
        raise ValidationError(_("This is not a valid identity code."), code="identity_code_invalid") from None
    sex = Sex.MALE if int(individual) % 2 else Sex.FEMALE
    return IdentityCode(code=code, birth_date=birth_date, sex=sex)


def mask(code: str) -> str:
    """The birth date and century sign, the rest hidden: 131052-****."""
    return f"{code[:7]}****" if len(code) == 11 else "***********"


def lookup_hash(code: str) -> str:
    return hmac.new(
        settings.IDENTITY_LOOKUP_KEY.encode(), normalise(code).encode(), hashlib.sha256
    ).hexdigest()


def name_search_term(raw: str) -> tuple[str, bool]:
    """A typed name search made safe to search for and to show again: without NUL characters (which
    PostgreSQL refuses), spaces collapsed, at most 100 characters. The flag says the text held an
    identity code, in which case the term is empty: a code is never searched for as part of a name,
    and never shown back in a page or an address."""
    term = " ".join(raw.replace("\x00", "").split())[:100]
    if IDENTITY_CODE.search(term):
        return "", True
    return term, False


def looks_like_identity_code(value: str) -> bool:
    """Whether a search term is meant as an identity code (so it is matched exactly, never partly)."""
    return bool(_SHAPE.match(normalise(value)))
