"""The caseload search finds people as workers type them: the name as the caseload shows it
("Surname, Firstnames"), regardless of case, accents and the order of the names, Sámi letters that
Unicode does not decompose (Đ, ŋ, ŧ, ...) as their plain counterparts; on SQLite and PostgreSQL alike.
An identity code with a wrong check character is said to be invalid."""

import pytest

from polku.clients import services
from polku.clients.models import Client
from polku.core.search import fold
from tests.conftest import client_as
from tests.factories import make_client, synthetic_identity_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def people(worker):
    for first, last in [
        ("Kalevi Ilmari", "Pelkonen"),
        ("Kalevi", "Pelkola"),
        ("Aili", "Hänninen"),
        ("Ánde", "Đuđđá"),
        ("Máret", "Ŋuolja"),
        ("Sissel", "Ågren-Östlund"),
        ("Ilmari", "Virtanen"),
    ]:
        make_client(by=worker, first_names=first, last_name=last)


def found(worker, term: str) -> list[str]:
    response = client_as(worker).post("/caseload/search/", {"q": term}, follow=True, **EN)
    return sorted(f"{case.client.last_name}, {case.client.first_names}" for case in response.context["cases"])


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Pelkonen, Kalevi Ilmari", ["Pelkonen, Kalevi Ilmari"]),  # as the caseload shows it
        ("Kalevi Ilmari Pelkonen", ["Pelkonen, Kalevi Ilmari"]),
        ("ilmari pelkonen", ["Pelkonen, Kalevi Ilmari"]),
        ("PELKONEN,KALEVI", ["Pelkonen, Kalevi Ilmari"]),
        ("kalevi", ["Pelkola, Kalevi", "Pelkonen, Kalevi Ilmari"]),
        ("hanninen", ["Hänninen, Aili"]),
        ("HÄNNINEN", ["Hänninen, Aili"]),
        ("Dudda", ["Đuđđá, Ánde"]),
        ("đuđđá ande", ["Đuđđá, Ánde"]),
        ("nuolja maret", ["Ŋuolja, Máret"]),
        ("agren ostlund", ["Ågren-Östlund, Sissel"]),
        ("Ågren-Östlund", ["Ågren-Östlund, Sissel"]),
        ("virtanen, kalevi", []),
    ],
)
def test_a_name_is_found_as_it_is_typed(worker, people, term, expected):
    assert found(worker, term) == expected


def test_folding_maps_the_letters_unicode_does_not_decompose():
    assert fold("Đuđđá ŊŧŽŠČ ʒǯ ǧǩ ÅÄÖ, Æsa-Øre") == "dudda ntzsc zz gk aao aesa ore"


def test_a_renamed_client_is_found_by_the_new_name_only(worker):
    client = make_client(by=worker, first_names="Aino", last_name="Äijälä")
    services.update_client(client=client, by=worker, last_name="Öhman")
    assert Client.objects.get(pk=client.pk).search_name == "aino ohman"
    assert found(worker, "ohman aino") == ["Öhman, Aino"]
    assert found(worker, "aijala") == []


def test_search_finds_only_the_viewers_own_clients(worker, outsider, people):
    make_client(by=outsider, first_names="Kalevi", last_name="Pelkonen")
    assert found(outsider, "Pelkonen, Kalevi") == ["Pelkonen, Kalevi"]
    assert found(worker, "Pelkonen, Kalevi") == ["Pelkonen, Kalevi Ilmari"]


def test_an_identity_code_with_a_wrong_check_character_is_said_to_be_invalid(worker):
    code = synthetic_identity_code()
    make_client(by=worker, identity_code=code)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client_as(worker).post("/caseload/search/", {"q": wrong}, follow=True, **EN)
    page = response.content.decode()
    assert "The check character does not match the rest of the identity code" in page
    assert "No client on your caseload has this identity code." not in page
    assert wrong not in page
