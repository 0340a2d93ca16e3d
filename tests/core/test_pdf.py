"""Documents as PDF: a real PDF whose text is in the document's language, with the organisation's header
and page numbers, and which fetches nothing from the network."""

import io

import pytest
from pypdf import PdfReader

from polku.core import pdf
from tests.factories import make_membership


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def unit(db):
    return make_membership(role="personal_worker").unit


@pytest.fixture
def template(tmp_path, settings):
    (tmp_path / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% load i18n %}{% block content %}'
        "<h1>{{ heading }}</h1><p>{% translate 'Page' %}</p>{{ body|safe }}{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "doc.html"


def test_a_document_is_a_real_pdf_with_its_text_header_and_page_numbers(unit, template):
    data = pdf.render_pdf(
        template, {"heading": "Tavoitteeni: työkokeilu", "body": ""}, language="fi", unit=unit
    )

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Tavoitteeni: työkokeilu" in text
    assert unit.organisation.name in text
    assert "Sivu 1 / 1" in text


@pytest.mark.parametrize(
    ("language", "word"), [("sv", "Sida"), ("en", "Page"), ("xx", "Sivu"), (None, "Sivu")]
)
def test_a_document_is_printed_in_its_own_language_falling_back_to_finnish(unit, template, language, word):
    text = pdf_text(pdf.render_pdf(template, {"heading": "H", "body": ""}, language=language, unit=unit))

    assert f"{word} 1 / 1" in text


def test_a_link_inside_a_document_is_not_fetched(unit, template, monkeypatch):
    fetched = []
    refuse = pdf.refuse_fetch

    def watched(url):
        fetched.append(url)
        return refuse(url)

    monkeypatch.setattr(pdf, "refuse_fetch", watched)
    body = (
        '<img src="http://127.0.0.1:9/secret.png" alt="x"><link rel="stylesheet" href="file:///etc/passwd">'
    )

    data = pdf.render_pdf(template, {"heading": "H", "body": body}, language="fi", unit=unit)

    assert data.startswith(b"%PDF-")
    assert sorted(fetched) == ["file:///etc/passwd", "http://127.0.0.1:9/secret.png"]
    assert "root:" not in pdf_text(data)
