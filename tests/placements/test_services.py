from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from polku.clients.models import TimelineEntry
from polku.placements import selectors, services
from polku.placements.models import Placement, PlacementGoal
from tests.factories import make_placement
from tests.placements.conftest import days_ago, events, today


def test_a_placement_is_a_record_of_the_case_organisations_register(placement, case, worker):
    assert placement.organisation == case.unit.organisation
    assert placement.register == "employment"
    assert placement.client == case.client
    assert [goal.text for goal in placement.goals.all()] == [
        "Jaksaa neljän tunnin päivät",
        "Oppii kassan käytön",
    ]
    assert events("placement.create", case.client)
    assert TimelineEntry.objects.filter(client=case.client, kind="placement.created").exists()


def test_rehabilitative_work_activity_is_social_welfare(case, worker):
    placement = make_placement(case=case, by=worker, kind="rehabilitative_work")
    assert placement.register == "social"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": days_ago(40)}, "ends_on", "The end date must be on or after the start date."),
        ({"days_per_week": 6}, "days_per_week", "Choose from 1 to 5 days a week."),
        ({"hours_per_day": Decimal(3)}, "hours_per_day", "Choose from 4 to 8 hours a day."),
        ({"hours_per_day": Decimal("4.3")}, "hours_per_day", "whole or half hours"),
        ({"host_name": ""}, "host_name", "Choose the host unit in Polku"),
    ],
)
def test_invalid_placements_are_refused_and_nothing_is_stored(case, worker, changes, field, message):
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            make_placement(case=case, by=worker, **changes)
        # The messages are lazy: read them while English is on.
        assert message in " ".join(refused.value.message_dict[field])
    assert not Placement.objects.exists()


def test_only_the_case_team_of_the_owning_organisation_creates_placements(case, outsider, colleague):
    with pytest.raises(Http404):
        make_placement(case=case, by=outsider)
    with pytest.raises(Http404):
        make_placement(case=case, by=colleague)  # same unit, not on the team
    assert not Placement.objects.exists()


def test_editing_goals_keeps_the_rows_of_goals_kept_in_place(placement, worker):
    first = placement.goals.get(order=0)
    services.update_placement(placement=placement, by=worker, goals=["Jaksaa neljän tunnin päivät", "Uusi"])
    goals = list(placement.goals.all())
    assert [goal.text for goal in goals] == ["Jaksaa neljän tunnin päivät", "Uusi"]
    assert goals[0].pk == first.pk
    services.update_placement(placement=placement, by=worker, goals=[])
    assert not PlacementGoal.objects.exists()


def test_attendance_totals_count_each_kind_and_the_percentage_of_recorded_days(placement, worker):
    start = placement.starts_on
    statuses = ["present"] * 6 + ["absent_notice", "absent_no_notice", "sick", "sick"]
    services.record_attendance(
        placement=placement, by=worker, days={start + timedelta(days=i): s for i, s in enumerate(statuses)}
    )
    totals = selectors.attendance_totals(placement)
    assert (totals.present, totals.absent_with_notice, totals.absent_without_notice, totals.sick) == (
        6,
        1,
        1,
        2,
    )
    assert totals.recorded == 10
    assert totals.absent == 4
    assert totals.percentage == 60


def test_attendance_can_be_changed_and_cleared(placement, worker):
    day = placement.starts_on
    assert services.record_attendance(placement=placement, by=worker, days={day: "sick"}) == 1
    assert services.record_attendance(placement=placement, by=worker, days={day: "present"}) == 1
    assert services.record_attendance(placement=placement, by=worker, days={day: "present"}) == 0
    assert selectors.attendance_totals(placement).present == 1
    services.record_attendance(placement=placement, by=worker, days={day: ""})
    assert selectors.attendance_totals(placement).percentage is None
    assert len(events("placement.attendance", placement.client)) == 3


def test_no_attendance_outside_the_placement_or_in_the_future(placement, worker):
    with pytest.raises(ValidationError):
        services.record_attendance(
            placement=placement, by=worker, days={placement.starts_on - timedelta(days=1): "present"}
        )
    with pytest.raises(ValidationError):
        services.record_attendance(
            placement=placement, by=worker, days={today() + timedelta(days=1): "present"}
        )
    assert not placement.attendance.exists()


