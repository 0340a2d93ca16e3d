"""Names in the reader's language: organisations, units and service providers of bilingual
municipalities have a Swedish name besides the Finnish (official) one; a Swedish page, export or PDF
shows the Swedish name where the data gives it, and the Finnish one otherwise.

A name written into stored text (a timeline entry's params) keeps both: `both("unit", fi, sv)` stores
`unit` (Finnish) and `unit_sv`, and `in_reader_language_params` picks the reader's one when shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import get_language

SWEDISH_SUFFIX = "_sv"


def in_reader_language(finnish: str, swedish: str) -> str:
    return swedish if swedish and (get_language() or "")[:2] == "sv" else finnish


def both(field: str, finnish: str, swedish: str) -> dict[str, str]:
    """A name for stored params: the Finnish one under `field`, the Swedish one (if any) beside it."""
    return {field: finnish, **({field + SWEDISH_SUFFIX: swedish} if swedish else {})}


def both_of(field: str, label: Callable[[], str]) -> dict[str, str]:
    """`both` for a label composed of names (a placement's host): `label()` read in Finnish and in
    Swedish."""
    with translation.override("fi"):
        finnish = label()
    with translation.override("sv"):
        swedish = label()
    return both(field, finnish, swedish if swedish != finnish else "")


def in_reader_language_params(params: dict[str, Any]) -> dict[str, Any]:
    """Stored params with each name that has a Swedish one beside it (`both`) in the reader's language."""
    shown = dict(params)
    for key, value in params.items():
        if key.endswith(SWEDISH_SUFFIX) and key[: -len(SWEDISH_SUFFIX)] in params:
            base = key[: -len(SWEDISH_SUFFIX)]
            shown[base] = in_reader_language(str(params[base]), str(value or ""))
    return shown
