"""A published version never changes; a change is a new version (a draft copied from it, then published)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from polku.instruments import services
from polku.instruments.builtin import load_builtin_instruments
from polku.instruments.models import (
    AnswerOption,
    Band,
    InstrumentVersion,
    Item,
    PublishedVersionError,
    VersionStatus,
)
from tests.conftest import client_as
from tests.instruments.conftest import version


@pytest.mark.django_db
def test_the_five_built_in_instruments_are_there_after_migrate():
    codes = set(
        InstrumentVersion.objects.filter(status="published").values_list("instrument__code", flat=True)
    )

    assert codes == {"was", "phq9", "gad7", "auditc", "polku_fc"}


@pytest.mark.django_db
def test_loading_the_built_ins_again_changes_nothing():
    before = InstrumentVersion.objects.count(), Item.objects.count(), AnswerOption.objects.count()

    assert load_builtin_instruments() == []
    assert (InstrumentVersion.objects.count(), Item.objects.count(), AnswerOption.objects.count()) == before


@pytest.mark.django_db
def test_a_published_version_and_its_rows_refuse_every_change():
    v = version("phq9")
    item = v.items.all()[0]
    option = item.options.all()[0]
    band = Band.objects.filter(version=v).first()

    v.title = {"fi": "Muutettu"}
    with pytest.raises(PublishedVersionError):
        v.save()
    item.required = False
    with pytest.raises(PublishedVersionError):
        item.save()
    option.score = 5
    with pytest.raises(PublishedVersionError):
        option.save()
    with pytest.raises(PublishedVersionError):
        option.delete()
    band.max_score = 3
    with pytest.raises(PublishedVersionError):
        band.save()
    with pytest.raises(PublishedVersionError):
        Band(version=v, code="x", min_score=0, max_score=1).save()
    with pytest.raises(PublishedVersionError):
        v.delete()
    fresh = version("phq9")
    assert fresh.title["fi"].startswith("PHQ-9")
    assert sorted(o.score for o in fresh.items.all()[0].options.all()) == [0, 1, 2, 3]


def test_a_new_draft_is_editable_and_publishing_it_retires_the_old_version(administrator):
    old = version("auditc")
    draft = services.new_draft(version=old, by=administrator)

    Band.objects.filter(version=draft, sex="male", code="low_risk").update(max_score=6)
    Band.objects.filter(version=draft, sex="male", code="risk").update(min_score=7)
    published = services.publish_version(version=draft, by=administrator)

    old.refresh_from_db()
    assert (draft.number, old.status) == (2, VersionStatus.RETIRED)
    assert version("auditc") == draft
    assert (published.max_score, published.status) == (12, VersionStatus.PUBLISHED)
    assert Band.objects.get(version=old, sex="male", code="risk").min_score == 6


def test_a_draft_whose_bands_leave_a_gap_cannot_be_published(administrator):
    draft = services.new_draft(version=version("was"), by=administrator)
    Band.objects.filter(version=draft, code="excellent").delete()

    with translation.override("en"), pytest.raises(ValidationError, match="falls in 0 bands"):
        services.publish_version(version=draft, by=administrator)


def test_only_an_administrator_manages_versions(worker):
    with pytest.raises(PermissionDenied):
        services.new_draft(version=version("was"), by=worker)


def test_the_admin_shows_a_published_version_read_only(administrator):
    v = version("gad7")
    browser = client_as(administrator)

    page = browser.get(f"/admin/instruments/instrumentversion/{v.pk}/change/")
    refused = browser.post(f"/admin/instruments/instrumentversion/{v.pk}/change/", {"number": 9})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    assert version("gad7").number == 1


def test_the_admin_edits_a_draft(administrator):
    draft = services.new_draft(version=version("gad7"), by=administrator)

    page = client_as(administrator).get(f"/admin/instruments/instrumentversion/{draft.pk}/change/")

    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()
