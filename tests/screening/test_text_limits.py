"""A support need's reason and note are bounded: over the limit the form and the service refuse with
both counts and the need stays open; at the limit the reason is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.screening import services
from polku.screening.forms import DismissNeedForm
from polku.screening.models import NeedStatus, SupportNeed


def test_the_dismissal_form_refuses_a_reason_one_over_its_limit_and_accepts_the_limit():
    with translation.override("en"):
        over = DismissNeedForm({"reason": "a" * 2_001})
        assert not over.is_valid()
        assert over.errors["reason"] == ["The text is too long: 2,001 characters, at most 2,000."]
    assert DismissNeedForm({"reason": "a" * 2_000}).is_valid()


def test_the_service_refuses_an_over_long_reason_and_the_need_stays_open(worker, phq9_need):
    with translation.override("en"), pytest.raises(ValidationError, match="2,001 characters, at most 2,000"):
        services.dismiss_need(need=phq9_need, by=worker, reason="a" * 2_001)
    assert SupportNeed.objects.get(pk=phq9_need.pk).status == NeedStatus.OPEN

    need = services.dismiss_need(need=phq9_need, by=worker, reason="a" * 2_000)
    assert len(need.dismissal_reason) == 2_000
