"""A referral's texts and the catalogue's are bounded: over a limit the form, the service and the
HSDS import refuse with the length, never cut it; at the limit the text is stored."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.network import hsds
from polku.network.forms import ReferralForm
from polku.network.models import Referral, Service
from tests.network.conftest import draft
from tests.network.test_hsds import catalogue, document  # noqa: F401 - the shared catalogue fixture


def referral_form(**data):
    form = ReferralForm({"urgency": "normal", **data}, consents=[], needs=[])
    form.is_valid()
    return form


def test_the_referral_form_refuses_a_reason_one_over_its_limit_and_accepts_the_limit():
    with translation.override("en"):
        assert referral_form(reason="a" * 4_001).errors["reason"] == [
            "The text is too long: 4,001 characters, at most 4,000."
        ]
    assert "reason" not in referral_form(reason="a" * 4_000).errors


def test_the_referral_service_refuses_an_over_long_reason_and_stores_the_limit(case, worker, external):
    with translation.override("en"), pytest.raises(ValidationError, match="4,001 characters, at most 4,000"):
        draft(case, external, worker, reason="a" * 4_001)
    assert not Referral.objects.exists()

    assert len(draft(case, external, worker, reason="a" * 4_000).reason) == 4_000


def test_the_referral_source_is_refused_not_cut(case, worker, external):
    with translation.override("en"), pytest.raises(ValidationError, match="201 characters, at most 200"):
        draft(case, external, worker, source="a" * 201)
    assert not Referral.objects.exists()


def test_an_imported_service_name_or_description_over_its_limit_is_refused_not_cut(catalogue):  # noqa: F811
    bad = copy.deepcopy(document())
    bad[0]["name"] = "a" * 201
    bad[0]["description"] = "b" * 5_001
    result = hsds.import_document(bad)

    assert any("name_fi is 201 characters long; at most 200 are stored" in line for line in result.errors)
    assert any(
        "description_fi is 5001 characters long; at most 5000 are stored" in line for line in result.errors
    )
    assert not Service.objects.filter(name_fi__startswith="aaa").exists()
