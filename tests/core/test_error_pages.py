"""Error pages tell the user what happened in their language and nothing about Polku's insides."""

import re

import pytest
from django.test import Client
from django.urls import path

from polku import urls as polku_urls
from tests.conftest import client_as

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SECRET_DETAIL = "database password is hunter2 at /srv/polku/internal.py"


def _boom(request):
    raise RuntimeError(SECRET_DETAIL)


# Used as ROOT_URLCONF by the 500 tests: Polku's own URLs plus one view that fails.
urlpatterns = [path("boom/", _boom), *polku_urls.urlpatterns]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def assert_no_internals(page: str) -> None:
    for leak in (
        "Traceback",
        "urlpatterns",
        "polku.urls",
        "URLconf",
        "Django tried",
        "DEBUG = True",
        "Request Method",
        ".py",
    ):
        assert leak not in page, leak


def test_an_unknown_address_gives_the_not_found_page(worker):
    response = client_as(worker).get("/no/such/page/", **EN)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "The page does not exist, or you do not have access to it." in page
    assert html_lang(response) == "en"
    assert_no_internals(page)


def test_the_not_found_page_is_in_the_users_language(worker):
    assert html_lang(client_as(worker).get("/no/such/page/")) == "fi"
    assert html_lang(client_as(worker).get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="sv")) == "sv"


def test_an_anonymous_visitor_gets_the_same_not_found_page(db):
    response = Client().get("/no/such/page/", **EN)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_no_internals(response.content.decode())


@pytest.mark.urls(__name__)
def test_a_failing_view_gives_the_error_page_without_the_exception(worker):
    client = client_as(worker)
    client.raise_request_exception = False
    response = client.get("/boom/", **EN)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "hunter2" not in page
    assert SECRET_DETAIL not in page
    assert "RuntimeError" not in page
    assert_no_internals(page)
    # Rendered without the request there is no CSRF token, so no language form that would only fail.
    assert "/i18n/setlang/" not in page


@pytest.mark.urls(__name__)
def test_the_error_page_is_in_the_users_language(db):
    client = Client(raise_request_exception=False)
    assert html_lang(client.get("/boom/", HTTP_ACCEPT_LANGUAGE="sv")) == "sv"
    assert html_lang(client.get("/boom/")) == "fi"


def test_a_form_sent_without_its_security_token_gives_the_form_expired_page(worker):
    client = client_as(worker)
    client.handler.enforce_csrf_checks = True
    response = client.post("/role/", {"membership": str(worker.public_id)}, **EN)
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form expired" in page
    assert "Go back, reload the page and try again." in page
    assert "CSRF" not in page
    assert html_lang(response) == "en"


def test_the_login_form_sent_without_its_security_token_gives_the_form_expired_page(worker):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": worker.user.email, "password": "x"}, **EN)
    assert response.status_code == 403
    assert "The form expired" in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/no/such/page/"])
def test_responses_carry_a_strict_content_security_policy(db, url):
    response = Client().get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.parametrize("path", ["/workspace/", "/caseload/"])
def test_the_workspace_and_the_caseload_carry_the_content_security_policy(worker, path):
    response = client_as(worker).get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/workspace/", "/caseload/"])
def test_pages_have_no_inline_scripts_or_styles(worker, path):
    response = client_as(worker).get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    assert "<style" not in page
    assert " style=" not in page
