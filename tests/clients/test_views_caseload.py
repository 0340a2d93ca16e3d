"""The caseload (/caseload/): the worker's own open cases, filtered, sorted, paginated and searched, in a
fixed number of queries, and audited as one read listing the clients shown."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.formats import date_format

from polku.accounts.models import Role
from polku.clients import selectors, services
from tests.clients.conftest import EN, days_ago, events, open_case_for, text, today
from tests.conftest import client_as
from tests.factories import make_membership, synthetic_identity_code
from tests.queries import LIST_AUDIT_EVENT

# Measured: session, the user with their active memberships, the ids of the matching cases and the
# page's cases, audit event with the clients it listed (LIST_AUDIT_EVENT, tests/queries.py), the cases with an open safety alert (instruments). The
# municipality filter's options were read on the first request and are remembered for a minute.
# Then one query for each flag source other apps add (clients.extensions): plan reviews due or overdue
# (plans), overdue referrals (services), placements lacking attendance or feedback (placements) and IPS
# periods with an employer contact, follow-along or benefits counselling due (employment).
CASELOAD_QUERIES = 5 + LIST_AUDIT_EVENT + 4


def shown(response) -> list[str]:
    return [case.client.last_name for case in response.context["cases"]]


# --- What is listed --------------------------------------------------------------------------------


def test_the_caseload_lists_only_the_workers_own_open_cases(worker, unit_worker):
    mine = open_case_for(worker, first_names="Aino", last_name="Oma")
    closed = open_case_for(worker, last_name="Suljettu")
    services.close_case(case=closed, outcome="studies", by=worker)
    open_case_for(unit_worker, last_name="Toisen")

    response = client_as(worker).get("/caseload/", **EN)

    assert response.status_code == 200
    assert list(response.context["cases"]) == [mine]
    page = text(response)
    assert "Oma, Aino" in page
    assert "1 case" in page
    assert "Suljettu" not in page
    assert "Toisen" not in page


def test_a_nurse_sees_the_cases_whose_team_she_is_on(worker, colleague):
    on_team = open_case_for(worker, last_name="Tiimissä")
    open_case_for(worker, last_name="Muualla")
    services.add_team_member(case=on_team, member=colleague, by=worker, started_on=days_ago(3))

    response = client_as(colleague).get("/caseload/", **EN)

    assert shown(response) == ["Tiimissä"]
    assert "New client" not in text(response)


def test_a_nurse_does_not_see_a_case_whose_team_she_has_left_or_not_yet_joined(worker, colleague):
    left = open_case_for(worker, last_name="Lähtenyt")
    period = services.add_team_member(case=left, member=colleague, by=worker, started_on=days_ago(3))
    services.end_team_membership(period=period, by=worker)
    later = open_case_for(worker, last_name="Myöhemmin")
    services.add_team_member(case=later, member=colleague, by=worker, started_on=today() + timedelta(days=1))

    response = client_as(colleague).get("/caseload/", **EN)

    assert shown(response) == []


def test_the_caseload_shows_each_cases_status_last_contact_next_step_and_flags(worker):
    case = open_case_for(worker, last_name="Lippu", needs_interpreter=True, interpreter_language="arabia")
    services.change_status(case=case, status="screening", by=worker)
    contacted_on = days_ago(100)
    services.record_contact(
        case=case, by=worker, kind="meeting", happened_on=contacted_on, note="x", register="employment"
    )
    services.plan_next_step(case=case, step="Arviointijakso", due_on=days_ago(2), by=worker)

    page = text(client_as(worker).get("/caseload/", **EN))

    assert "Screening" in page
    with translation.override("en"):
        assert date_format(contacted_on, "SHORT_DATE_FORMAT") in page
    assert "Arviointijakso" in page
    assert "Overdue" in page
    assert "Interpreter" in page


def test_the_manager_has_no_caseload(manager):
    response = client_as(manager).get("/caseload/")

    assert response.status_code == 403
    [refusal] = events("permission.refused")
    assert (refusal.membership, refusal.details["action"]) == (manager, "caseload.view")
    assert not events("caseload.view")


def test_an_administrator_has_no_caseload(administrator):
    assert client_as(administrator).get("/caseload/").status_code == 403


# --- Empty states ------------------------------------------------------------------------------------


def test_an_empty_caseload_says_so_and_offers_to_register_a_client(worker):
    page = text(client_as(worker).get("/caseload/", **EN))

    assert "You have no open cases yet." in page
    assert "Register a new client" in page


def test_a_nurse_with_no_cases_is_not_offered_to_register_a_client(colleague):
    page = text(client_as(colleague).get("/caseload/", **EN))

    assert "You have no open cases yet." in page
    assert "Register a new client" not in page


def test_filters_that_match_nothing_say_so(worker):
    open_case_for(worker)

    page = text(client_as(worker).get("/caseload/?flag=interpreter", **EN))

    assert "No cases match the search or filters." in page
    assert "You have no open cases yet." not in page


# --- Filters -------------------------------------------------------------------------------------------


def test_the_status_filter_shows_only_cases_in_that_status(worker):
    screening = open_case_for(worker, last_name="Seulonta")
    open_case_for(worker, last_name="Tunnistettu")
    services.change_status(case=screening, status="screening", by=worker)

    response = client_as(worker).get("/caseload/?status=screening", **EN)

    assert shown(response) == ["Seulonta"]
    assert 'value="screening" selected' in response.content.decode()


def test_an_unknown_status_is_ignored(worker):
    open_case_for(worker, last_name="Yksi")

    response = client_as(worker).get("/caseload/?status=nonsense", **EN)

    assert shown(response) == ["Yksi"]
    assert response.context["filters"].status == ""


def test_the_municipality_filter_offers_and_applies_the_caseloads_municipalities(worker):
    open_case_for(worker, last_name="Oululainen", municipality="564")
    open_case_for(worker, last_name="Helsinkiläinen", municipality="091")

    response = client_as(worker).get("/caseload/?municipality=091", **EN)

    assert shown(response) == ["Helsinkiläinen"]
    assert [m.code for m in response.context["municipalities"]] == ["091", "564"]


def born(years_ago: int, *, days_later: int = 0) -> str:
    return synthetic_identity_code(
        birth_date=selectors.years_before(today(), years_ago) + timedelta(days=days_later)
    )


@pytest.fixture
def ages(worker):
    """Clients on both sides of each age group's edge: 30 today, 30 tomorrow, 55 today, 55 tomorrow."""
    open_case_for(worker, last_name="Kolmekymmentä", identity_code=born(30))
    open_case_for(worker, last_name="Melkein30", identity_code=born(30, days_later=1))
    open_case_for(worker, last_name="Viisikymmentäviisi", identity_code=born(55))
    open_case_for(worker, last_name="Melkein55", identity_code=born(55, days_later=1))


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("under_30", ["Melkein30"]),
        ("30_54", ["Kolmekymmentä", "Melkein55"]),
        ("55_plus", ["Viisikymmentäviisi"]),
        ("nonsense", ["Kolmekymmentä", "Melkein30", "Melkein55", "Viisikymmentäviisi"]),
    ],
)
def test_the_age_filter_shows_the_clients_of_that_age_group(worker, ages, group, expected):
    response = client_as(worker).get(f"/caseload/?age={group}&sort=name", **EN)

    assert sorted(shown(response)) == expected
    ages_shown = {case.client.last_name: case.client.age for case in response.context["cases"]}
    assert {name: ages_shown[name] for name in expected} == {
        name: {"Kolmekymmentä": 30, "Melkein30": 29, "Viisikymmentäviisi": 55, "Melkein55": 54}[name]
        for name in expected
    }
    if group != "nonsense":
        assert f'value="{group}" selected' in text(response)


