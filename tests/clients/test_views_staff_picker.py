"""The staff pickers of the team and hand-over forms: a large organisation has thousands of staff, so the
page lists at most `STAFF_CHOICES_SHOWN` of them and a search by name, email, unit or organisation finds
the rest, while the form still accepts any candidate."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.accounts.models import Role
from polku.clients.models import CaseTeamMember, CaseWorkerChange
from polku.clients.selectors import STAFF_CHOICES_SHOWN, team_candidates
from tests.clients.conftest import EN, events, stored_state, text, today
from tests.conftest import client_as
from tests.factories import make_membership, make_organisation, make_unit, make_user, synthetic_identity_code


def options(response, field: str) -> list[str]:
    """The option labels of the field's select, as the user sees them ("Choose…" first)."""
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', text(response), re.S)
    assert select, f"no select for {field}"
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


def selected(response, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', text(response), re.S)
    assert select
    return re.findall(r'<option value="(\d*)"[^>]*selected[^>]*>', select.group(1))


def status(response) -> str:
    found = re.search(r'data-testid="staff-search-status">(.*?)</p>', text(response), re.S)
    assert found
    return found.group(1).strip()


def staff(unit, n: int, *, role=Role.NURSE, last_name="Hoitaja"):
    return [
        make_membership(
            user=make_user(first_name=f"Testi{i:02}", last_name=last_name, with_totp=False),
            unit=unit,
            role=role,
        )
        for i in range(n)
    ]


def get(world, page, query="", *, by=None, **headers):
    """The page, or with a query the page's staff search (posted, like the search form)."""
    browser = client_as(by or world.worker)
    if not query:
        return browser.get(world.url(page), **EN, **headers)
    return browser.post(world.url(page), {"staff_search": "1", "q": query}, **EN, **headers)


@pytest.fixture
def county(db):
    # Sorts before the worker's "Oulun kaupunki (testi)": the case's own organisation still comes first.
    return make_organisation(name="Aapiskylän hyvinvointialue (testi)", kind="wellbeing_county")


def test_the_team_picker_lists_the_first_fifty_and_says_how_many_there_are(world):
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 5)
    candidates = team_candidates(world.case).count()

    response = get(world, "add_team_member")

    assert response.status_code == 200
    listed = options(response, "member")
    assert listed[0] == "Choose…"
    assert len(listed) == STAFF_CHOICES_SHOWN + 1
    assert candidates > STAFF_CHOICES_SHOWN
    assert status(response) == (
        f"Listing the first {STAFF_CHOICES_SHOWN} of {candidates}. Search to find the others."
    )
    assert 'role="search"' in text(response)
    assert 'id="staff-choices"' in text(response)
    # A screen reader on the list hears the status line too.
    assert re.search(r'<select name="member"[^>]*aria-describedby="staff-search-status"', text(response))


def test_a_short_list_has_no_count(world):
    response = get(world, "add_team_member")

    assert status(response) == ""
    assert f"{world.spare_nurse.user} – Nurse, Oulun kaupunki (testi): PALO-tiimi" in options(
        response, "member"
    )


def test_the_case_organisation_comes_first(world, county):
    other = make_membership(
        user=make_user(first_name="Aaro", last_name="Aaltonen", with_totp=False),
        unit=make_unit(organisation=county, name="Terveysasema"),
        role=Role.NURSE,
    )

    listed = options(get(world, "add_team_member"), "member")

    own = [i for i, label in enumerate(listed) if "Oulun kaupunki (testi)" in label]
    assert own and listed.index(f"{other.user} – Nurse, {county.name}: Terveysasema") > max(own)


def test_a_search_lists_only_those_matching_every_word(world, county):
    unit = make_unit(organisation=county, name="Työterveysasema")
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 5)
    make_membership(
        user=make_user(
            first_name="Hilkka", last_name="Virtanen", email="hilkka.v@county.example", with_totp=False
        ),
        unit=unit,
        role=Role.NURSE,
    )
    make_membership(user=make_user(first_name="Hilkka", last_name="Mäkelä", with_totp=False), unit=unit)

    response = get(world, "add_team_member", "hilkka VIRT")

    assert options(response, "member") == [
        "Choose…",
        f"Hilkka Virtanen – Nurse, {county.name}: Työterveysasema",
    ]
    assert status(response) == "1 person matches “hilkka VIRT”."
    assert 'value="hilkka VIRT"' in text(response)
    # Email, unit and organisation are searched too.
    assert len(options(get(world, "add_team_member", "hilkka.v@county"), "member")) == 2
    assert options(get(world, "add_team_member", "työterveys hilkka"), "member") == [
        "Choose…",
        f"Hilkka Mäkelä – Personal worker, {county.name}: Työterveysasema",
        f"Hilkka Virtanen – Nurse, {county.name}: Työterveysasema",
    ]
    assert status(get(world, "add_team_member", "Aapiskylän hilkka")) == "2 people match “Aapiskylän hilkka”."


