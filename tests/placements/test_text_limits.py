"""The placement's texts are bounded; the host's public feedback form, reached by an emailed link, has
the tightest limit: over it the answer is refused with both counts and the link stays usable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from polku.core import limits
from polku.placements import services
from polku.placements.models import Feedback, FeedbackRequest, Placement
from tests.conftest import client_as
from tests.placements.conftest import EN, text
from tests.placements.test_feedback_link import ANSWERS, open_link, send_link


@pytest.fixture
def token(placement, worker) -> str:
    return send_link(placement, worker)


@pytest.mark.parametrize("field", ["strengths", "to_develop", "recommendation_note"])
def test_public_feedback_one_over_its_limit_is_refused_and_the_link_still_works(placement, token, field):
    browser = Client()
    open_link(browser, token)

    response = browser.post("/feedback/form/", {**ANSWERS, field: "a" * 2_001}, **EN)

    assert response.status_code == 400
    assert "The text is too long: 2,001 characters, at most 2,000." in text(response)
    assert not Feedback.objects.exists()
    assert FeedbackRequest.objects.get().used_at is None


def test_public_feedback_at_its_limit_is_stored(placement, token):
    browser = Client()
    open_link(browser, token)

    response = browser.post("/feedback/form/", {**ANSWERS, "strengths": "a" * 2_000}, **EN)

    assert response.status_code == 302
    assert len(Feedback.objects.get().strengths) == 2_000


def test_the_public_form_has_the_tightest_limit_of_the_long_texts():
    assert Feedback._meta.get_field("strengths").max_length == limits.PUBLIC_FEEDBACK
    assert min(limits.REASON, limits.SUMMARY, limits.NOTE) >= limits.PUBLIC_FEEDBACK


def test_the_feedback_service_refuses_over_long_text_when_called_directly(placement, token):
    request = FeedbackRequest.objects.get()
    with translation.override("en"), pytest.raises(ValidationError, match="2,001 characters, at most 2,000"):
        services.submit_feedback(
            request=request,
            ratings={},
            recommendation="more_demanding",
            given_by="Pekka Ohjaaja",
            strengths="a" * 2_001,
        )
    assert not Feedback.objects.exists()


def test_placement_tasks_over_their_limit_are_refused_by_the_edit_form(placement, worker):
    before = placement.tasks
    page = client_as(worker).get(f"/placements/{placement.public_id}/edit/", **EN)
    assert page.status_code == 200
    assert 'maxlength="5000"' in page.content.decode()

    response = client_as(worker).post(
        f"/placements/{placement.public_id}/edit/",
        {**page.context["form"].initial, "tasks": "a" * 5_001},
        **EN,
    )

    assert response.status_code == 400
    assert "The text is too long: 5,001 characters, at most 5,000." in text(response)
    assert Placement.objects.get(pk=placement.pk).tasks == before


def test_placement_tasks_saved_past_the_form_are_refused(placement):
    placement.tasks = "a" * 5_001
    with translation.override("en"), pytest.raises(ValidationError, match="5,001 characters, at most 5,000"):
        placement.save()
