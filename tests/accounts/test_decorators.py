"""staff_required sends htmx requests away with HX-Redirect: htmx would otherwise follow the redirect
inside the request and swap the login page into a part of the page."""

from django.test import Client

from tests.conftest import client_as

LOGIN = "/accounts/login/?next=/caseload/"


def test_a_page_asked_for_without_a_session_redirects_to_the_login(db):
    response = Client().get("/caseload/")

    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert "HX-Redirect" not in response


def test_an_htmx_request_without_a_session_is_sent_to_the_login_as_a_whole_page(db):
    response = Client().get("/caseload/", HTTP_HX_REQUEST="true")

    assert (response.status_code, response["HX-Redirect"], response.content) == (204, LOGIN, b"")


def test_a_signed_in_htmx_request_is_answered_as_usual(worker):
    response = client_as(worker).get("/caseload/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "HX-Redirect" not in response