def test_the_host_records_attendance_of_their_units_placement_only(placement, host, other_host):
    services.record_attendance(placement=placement, by=host, days={placement.starts_on: "present"})
    with pytest.raises(Http404):
        services.record_attendance(placement=placement, by=other_host, days={placement.starts_on: "sick"})
    assert list(placement.attendance.values_list("status", flat=True)) == ["present"]


def test_interruption_needs_a_reason_and_a_date_within_the_placement(placement, worker):
    with pytest.raises(ValidationError) as refused:
        services.interrupt_placement(placement=placement, by=worker, on=today(), reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.interrupt_placement(
            placement=placement, by=worker, on=placement.ends_on + timedelta(days=1), reason="x"
        )
    services.interrupt_placement(placement=placement, by=worker, on=today(), reason="Selkä kipeytyi.")
    placement.refresh_from_db()
    assert placement.status == "interrupted"
    assert placement.interruption_reason == "Selkä kipeytyi."
    with pytest.raises(ValidationError):
        services.interrupt_placement(placement=placement, by=worker, on=today(), reason="Uudestaan")


def test_totals_count_only_the_days_within_the_placement(placement, worker):
    """Days recorded before the fix outside the placement (after its interruption) are not counted, in the
    totals of the page nor in those of the export."""
    from polku.placements.models import Attendance

    services.record_attendance(
        placement=placement, by=worker, days={days_ago(n): "present" for n in (3, 2, 1)}
    )
    services.interrupt_placement(placement=placement, by=worker, on=days_ago(1), reason="Sairastui.")
    # A day written past the interruption (as the earlier code allowed): kept, but not counted.
    Attendance.objects.create(placement=placement, on=today(), status="sick", recorded_by=worker)
    placement.refresh_from_db()

    totals = selectors.attendance_totals(placement)
    exported = selectors.totals_of(selectors.with_totals(Placement.objects.filter(pk=placement.pk)).get())

    assert (totals.present, totals.sick, totals.recorded) == (3, 0, 3)
    assert (exported.present, exported.sick, exported.recorded) == (3, 0, 3)


def test_interrupting_before_recorded_days_is_refused_naming_the_days(placement, worker):
    services.record_attendance(
        placement=placement, by=worker, days={days_ago(n): "present" for n in range(1, 11)}
    )

    with pytest.raises(ValidationError) as refused:
        services.interrupt_placement(placement=placement, by=worker, on=days_ago(8), reason="Keskeytyi.")

    message = str(refused.value.message_dict["on"])
    assert days_ago(7).strftime("%d.%m.%Y") in message and days_ago(1).strftime("%d.%m.%Y") in message
    assert days_ago(8).strftime("%d.%m.%Y") not in message
    placement.refresh_from_db()
    assert placement.interrupted_on is None
    # Cleared first, the interruption goes through.
    services.record_attendance(placement=placement, by=worker, days={days_ago(n): "" for n in range(1, 8)})
    services.interrupt_placement(placement=placement, by=worker, on=days_ago(8), reason="Keskeytyi.")
    assert selectors.attendance_totals(placement).present == 3


def test_shortening_before_recorded_days_is_refused(placement, worker):
    services.record_attendance(placement=placement, by=worker, days={days_ago(2): "present"})

    with pytest.raises(ValidationError, match=days_ago(2).strftime("%d.%m.%Y")):
        services.update_placement(placement=placement, by=worker, ends_on=days_ago(3))
    placement.refresh_from_db()
    with pytest.raises(ValidationError, match=days_ago(2).strftime("%d.%m.%Y")):
        services.update_placement(placement=placement, by=worker, starts_on=days_ago(1))

    placement.refresh_from_db()
    assert placement.ends_on > today()
    services.update_placement(placement=placement, by=worker, ends_on=days_ago(2))
    placement.refresh_from_db()
    assert placement.ends_on == days_ago(2)
