"""The career profile's history ("Changes" on the period page) and the places kept on the profile row
for matching."""

from __future__ import annotations

import pytest

from polku.clients import services as client_services
from polku.clients.models import Municipality
from polku.employment import matching, services
from polku.employment.models import CareerProfile, CareerProfileChange
from tests.conftest import client_as
from tests.employment.conftest import EN, text
from tests.employment.test_employers_matching import add_opening


def save(period, coach, **values):
    values.setdefault("job_fields", ["food"])
    values.setdefault("hours_min", 10)
    values.setdefault("hours_max", 20)
    return services.profile_save(period=period, by=coach, **values)


def test_each_change_keeps_who_when_which_fields_and_the_values_before(period, coach, other_coach, worker):
    oulu, helsinki = Municipality.objects.get(code="564"), Municipality.objects.get(code="091")
    save(period, coach, strengths="Tarkka", municipalities=[oulu])
    save(period, coach, strengths="Tarkka", municipalities=[oulu])  # nothing changed: no row
    client_services.add_team_member(
        case=period.case, member=other_coach, by=worker, started_on=period.entered_on
    )
    save(period, other_coach, strengths="Tarkka ja nopea", hours_max=25, municipalities=[oulu, helsinki])
    first, second = CareerProfileChange.objects.order_by("changed_at", "id")
    assert CareerProfileChange.objects.count() == 2
    assert first.created and first.changed_by == coach and first.previous == {}
    assert second.changed_by == other_coach and not second.created
    assert second.fields == ["hours_max", "municipalities", "strengths"]
    assert second.previous == {"hours_max": 20, "municipalities": ["564"], "strengths": "Tarkka"}
    page = text(client_as(coach).get(f"/ips/periods/{period.public_id}/", **EN))
    assert "Changes" in page and "Profile created" in page
    assert "Strengths: Tarkka" in page and "Places: Oulu" in page
    assert other_coach.user.get_full_name() in page


def test_the_form_records_a_change(period, coach):
    save(period, coach)
    url = f"/ips/periods/{period.public_id}/profile/"
    form = {"job_fields": ["food", "cleaning"], "hours_min": "10", "hours_max": "20", "disclosure": "none"}
    assert client_as(coach).post(url, form, **EN).status_code == 302
    change = CareerProfileChange.objects.get(created=False)
    assert change.previous == {"disclosure": "undecided", "job_fields": ["food"]}
    page = text(client_as(coach).get(f"/ips/periods/{period.public_id}/", **EN))
    assert "Kitchen, restaurant and catering" in page and "Not decided yet" in page


@pytest.mark.parametrize("who", ["outsider", "manager", "host", "colleague"])
def test_others_see_no_history(request, period, coach, who):
    save(period, coach, strengths="Salainen vahvuus")
    save(period, coach, strengths="Toinen")
    response = client_as(request.getfixturevalue(who)).get(f"/ips/periods/{period.public_id}/", **EN)
    assert response.status_code in (403, 404)
    assert "Salainen vahvuus" not in text(response)


def test_a_refused_save_keeps_no_history(period, coach, outsider):
    with pytest.raises(Exception):  # refused as not found (hide=True)
        save(period, outsider)
    assert not CareerProfileChange.objects.exists() and not CareerProfile.objects.exists()


def test_the_places_are_kept_on_the_profile_row(period, coach):
    oulu, helsinki = Municipality.objects.get(code="564"), Municipality.objects.get(code="091")
    save(period, coach, municipalities=[oulu, helsinki])
    assert CareerProfile.objects.get().place_codes == ",091,564,"
    save(period, coach, municipalities=[])
    assert CareerProfile.objects.get().place_codes == ""


def test_seekers_are_ranked_by_place_from_the_row(period, coach, employer):
    save(period, coach, municipalities=[Municipality.objects.get(code="091")])
    in_oulu = add_opening(coach, employer)
    in_helsinki = add_opening(coach, employer, municipality=Municipality.objects.get(code="091"))
    assert matching.seekers_for(in_helsinki, viewer=coach)[0].fit.score == (
        matching.seekers_for(in_oulu, viewer=coach)[0].fit.score + matching.PLACE_POINTS
    )


def test_a_break_the_glass_access_shows_the_job_seeker_as_the_pages_do(period, coach, employer, oulu):
    from polku.accounts.models import Role
    from tests.factories import make_membership

    save(period, coach)
    opening = add_opening(coach, employer)
    stranger = make_membership(unit=coach.unit, role=Role.PERSONAL_WORKER)
    assert matching.seekers_for(opening, viewer=stranger) == []
    client_services.break_glass(client=period.client, by=stranger, reason="Asiakas soitti, tarvitsee apua")
    assert [m.item for m in matching.seekers_for(opening, viewer=stranger)] == [period]


def test_the_visible_set_is_the_client_relationship(period, coach, other_coach, worker, outsider):
    from polku.clients import access
    from polku.clients.models import Client

    for viewer in (coach, other_coach, worker, outsider):
        related = set(Client.objects.filter(access.client_relationship(viewer)).values_list("pk", flat=True))
        visible = set(
            Client.objects.filter(pk__in=access.visible_client_ids(viewer)).values_list("pk", flat=True)
        )
        assert visible == related
        assert (period.client_id in visible) == (viewer in (coach, worker))
