"""The assessment's models moved from the plans app to this one in Django's state only (plans 0005,
assessments 0001): a database that held assessments before the move keeps them, read through the new
models, and the content types (with the permissions on them) follow to the new label."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from polku.assessments.models import Assessment, Finding, Recommendation
from polku.plans.models import PlanAction
from tests.clients.conftest import days_ago

BEFORE_THE_MOVE = [("plans", "0004_review_fixes"), ("assessments", None)]


def migrate(targets):
    """Migrate the test database to the targets and return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move(transactional_db):
    """The historical apps as they were before the move; the database is migrated to the latest state
    afterwards whatever the test did."""
    try:
        yield migrate(BEFORE_THE_MOVE)
    finally:
        migrate(latest())


def test_assessment_rows_written_before_the_move_are_read_through_the_new_models(
    before_the_move, case, worker
):
    old = before_the_move
    old_assessment = old.get_model("plans", "Assessment").objects.create(
        case_id=case.pk,
        client_id=case.client_id,
        kind="comprehensive",
        question="Mihin työhön voimat riittävät?",
        started_on=days_ago(20),
        started_by_id=worker.pk,
        conclusion="",
    )
    old_finding = old.get_model("plans", "Finding")
    for domain, register, words in [
        ("social", "social", "Asuu yksin."),
        ("vocational", "employment", "Osaa."),
    ]:
        old_finding.objects.create(
            assessment=old_assessment,
            client_id=case.client_id,
            domain=domain,
            text=words,
            icf_codes=["d845"],
            register=register,
            organisation_id=worker.unit.organisation_id,
            author_id=worker.pk,
        )
    old_recommendation = old.get_model("plans", "Recommendation").objects.create(
        assessment=old_assessment, order=1, text="Työkokeilu"
    )

    migrate(latest())

    assessment = Assessment.objects.get(public_id=old_assessment.public_id)
    assert (assessment.case, assessment.started_by, assessment.question) == (
        case,
        worker,
        "Mihin työhön voimat riittävät?",
    )
    assert [(f.domain, f.text, f.icf_codes) for f in assessment.findings.all()] == [
        ("social", "Asuu yksin.", ["d845"]),
        ("vocational", "Osaa.", ["d845"]),
    ]
    assert Finding.objects.filter(assessment=assessment).count() == 2
    assert Recommendation.objects.get().pk == old_recommendation.pk
    # The plan's link to a recommendation points at the same table under the new label.
    assert PlanAction._meta.get_field("from_recommendation").related_model is Recommendation


def test_the_content_types_and_their_permissions_move_to_the_new_label(transactional_db):
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get_for_model(Assessment)
    permission = Permission.objects.get(content_type=content_type, codename="view_assessment")
    try:
        migrate(BEFORE_THE_MOVE)
        content_type.refresh_from_db()
        assert content_type.app_label == "plans"
    finally:
        migrate(latest())

    content_type.refresh_from_db()
    permission.refresh_from_db()
    assert (content_type.app_label, content_type.model) == ("assessments", "assessment")
    assert permission.content_type_id == content_type.pk
    assert not ContentType.objects.filter(app_label="plans", model="assessment").exists()