def test_the_age_bounds_agree_with_the_age_shown_around_leap_days():
    from polku.clients.models import Client

    births = [date(1996, 2, 28), date(1996, 2, 29), date(1996, 3, 1), date(1998, 2, 28), date(1998, 3, 1)]
    day = date(2026, 2, 25)
    while day <= date(2028, 3, 2):
        for born in births:
            for years in (30, 31, 55):
                aged = Client(birth_date=born).age_on(day) >= years
                assert (born <= selectors.years_before(day, years)) == aged, (born, day, years)
        day += timedelta(days=1)
    # Born on 29 February: of age on 1 March in a common year, on the day itself in a leap year.
    assert Client(birth_date=date(1996, 2, 29)).age_on(date(2027, 2, 28)) == 30
    assert selectors.years_before(date(2027, 2, 28), 31) == date(1996, 2, 28)


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("under_30_days", ["Uusi"]),
        ("30_89_days", ["Kolmekymmentä", "Kahdeksankymmentäyhdeksän"]),
        ("90_days_plus", ["Yhdeksänkymmentä"]),
    ],
)
def test_the_time_in_status_filter_counts_the_days_the_column_shows(worker, band, expected):
    from django.utils import timezone

    from polku.clients.models import Case

    now = timezone.now()
    for name, since in (
        ("Uusi", timedelta(days=29, hours=23)),
        ("Kolmekymmentä", timedelta(days=30, minutes=1)),
        ("Kahdeksankymmentäyhdeksän", timedelta(days=89, hours=23)),
        ("Yhdeksänkymmentä", timedelta(days=90, minutes=1)),
    ):
        case = open_case_for(worker, last_name=name)
        Case.objects.filter(pk=case.pk).update(status_changed_at=now - since)

    response = client_as(worker).get(f"/caseload/?in_status={band}&sort=status_since", **EN)

    assert sorted(shown(response)) == sorted(expected)
    days = {"Uusi": 29, "Kolmekymmentä": 30, "Kahdeksankymmentäyhdeksän": 89, "Yhdeksänkymmentä": 90}
    for name in expected:
        assert f"{days[name]} days" in text(response)
    assert f'value="{band}" selected' in text(response)


