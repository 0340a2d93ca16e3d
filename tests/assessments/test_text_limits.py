"""The assessment's texts are bounded: findings and the summary at 20,000 characters, each
recommendation at 1,000 (it may become an action of the plan); over a limit the form and the
services refuse with both counts, at the limit the text is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.assessments.forms import ConcludeAssessmentForm, FindingForm
from polku.assessments.models import Finding
from tests.assessments.conftest import finding


def test_the_finding_form_refuses_one_character_over_and_accepts_the_limit():
    with translation.override("en"):
        over = FindingForm(
            {"domain": "somatic", "text": "a" * 20_001}, domains=["somatic"], responses=[], feedback=[]
        )
        assert not over.is_valid()
        assert over.errors["text"] == ["The text is too long: 20,001 characters, at most 20,000."]
    at = FindingForm(
        {"domain": "somatic", "text": "a" * 20_000}, domains=["somatic"], responses=[], feedback=[]
    )
    assert at.is_valid(), at.errors


def test_a_finding_at_the_limit_is_stored_and_one_over_is_refused_by_the_service(assessment, worker):
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="20,001 characters, at most 20,000"),
    ):
        finding(assessment, worker, domain="social", text="a" * 20_001)
    assert not Finding.objects.exists()

    assert len(finding(assessment, worker, domain="social", text="a" * 20_000).text) == 20_000


def test_a_recommendation_line_over_its_limit_is_refused_by_the_conclusion_form():
    data = {
        "conclusion": "supported_employment",
        "summary": "Yhteenveto.",
        "recommendations": "Lyhyt suositus\n" + "a" * 1_001,
        "concluded_on": "2026-01-01",
        "confirm": "on",
    }
    with translation.override("en"):
        form = ConcludeAssessmentForm(data)
        assert not form.is_valid()
        assert form.errors["recommendations"] == ["The text is too long: 1,001 characters, at most 1,000."]
