"""Attendance history (ARCHITECTURE.md rule 4): every change of a day's attendance is a history row
(day, before, after, who, when); the placement page shows the corrections of recorded days."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from polku.placements import services
from polku.placements.models import Attendance, AttendanceChange
from tests.conftest import client_as
from tests.placements.conftest import EN, text
from tests.queries import AUDIT_EVENT


def history(placement) -> list[tuple[object, ...]]:
    return list(
        AttendanceChange.objects.filter(placement=placement)
        .order_by("id")
        .values_list("on", "old_status", "new_status", "by")
    )


def test_each_change_of_a_day_is_kept_as_a_history_row(placement, worker, host):
    day = placement.starts_on
    services.record_attendance(placement=placement, by=worker, days={day: "present"})
    services.record_attendance(placement=placement, by=host, days={day: "sick"})
    services.record_attendance(placement=placement, by=worker, days={day: "sick"})  # no change
    services.record_attendance(placement=placement, by=worker, days={day: ""})
    assert history(placement) == [
        (day, "", "present", worker.pk),
        (day, "present", "sick", host.pk),
        (day, "sick", "", worker.pk),
    ]
    assert not Attendance.objects.exists()  # the current state: the day is not recorded
    changes = AttendanceChange.objects.filter(placement=placement).order_by("id")
    assert changes[1].at >= changes[0].at


def test_a_refused_change_writes_no_history(placement, worker, outsider):
    with pytest.raises(Exception):
        services.record_attendance(placement=placement, by=outsider, days={placement.starts_on: "present"})
    with pytest.raises(Exception):
        services.record_attendance(
            placement=placement,
            by=worker,
            days={placement.starts_on: "present", placement.starts_on - timedelta(days=1): "present"},
        )
    assert not AttendanceChange.objects.exists()


def test_the_placement_page_shows_the_corrections_with_who_made_them(placement, worker, host):
    day = placement.starts_on
    url = f"/placements/{placement.public_id}/"
    assert "No recorded day has been changed." in text(client_as(worker).get(url, **EN))
    services.record_attendance(placement=placement, by=worker, days={day: "present"})
    assert "No recorded day has been changed." in text(client_as(worker).get(url, **EN))
    services.record_attendance(placement=placement, by=host, days={day: "absent_no_notice"})
    response = client_as(worker).get(url, **EN)
    rows = response.context["attendance_changes"]
    assert [(row.old_status, row.new_status, row.by) for row in rows] == [
        ("present", "absent_no_notice", host)
    ]
    page = text(response)
    assert "Absent without notice" in page
    assert str(host.user) in page


@pytest.mark.parametrize("changes", [1, 25])
def test_the_placement_page_runs_the_same_queries_with_one_and_many_corrections(
    placement, worker, changes, django_assert_num_queries
):
    statuses = ["present", "sick"]
    for n in range(changes + 1):
        services.record_attendance(
            placement=placement, by=worker, days={placement.starts_on: statuses[n % 2]}
        )
    browser = client_as(worker)
    url = f"/placements/{placement.public_id}/"
    browser.get(url)
    # Session, the user with their active memberships; the placement, the team fact of the rules; the audit event (AUDIT_EVENT, tests/queries.py); the goals, the totals, the latest corrections
    # (at most 20: the one query this change adds), the feedback, the links (the team facts of the rules: one query, clients.access.ClientFacts).
    with django_assert_num_queries(DETAIL_QUERIES):
        response = browser.get(url, **EN)
    assert len(response.context["attendance_changes"]) == min(changes, 20)


DETAIL_QUERIES = 9 + AUDIT_EVENT


def test_the_migration_gives_days_recorded_before_the_history_their_first_recording(placement, worker):
    services.record_attendance(placement=placement, by=worker, days={placement.starts_on: "present"})
    AttendanceChange.objects.all().delete()
    migration = importlib.import_module("polku.placements.migrations.0002_plan_goal_and_attendance_history")
    migration.record_existing_attendance(apps, None)
    assert history(placement) == [(placement.starts_on, "", "present", worker.pk)]