def test_the_new_filters_are_kept_by_the_sort_links_and_the_search(worker, ages):
    response = client_as(worker).get("/caseload/?age=30_54&in_status=under_30_days", **EN)

    page = text(response)
    assert "age=30_54&in_status=under_30_days&sort=name" in page.replace("&amp;", "&")
    assert '<input type="hidden" name="age" value="30_54">' in page
    assert '<input type="hidden" name="in_status" value="under_30_days">' in page
    searched = client_as(worker).post(
        "/caseload/search/", {"q": "Melkein", "age": "30_54", "in_status": "under_30_days"}
    )
    assert "age=30_54" in searched["Location"] and "in_status=under_30_days" in searched["Location"]
    found = client_as(worker).get(searched["Location"], **EN)
    assert shown(found) == ["Melkein55"]


def test_filters_outside_the_caseload_find_nothing_of_others(worker, unit_worker):
    open_case_for(unit_worker, last_name="Toisen", identity_code=born(56))

    response = client_as(worker).get("/caseload/?age=55_plus", **EN)

    assert shown(response) == []
    assert "No cases match the search or filters." in text(response)


def test_the_overdue_flag_shows_cases_whose_next_step_is_in_the_past(worker):
    late = open_case_for(worker, last_name="Myöhässä")
    services.plan_next_step(case=late, step="Soitto", due_on=days_ago(1), by=worker)
    due_today = open_case_for(worker, last_name="Tänään")
    services.plan_next_step(case=due_today, step="Soitto", due_on=today(), by=worker)
    open_case_for(worker, last_name="Suunnittelematon")

    response = client_as(worker).get("/caseload/?flag=overdue", **EN)

    assert shown(response) == ["Myöhässä"]


def test_the_interpreter_flag_shows_clients_who_need_an_interpreter(worker):
    open_case_for(worker, last_name="Tulkattava", needs_interpreter=True, interpreter_language="somali")
    open_case_for(worker, last_name="Suomenkielinen")

    response = client_as(worker).get("/caseload/?flag=interpreter", **EN)

    assert shown(response) == ["Tulkattava"]


def test_the_no_recent_contact_flag_shows_cases_without_a_contact_in_90_days(worker):
    for name, days in [("Eilen", 1), ("Tasan90", 90), ("Yli90", 91), ("Kauan", 200)]:
        case = open_case_for(worker, last_name=name)
        services.record_contact(
            case=case, by=worker, kind="phone", happened_on=days_ago(days), note="x", register="employment"
        )
    open_case_for(worker, last_name="Eikoskaan")

    response = client_as(worker).get("/caseload/?flag=no_recent_contact&sort=name", **EN)

    assert shown(response) == ["Eikoskaan", "Kauan", "Yli90"]