def test_a_search_with_more_matches_than_are_listed_says_so(world):
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 2, last_name="Sairaanhoitaja")

    response = get(world, "add_team_member", "sairaanhoitaja")

    assert len(options(response, "member")) == STAFF_CHOICES_SHOWN + 1
    assert status(response) == (
        f"Listing the first {STAFF_CHOICES_SHOWN} of the {STAFF_CHOICES_SHOWN + 2} who match “sairaanhoitaja”. "
        "Add a word to narrow the search."
    )


@pytest.mark.parametrize("query", ["Nobody-by-this-name", "nul\x00l"])
def test_a_search_that_finds_nobody_says_so_and_lists_nothing(world, query):
    response = get(world, "add_team_member", query)

    assert response.status_code == 200
    assert options(response, "member") == ["Choose…"]
    assert status(response).startswith("Nobody who could be chosen matches “")


def test_members_already_on_the_team_are_not_found_by_search(world, colleague):
    response = get(world, "add_team_member", colleague.user.email)

    assert options(response, "member") == ["Choose…"]


def test_someone_found_by_search_joins_the_team(world, county):
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 5)
    far = make_membership(
        user=make_user(first_name="Zacharias", last_name="Öhman", with_totp=False),
        unit=make_unit(organisation=county),
        role=Role.PHYSICIAN,
    )
    found = get(world, "add_team_member", "öhman")
    assert options(found, "member")[1:] == [f"Zacharias Öhman – Physician, {county.name}: {far.unit.name}"]
    assert '<input type="hidden" name="q" value="öhman">' in text(found)

    response = client_as(world.worker).post(
        world.url("add_team_member"),
        {"q": "öhman", "member": far.pk, "started_on": today().isoformat()},
        follow=True,
        **EN,
    )

    assert "Team member added." in text(response)
    assert CaseTeamMember.objects.filter(case=world.case, membership=far, ended_on__isnull=True).exists()
    assert events("team.add", world.client)[-1].details == {"member": str(far.public_id)}


def test_a_form_with_an_error_keeps_a_choice_that_the_list_does_not_hold(world):
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 5, last_name="Aaltonen")  # sort before the one chosen
    chosen = make_membership(
        user=make_user(first_name="Ööpi", last_name="Öhman", with_totp=False),
        unit=world.worker.unit,
        role=Role.NURSE,
    )
    before = stored_state()

    response = client_as(world.worker).post(
        world.url("add_team_member"), {"member": chosen.pk, "started_on": "not a date"}, **EN
    )

    assert response.status_code == 400
    assert stored_state() == before
    assert "Enter a valid date." in text(response)
    assert selected(response, "member") == [str(chosen.pk)]
    assert len(options(response, "member")) == STAFF_CHOICES_SHOWN + 2


def test_a_choice_outside_the_candidates_is_refused_even_when_posted_with_a_search(world, manager):
    before = stored_state()

    response = client_as(world.worker).post(
        world.url("add_team_member"),
        {"q": "x", "member": manager.pk, "started_on": today().isoformat()},
        **EN,
    )

    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert stored_state() == before
    assert str(manager.pk) not in selected(response, "member")
    # The error and the search's status line are both read out on the list.
    assert 'aria-describedby="staff-search-status id_member-error"' in text(response)


def test_the_hand_over_picker_searches_the_organisations_personal_workers(world):
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 3, role=Role.PERSONAL_WORKER, last_name="Aaltonen")
    successor = make_membership(
        user=make_user(first_name="Veera", last_name="Väisänen", with_totp=False),
        unit=make_unit(organisation=world.oulu, name="Työllisyyspalvelut"),
        role=Role.PERSONAL_WORKER,
    )

    first = get(world, "hand_over")
    assert len(options(first, "worker")) == STAFF_CHOICES_SHOWN + 1
    assert f"{successor.user} – Personal worker, Oulun kaupunki (testi): Työllisyyspalvelut" not in options(
        first, "worker"
    )
    found = get(world, "hand_over", "Väisänen")
    assert options(found, "worker")[1:] == [
        f"{successor.user} – Personal worker, Oulun kaupunki (testi): Työllisyyspalvelut"
    ]

    response = client_as(world.worker).post(
        world.url("hand_over"),
        {"q": "Väisänen", "worker": successor.pk, "note": "Tilanne kirjattu suunnitelmaan."},
        follow=True,
        **EN,
    )

    assert "The case was handed over." in text(response)
    world.case.refresh_from_db()
    assert world.case.personal_worker == successor
    assert CaseWorkerChange.objects.filter(case=world.case, worker=successor).exists()


