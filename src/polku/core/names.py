"""Names in the reader's language: organisations, units and service providers of bilingual
municipalities have a Swedish name besides the Finnish (official) one; a Swedish page shows the
Swedish name where the data gives it, and the Finnish one otherwise."""

from __future__ import annotations

from django.utils.translation import get_language


def in_reader_language(finnish: str, swedish: str) -> str:
    return swedish if swedish and (get_language() or "")[:2] == "sv" else finnish