# --- Sorting -------------------------------------------------------------------------------------------
# Four clients, each key ordering them differently (and differently from the default, the next step).

EXPECTED_ORDER = {
    "name": "ABCD",
    "age": "BADC",  # youngest first
    "municipality": "CADB",  # Espoo, Helsinki, Oulu, Tampere
    "status": "DBAC",  # active_services, assessment, follow_up, planning
    "status_since": "ACBD",  # longest in the status first
    "last_contact": "BDCA",  # earliest last contact first
    "next_step": "CDBA",  # earliest due first
}
NAMES = {"A": "Aho", "B": "Berg", "C": "Castrén", "D": "Dahl"}


@pytest.fixture
def four_cases(worker):
    details = {
        "A": (date(1985, 6, 15), "091", "follow_up", 10, 40),
        "B": (date(1995, 6, 15), "837", "assessment", 200, 30),
        "C": (date(1965, 6, 15), "049", "planning", 50, 10),
        "D": (date(1975, 6, 15), "564", "active_services", 150, 20),
    }
    cases = {}
    for key, (born, municipality, _status, contact_days_ago, due_in) in details.items():
        case = open_case_for(
            worker,
            last_name=NAMES[key],
            identity_code=synthetic_identity_code(birth_date=born),
            municipality=municipality,
        )
        services.record_contact(
            case=case,
            by=worker,
            kind="meeting",
            happened_on=days_ago(contact_days_ago),
            note="x",
            register="employment",
        )
        services.plan_next_step(
            case=case, step="Seuraava", due_on=today() + timedelta(days=due_in), by=worker
        )
        cases[key] = case
    for key in "ACBD":  # the order the statuses change in
        services.change_status(case=cases[key], status=details[key][2], by=worker)
    return cases


def test_every_sort_key_has_an_expected_order():
    assert set(EXPECTED_ORDER) == set(selectors.CASELOAD_SORTS)


@pytest.mark.parametrize("key", sorted(selectors.CASELOAD_SORTS))
def test_the_caseload_sorts_by_each_column_ascending(worker, four_cases, key):
    response = client_as(worker).get(f"/caseload/?sort={key}", **EN)

    assert shown(response) == [NAMES[k] for k in EXPECTED_ORDER[key]]
    assert f'href="?sort=-{key}"' in response.content.decode()  # the header link turns the order round


@pytest.mark.parametrize("key", sorted(selectors.CASELOAD_SORTS))
def test_the_caseload_sorts_by_each_column_descending(worker, four_cases, key):
    response = client_as(worker).get(f"/caseload/?sort=-{key}", **EN)

    assert shown(response) == [NAMES[k] for k in reversed(EXPECTED_ORDER[key])]
    assert 'aria-sort="descending"' in response.content.decode()


def test_the_default_order_is_by_next_step_and_an_unknown_key_falls_back_to_it(worker, four_cases):
    default = client_as(worker).get("/caseload/", **EN)
    unknown = client_as(worker).get("/caseload/?sort=identity_code_hash", **EN)

    assert shown(default) == shown(unknown) == [NAMES[k] for k in EXPECTED_ORDER["next_step"]]


@pytest.mark.parametrize("sort", ["last_contact", "-last_contact", "next_step", "-next_step"])
def test_cases_without_a_contact_or_next_step_come_last_both_ways(worker, four_cases, sort):
    open_case_for(worker, last_name="Tyhjä")

    response = client_as(worker).get(f"/caseload/?sort={sort}", **EN)

    assert shown(response)[-1] == "Tyhjä"


# --- Pagination ----------------------------------------------------------------------------------------


@pytest.fixture
def thirty_cases(worker):
    return [open_case_for(worker, last_name=f"Asiakas{n:02d}") for n in range(30)]


def test_the_caseload_shows_25_cases_a_page(worker, thirty_cases):
    first = client_as(worker).get("/caseload/?sort=name", **EN)
    second = client_as(worker).get("/caseload/?sort=name&page=2", **EN)

    assert shown(first) == [f"Asiakas{n:02d}" for n in range(25)]
    assert shown(second) == [f"Asiakas{n:02d}" for n in range(25, 30)]
    assert "30 cases" in text(first)
    assert "Page 1 of 2" in text(first)
    assert 'href="?sort=name&amp;page=2"' in first.content.decode()  # the sort is kept
    assert "Page 2 of 2" in text(second)