@pytest.mark.parametrize("page", ["add_team_member", "hand_over"])
def test_the_picker_runs_the_same_queries_with_few_and_many_staff(world, page):
    role = Role.PERSONAL_WORKER if page == "hand_over" else Role.NURSE

    def queries() -> int:
        client = client_as(world.worker)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(world.url(page), **EN).status_code == 200
        return len(captured)

    few = queries()
    staff(world.worker.unit, STAFF_CHOICES_SHOWN + 1, role=role)
    more = queries()
    staff(world.worker.unit, STAFF_CHOICES_SHOWN, role=role, last_name="Toinen")
    # Counting all the candidates takes one query more, and only once the list is cut.
    assert (more, queries()) == (few + 1, few + 1)


@pytest.mark.parametrize("page", ["add_team_member", "hand_over"])
def test_a_search_on_a_refused_page_is_refused_too(world, outsider, page):
    response = get(world, page, "hoitaja", by=outsider)

    assert response.status_code == 404
    assert "Hoitaja" not in text(response)


def test_the_search_is_an_audited_read_that_changes_nothing(world):
    before = stored_state()

    response = get(world, "add_team_member", "virtanen", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert stored_state() == before
    assert "This field is required." not in text(response)
    [event] = [
        e
        for e in events("client.view", world.client)
        if e.details == {"page": "add_team_member", "staff_search": True}
    ]
    assert event.membership == world.worker


def test_a_search_without_its_csrf_token_is_refused(world):
    browser = client_as(world.worker)
    browser.handler.enforce_csrf_checks = True

    response = browser.post(world.url("add_team_member"), {"staff_search": "1", "q": "hoitaja"}, **EN)

    assert response.status_code == 403


def test_an_identity_code_is_not_searched_for_nor_shown_again(world):
    code = synthetic_identity_code()

    response = get(world, "add_team_member", f"hoitaja {code}")

    assert status(response) == (
        "Identity codes are not searched here. Search staff by name, email, unit or organisation."
    )
    assert code not in text(response)
    assert len(options(response, "member")) > 1  # the list as it is without a search


def test_the_search_form_posts_so_nothing_typed_reaches_an_address(world):
    page = text(get(world, "add_team_member"))

    search_form = re.search(r'<form[^>]*role="search"[^>]*>', page)
    assert search_form and 'method="post"' in search_form.group(0)
    assert "hx-push-url" not in page


@pytest.mark.parametrize(
    ("language", "label", "found"),
    [
        ("fi", "Hae työntekijää nimen, sähköpostiosoitteen", "Haulla ”hilkka” löytyi 1 henkilö."),
        ("sv", "Sök personal efter namn", "1 person matchar ”hilkka”."),
    ],
)
def test_the_search_speaks_finnish_and_swedish(world, language, label, found):
    make_membership(
        user=make_user(first_name="Hilkka", last_name="Virtanen", with_totp=False), unit=world.worker.unit
    )

    response = client_as(world.worker).post(
        world.url("add_team_member"), {"staff_search": "1", "q": "hilkka"}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert label in text(response)
    assert status(response) == found


@pytest.mark.parametrize(
    ("page", "data"),
    [
        (
            "add_team_member",
            lambda world: {"member": world.spare_nurse.pk, "started_on": today().isoformat()},
        ),
        ("hand_over", lambda world: {"worker": world.spare_worker.pk, "note": "Tilanne kirjattu."}),
    ],
)
def test_a_search_posted_with_a_whole_valid_form_only_searches(world, page, data):
    before = stored_state()
    changes = [len(events(action, world.client)) for action in ("team.add", "case.assign")]

    response = client_as(world.worker).post(
        world.url(page), {"staff_search": "1", "q": "", **data(world)}, **EN
    )

    assert response.status_code == 200
    assert stored_state() == before
    assert [len(events(action, world.client)) for action in ("team.add", "case.assign")] == changes
    assert "Team member added." not in text(response) and "The case was handed over." not in text(response)


def test_the_search_finds_an_organisation_and_unit_by_their_swedish_names_and_lists_them_so(world, county):
    county.name_sv = "Välfärdsområdet (test)"
    county.save(update_fields=["name_sv"])
    unit = make_unit(organisation=county, name="Työterveysasema", name_sv="Företagshälsan")
    make_membership(
        user=make_user(first_name="Hilkka", last_name="Virtanen", with_totp=False), unit=unit, role=Role.NURSE
    )

    def search(query, language):
        return client_as(world.worker).post(
            world.url("add_team_member"), {"staff_search": "1", "q": query}, HTTP_ACCEPT_LANGUAGE=language
        )

    for response in (search("välfärdsområdet hilkka", "sv"), search("företagshälsan", "sv")):
        assert options(response, "member")[1:] == [
            "Hilkka Virtanen – Sjukskötare, Välfärdsområdet (test): Företagshälsan"
        ]
    assert options(search("Työterveysasema", "fi"), "member")[1:] == [
        f"Hilkka Virtanen – Sairaanhoitaja, {county.name}: Työterveysasema"
    ]
