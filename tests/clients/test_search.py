"""The caseload search: names through the URL, identity codes only by POST, never in a web address."""

from polku.audit.models import AuditEvent
from tests.conftest import client_as
from tests.factories import make_case_after_break_glass, make_client, synthetic_identity_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_an_exact_identity_code_opens_the_client_without_the_code_in_any_url(worker):
    code = synthetic_identity_code()
    client = make_client(by=worker, identity_code=code, last_name="Virtanen")
    response = client_as(worker).post("/caseload/search/", {"q": code.lower()})
    assert response.status_code == 302
    assert response.url == f"/clients/{client.public_id}/"
    assert code not in response.url
    event = AuditEvent.objects.filter(action="caseload.search").get()
    assert code not in str(event.details)


def test_a_partial_identity_code_finds_nobody(worker):
    code = synthetic_identity_code()
    make_client(by=worker, identity_code=code)
    response = client_as(worker).post("/caseload/search/", {"q": code[:-1] + "?"}, follow=True, **EN)
    assert response.redirect_chain[-1][0].startswith("/caseload/?q=")
    assert list(response.context["cases"]) == []


def test_a_name_goes_to_the_caseload_with_the_filters_kept(worker):
    make_client(by=worker, last_name="Virtanen")
    make_client(by=worker, last_name="Korhonen")
    response = client_as(worker).post("/caseload/search/", {"q": "virta", "status": "identified"})
    assert response.url == "/caseload/?q=virta&status=identified"
    page = client_as(worker).get(response.url, **EN)
    assert [case.client.last_name for case in page.context["cases"]] == ["Virtanen"]


def test_an_identity_code_in_the_address_is_not_searched(worker):
    code = synthetic_identity_code()
    make_client(by=worker, identity_code=code)
    response = client_as(worker).get(f"/caseload/?q={code}", **EN)
    assert response.context["filters"].q == ""
    assert "never read from a web address" in response.content.decode()


def test_a_code_of_a_client_outside_the_caseload_offers_break_the_glass_to_a_personal_worker(
    worker, outsider
):
    code = synthetic_identity_code()
    client = make_client(by=worker, identity_code=code)
    response = client_as(outsider).post("/caseload/search/", {"q": code})
    assert response.url == f"/clients/{client.public_id}/break-the-glass/"


def test_an_unknown_code_says_so(worker):
    response = client_as(worker).post(
        "/caseload/search/", {"q": synthetic_identity_code()}, follow=True, **EN
    )
    assert "No client on your caseload has this identity code." in response.content.decode()


def test_the_search_refuses_roles_without_a_caseload(manager):
    response = client_as(manager).post("/caseload/search/", {"q": "Virtanen"})
    assert response.status_code == 403


def test_staff_pages_are_never_cached(worker):
    make_client(by=worker)
    response = client_as(worker).get("/caseload/")
    assert "no-store" in response["Cache-Control"]


def test_a_name_with_an_identity_code_in_it_never_reaches_a_url(worker):
    code = synthetic_identity_code()
    response = client_as(worker).post("/caseload/search/", {"q": f"Aino {code}"})
    assert response.url == "/caseload/"
    assert code not in response.url


def test_null_characters_in_the_address_are_harmless(worker):
    response = client_as(worker).get("/caseload/?municipality=%00&q=a%00b", **EN)
    assert response.status_code == 200
    assert response.context["filters"].municipality == ""
    assert response.context["filters"].q == "ab"


def test_a_case_handed_to_a_worker_whose_period_starts_later_is_theirs_at_once(worker):
    from datetime import timedelta

    from django.utils import timezone

    from polku.clients import services
    from polku.clients.models import Case
    from tests.factories import make_membership

    client = make_client(by=worker)
    case = Case.objects.get(client=client)
    successor = make_membership(unit=worker.unit)
    services.add_team_member(
        case=case, member=successor, by=worker, started_on=timezone.localdate() + timedelta(days=30)
    )
    services.assign_personal_worker(case=case, worker=successor, by=worker, note="Jatkat tästä.")

    assert client_as(successor).get(f"/clients/{client.public_id}/").status_code == 200


def test_another_organisations_case_pages_are_404_even_for_someone_who_sees_the_client(worker, outsider):
    from polku.clients.models import Case

    code = synthetic_identity_code()
    client = make_client(by=worker, identity_code=code)
    make_case_after_break_glass(by=outsider, client=client)  # Espoo now has its own case for the person
    oulu_case = Case.objects.get(client=client, unit=worker.unit)
    assert client_as(outsider).get(f"/cases/{oulu_case.public_id}/status/").status_code == 404
    assert client_as(outsider).get(f"/cases/{oulu_case.public_id}/contacts/new/").status_code == 404