def test_a_page_past_the_end_shows_the_last_page(worker, thirty_cases):
    response = client_as(worker).get("/caseload/?page=9", **EN)

    assert response.context["page"].number == 2


# --- Search ------------------------------------------------------------------------------------------


def test_a_part_of_a_name_finds_the_client(worker):
    open_case_for(worker, first_names="Maija Liisa", last_name="Virtanen")
    open_case_for(worker, last_name="Korhonen")

    by_last = client_as(worker).get("/caseload/?q=irtan", **EN)
    by_first = client_as(worker).get("/caseload/?q=liisa", **EN)

    assert shown(by_last) == shown(by_first) == ["Virtanen"]


@pytest.mark.parametrize("term", ["äijälä", "ÄIJÄLÄ", "Äijälä", "åström"])
def test_a_name_search_ignores_the_case_of_finnish_and_swedish_letters_too(worker, term):
    # On SQLite (the embedded default) LIKE alone would fold ASCII letters only (core/db.py).
    open_case_for(worker, last_name="Äijälä")
    open_case_for(worker, last_name="Åström")
    open_case_for(worker, last_name="Aijala")

    response = client_as(worker).get(f"/caseload/?q={term}", **EN)

    assert shown(response) == (["Åström"] if term == "åström" else ["Äijälä"])


@pytest.mark.parametrize(("term", "found"), [("a_b", ["A_b"]), ("100%", ["100%"]), ("a%b", [])])
def test_a_name_search_takes_wildcards_literally(worker, term, found):
    open_case_for(worker, last_name="A_b")
    open_case_for(worker, last_name="Axb")
    open_case_for(worker, last_name="100%")
    open_case_for(worker, last_name="1000")

    response = client_as(worker).get("/caseload/", {"q": term}, **EN)

    assert shown(response) == found


def test_a_name_search_does_not_reach_outside_the_caseload(worker, unit_worker):
    open_case_for(unit_worker, last_name="Virtanen")

    response = client_as(worker).get("/caseload/?q=Virtanen", **EN)

    assert shown(response) == []
    assert "No cases match the search or filters." in text(response)


def test_an_exact_identity_code_opens_the_client(worker):
    code = synthetic_identity_code()
    case = open_case_for(worker, identity_code=code)
    open_case_for(worker)

    response = client_as(worker).post("/caseload/search/", {"q": f" {code.lower()} "})

    assert response.status_code == 302
    assert response.url == f"/clients/{case.client.public_id}/"


def test_a_partial_identity_code_matches_nothing(worker):
    code = synthetic_identity_code()
    open_case_for(worker, identity_code=code)

    for partial in (code[:6], code[:10], code[:7]):
        response = client_as(worker).post("/caseload/search/", {"q": partial}, follow=True, **EN)
        assert shown(response) == [], partial


def test_an_exact_code_of_a_client_outside_the_caseload_offers_break_the_glass_to_a_personal_worker(
    worker, unit_worker
):
    code = synthetic_identity_code()
    elsewhere = open_case_for(unit_worker, identity_code=code)

    response = client_as(worker).post("/caseload/search/", {"q": code}, follow=True, **EN)

    assert response.redirect_chain == [(f"/clients/{elsewhere.client.public_id}/break-the-glass/", 302)]
    page = text(response)
    assert "This person is a client in Polku but not on your caseload or teams." in page
    assert elsewhere.client.last_name not in page


def test_an_exact_code_of_a_client_outside_her_teams_tells_a_nurse_nothing(worker, colleague):
    code = synthetic_identity_code()
    open_case_for(worker, identity_code=code)

    response = client_as(colleague).post("/caseload/search/", {"q": code}, follow=True, **EN)

    assert response.redirect_chain == [("/caseload/", 302)]
    assert "No client on your caseload has this identity code." in text(response)
    assert "break-the-glass" not in response.content.decode()


def test_an_identity_code_search_is_audited_without_the_code(worker):
    code = synthetic_identity_code()
    open_case_for(worker, identity_code=code)

    client_as(worker).post("/caseload/search/", {"q": code})

    [event] = events("caseload.search")
    assert event.details == {"identity_code": True, "found": True}
    assert code not in str(event.details) + event.reason


