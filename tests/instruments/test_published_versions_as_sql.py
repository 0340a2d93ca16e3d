"""The published versions the portal panel of the client overview reads as SQL
(`selectors.published_versions`) are the ORM's, field for field and object for object, on SQLite and
PostgreSQL alike: one a instrument, by the instrument's code, neither a draft nor a retired version."""

from __future__ import annotations

import pytest

from polku.instruments import selectors, services
from polku.instruments.models import InstrumentVersion, VersionStatus
from tests.instruments.conftest import version
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def orm_versions() -> list[InstrumentVersion]:
    """The read as the ORM made it before."""
    return list(
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("instrument")
        .order_by("instrument__code")
    )


def test_the_published_versions_are_the_orms(administrator):
    old = version("auditc")
    services.publish_version(version=services.new_draft(version=old, by=administrator), by=administrator)
    draft = services.new_draft(version=version("phq9"), by=administrator)

    built, read = selectors.published_versions(), orm_versions()
    assert [v.instrument.code for v in built] == ["auditc", "gad7", "phq9", "polku_fc", "was"]
    assert [v.pk for v in built] == [v.pk for v in read]
    assert old.pk not in {v.pk for v in built} and draft.pk not in {v.pk for v in built}
    for ours, theirs in zip(built, read, strict=True):
        same(ours, theirs)
        same(ours.instrument, theirs.instrument)
        assert ours.title_text() == theirs.title_text()  # the JSON title decoded alike
