"""Strong identification over OpenID Connect against a real provider on loopback (tests/portal/conftest.py)."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from polku.audit.models import AuditEvent
from polku.clients.models import Client
from polku.portal.session import CLIENT_KEY
from tests.factories import make_case, synthetic_identity_code
from tests.portal.conftest import with_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(worker, provider):
    """A client of the Oulu team, known to the provider as "aino"."""
    code = synthetic_identity_code(11)
    case = make_case(by=worker, identity_code=code, first_names="Aino")
    provider.add_person("aino", code)
    return case.client, code


def assert_not_logged_in(browser) -> None:
    assert CLIENT_KEY not in browser.django.session
    assert browser.django.get("/portal/home/")["Location"] == "/portal/"


def test_success_logs_the_client_in_and_audits_it(browser, person, caplog):
    client, code = person
    caplog.set_level(logging.DEBUG)
    authorize = browser.go_to_provider()
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0] and query["client_id"] == ["polku-test"]
    response = browser.django.get(browser.pick_person(authorize, "aino"))
    assert response.status_code == 302 and response["Location"] == "/portal/home/"
    home = browser.django.get("/portal/home/")
    assert home.status_code == 200
    assert "Aino" in home.content.decode()
    event = AuditEvent.objects.get(action="portal.login")
    assert event.client_id == client.public_id and event.membership_id is None
    assert event.details["actor"]["name"] == client.full_name
    # The identity code appears in no log line and no page.
    assert code not in caplog.text
    assert code not in home.content.decode()


def test_wrong_state_is_refused(browser, person):
    authorize = browser.go_to_provider()
    back = browser.pick_person(authorize, "aino")
    response = browser.django.get(with_query(back, state="forged-state"))
    assert response.status_code == 400
    assert 'data-testid="refused"' in response.content.decode()
    assert_not_logged_in(browser)
    assert AuditEvent.objects.get(action="portal.login.refused").details["step"] == "state"


def test_a_callback_without_a_started_login_is_refused(browser, person):
    response = browser.django.get("/portal/oidc/callback/?code=abc&state=def")
    assert response.status_code == 400
    assert_not_logged_in(browser)


def test_wrong_nonce_is_refused(browser, person):
    # The nonce in the request is changed on the way (as an attacker replaying another login would):
    # the provider puts it in the ID token, which then does not match the session's.
    authorize = with_query(browser.go_to_provider(), nonce="someone-elses-nonce")
    response = browser.django.get(browser.pick_person(authorize, "aino"))
    assert response.status_code == 400
    assert_not_logged_in(browser)
    assert AuditEvent.objects.get(action="portal.login.refused").details["step"] == "nonce"


def test_a_used_code_is_refused(browser, person):
    authorize = browser.go_to_provider()
    back = browser.pick_person(authorize, "aino")
    assert browser.django.get(back)["Location"] == "/portal/home/"
    # The same answer again (a replayed or leaked code): the session's attempt is gone.
    second = browser.__class__()
    second.go_to_provider()
    state = parse_qs(urlparse(back).query)["state"][0]
    session = second.django.session
    attempt = session["polku_portal_login"]
    attempt["state"] = state
    session["polku_portal_login"] = attempt
    session.save()
    response = second.django.get(back)
    assert response.status_code == 400
    assert 'data-testid="refused-expired"' in response.content.decode()
    assert AuditEvent.objects.get(action="portal.login.refused").details["step"] == "code_refused"


def test_an_expired_login_is_refused(browser, person, settings):
    authorize = browser.go_to_provider()
    back = browser.pick_person(authorize, "aino")
    settings.POLKU_PORTAL_LOGIN_SECONDS = -1  # the attempt is older than a login may take
    response = browser.django.get(back)
    assert response.status_code == 400
    assert 'data-testid="refused-expired"' in response.content.decode()
    assert_not_logged_in(browser)


def test_an_unknown_person_gets_a_plain_page_and_nothing_is_created(browser, provider, worker, caplog):
    code = synthetic_identity_code(12)
    provider.add_person("stranger", code)
    clients_before = Client.objects.count()
    caplog.set_level(logging.DEBUG)
    response = browser.log_in("stranger")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="not-a-client"' in page and code not in page
    assert Client.objects.count() == clients_before
    assert_not_logged_in(browser)
    event = AuditEvent.objects.get(action="portal.login.not_a_client")
    assert event.client_id is None and code not in str(event.details)
    assert code not in caplog.text


def test_a_tampered_signature_is_refused(browser, person, strict_provider):
    strict_provider.tamper_signature = True
    response = browser.log_in("aino")
    assert response.status_code == 400
    assert 'data-testid="refused"' in response.content.decode()
    assert_not_logged_in(browser)
    assert AuditEvent.objects.get(action="portal.login.refused").details["step"] == "id_token_signature"


def test_private_key_jwt_signed_request_and_encrypted_id_token(browser, person, strict_provider, settings):
    settings.POLKU_PORTAL_OIDC_CLIENT_AUTH = "private_key_jwt"
    settings.POLKU_PORTAL_OIDC_SIGNED_REQUEST = True
    settings.POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN = True
    strict_provider.require_assertion = strict_provider.require_request_object = True
    strict_provider.encrypt = True
    response = browser.log_in("aino")
    assert response.status_code == 302 and response["Location"] == "/portal/home/"
    assert strict_provider.seen_assertions[0]["iss"] == "polku-test"
    request_object = strict_provider.seen_request_objects[0]
    assert request_object["code_challenge_method"] == "S256" and request_object["nonce"]


def test_an_unencrypted_id_token_is_refused_when_encryption_is_required(
    browser, person, strict_provider, settings
):
    settings.POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN = True
    response = browser.log_in("aino")
    assert response.status_code == 400
    assert AuditEvent.objects.get(action="portal.login.refused").details["step"] == "id_token_not_encrypted"


def test_a_wrong_client_assertion_key_is_refused_by_the_provider(browser, person, strict_provider, settings):
    import json

    from tests.portal.conftest import make_keys

    settings.POLKU_PORTAL_OIDC_CLIENT_AUTH = "private_key_jwt"
    strict_provider.require_assertion = True
    settings.POLKU_PORTAL_OIDC_KEYS = json.dumps(make_keys())  # not the keys the provider knows
    response = browser.log_in("aino")
    assert response.status_code == 400
    assert_not_logged_in(browser)


def test_jwks_publishes_only_public_keys(browser, polku_keys):
    keys = browser.django.get("/portal/oidc/jwks.json").json()["keys"]
    assert {key["kid"] for key in keys} == {"polku-sig", "polku-enc"}
    assert all("d" not in key and "p" not in key for key in keys)


def test_logout_ends_the_provider_session_too(browser, person, provider):
    browser.log_in("aino")
    response = browser.django.post("/portal/logout/")
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{provider.issuer}/oauth2/end_session?")
    query = parse_qs(urlparse(end_session).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/portal/logged-out/"]
    assert "id_token_hint" not in query  # a plain ID token holds the identity code
    assert httpx.get(end_session).status_code == 200  # the provider's confirmation
    assert_not_logged_in(browser)
    assert AuditEvent.objects.filter(action="portal.logout").count() == 1


def test_a_client_session_reaches_no_staff_page(browser, person):
    browser.log_in("aino")
    client, _ = person
    for url in (
        "/",
        "/caseload/",
        f"/clients/{client.public_id}/",
        "/admin/",
        "/accounts/login/",
        "/api/v1/",
    ):
        assert browser.django.get(url).status_code == 404, url
    assert browser.django.get("/portal/home/").status_code == 200


def test_an_idle_client_session_ends(browser, person, settings):
    browser.log_in("aino")
    settings.POLKU_PORTAL_IDLE_SECONDS = -1
    response = browser.django.get("/portal/home/")
    assert response["Location"] == "/portal/session-ended/"
    assert CLIENT_KEY not in browser.django.session
    assert 'data-testid="session-ended"' in browser.django.get(response["Location"]).content.decode()


def test_a_staff_login_ends_when_a_client_logs_in(worker, person, provider):
    from tests.conftest import client_as
    from tests.portal.conftest import Browser

    staff = Browser()
    staff.django = client_as(worker)
    assert staff.django.get("/caseload/").status_code == 200
    staff.log_in("aino")
    assert staff.django.get("/caseload/").status_code == 404