def test_finding_a_client_outside_the_caseload_by_identity_code_shows_in_their_access_report(
    worker, outsider
):
    code = synthetic_identity_code()
    elsewhere = open_case_for(worker, identity_code=code)

    client_as(outsider).post("/caseload/search/", {"q": code})

    assert [event.membership for event in events("caseload.search", elsewhere.client)] == [outsider]


def test_the_manager_cannot_search_clients(worker, manager):
    code = synthetic_identity_code()
    open_case_for(worker, identity_code=code)

    response = client_as(manager).post("/caseload/search/", {"q": code})

    assert response.status_code == 403
    assert not events("caseload.search")
    assert events("permission.refused")[0].details == {"action": "caseload.view"}


def test_an_anonymous_search_is_sent_to_log_in(db):
    from django.test import Client

    response = Client().post("/caseload/search/", {"q": synthetic_identity_code()})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# --- Audit -----------------------------------------------------------------------------------------------


def test_viewing_the_caseload_writes_one_event_listing_the_clients_shown(worker, thirty_cases):
    response = client_as(worker).get("/caseload/?sort=name&page=2")

    [event] = events("caseload.view")
    assert event.membership == worker
    assert event.client_id is None
    assert event.details == {
        "clients": [str(case.client.public_id) for case in response.context["cases"]],
        "page": 2,
    }
    assert len(event.details["clients"]) == 5


# --- Queries --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_caseload_runs_the_same_queries_with_one_case_and_with_thirty(
    worker, count, django_assert_num_queries
):
    for n in range(count):
        case = open_case_for(
            worker,
            municipality=["564", "091", "049"][n % 3],
            needs_interpreter=bool(n % 2),
            interpreter_language="arabia" if n % 2 else "",
        )
        services.record_contact(
            case=case, by=worker, kind="meeting", happened_on=days_ago(n + 1), note="x", register="employment"
        )
        services.plan_next_step(case=case, step="Soitto", due_on=today() + timedelta(days=n - 5), by=worker)
    browser = client_as(worker)
    browser.get("/caseload/")  # the first request of a session records its MFA check

    with django_assert_num_queries(CASELOAD_QUERIES):
        response = browser.get("/caseload/?sort=-last_contact")

    assert len(response.context["cases"]) == min(count, 25)


@pytest.mark.parametrize("count", [1, 30])
def test_a_nurses_caseload_runs_the_same_queries_with_one_case_and_with_thirty(
    worker, colleague, count, django_assert_num_queries
):
    for _ in range(count):
        services.add_team_member(
            case=open_case_for(worker), member=colleague, by=worker, started_on=days_ago(1)
        )
    browser = client_as(colleague)
    browser.get("/caseload/")

    with django_assert_num_queries(CASELOAD_QUERIES):
        response = browser.get("/caseload/?sort=name")

    assert len(response.context["cases"]) == min(count, 25)


def test_a_job_coach_has_a_caseload_of_the_teams_he_is_on(worker, oulu):
    coach = make_membership(unit=worker.unit, role=Role.JOB_COACH)
    case = open_case_for(worker, last_name="Työnhakija")
    services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(1))

    assert shown(client_as(coach).get("/caseload/")) == ["Työnhakija"]


@pytest.mark.parametrize("count", [1, 30])
def test_the_age_and_time_in_status_filters_run_the_same_queries(worker, count, django_assert_num_queries):
    for n in range(count):
        open_case_for(worker, identity_code=born(40 + n % 3))
    browser = client_as(worker)
    browser.get("/caseload/")  # the first request of a session records its MFA check

    with django_assert_num_queries(CASELOAD_QUERIES):
        response = browser.get("/caseload/?age=30_54&in_status=under_30_days&sort=age")

    assert len(response.context["cases"]) == min(count, 25)


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("fi", ["Alle 30", "55 tai vanhempi", "Alle 30 päivää", "Vähintään 90 päivää"]),
        ("sv", ["55 och äldre", "Under 30 dagar"]),
    ],
)
def test_the_new_filters_speak_finnish_and_swedish(worker, language, labels):
    open_case_for(worker)

    page = text(client_as(worker).get("/caseload/", HTTP_ACCEPT_LANGUAGE=language))

    for label in labels:
        assert f">{label}</option>" in page
