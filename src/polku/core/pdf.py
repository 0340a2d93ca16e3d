"""Documents given to clients and partners as PDF (WeasyPrint), rendered from templates that extend
pdf/base.html: the organisation's header, the date printed and page numbers on every page.

A document is rendered in the language it is for (usually the client's), not the worker's. WeasyPrint
may fetch nothing over the network: the templates carry their own styles, and a URL that slipped into
one (say, an image link typed into a note) is refused rather than fetched from the server."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation

PDF_LANGUAGES = ("fi", "sv", "en")


class FetchRefused(ValueError):
    pass


def _no_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class NoFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            return refuse_fetch(url)

    return NoFetcher()


def refuse_fetch(url: str) -> Any:
    raise FetchRefused(f"PDF rendering does not fetch resources ({url[:40]})")


def document_language(language: str | None) -> str:
    """The language a document is printed in: the given one when Polku has it, else Finnish."""
    return language if language in PDF_LANGUAGES else "fi"


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None, unit: Model) -> bytes:
    """The PDF of `template_name` in `language`, headed by `unit`'s organisation and unit (an
    accounts.Unit: pdf/base.html reads its names; core sits below accounts and does not import it)."""
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that other pages need not pay

    lang = document_language(language)
    with translation.override(lang):
        html = render_to_string(
            template_name,
            {**context, "pdf_unit": unit, "pdf_printed_on": timezone.localdate(), "pdf_language": lang},
        )
    return HTML(string=html, url_fetcher=_no_fetcher(), base_url="about:blank").write_pdf()
