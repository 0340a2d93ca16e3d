"""Logging in and out with email and password (allauth), the per-address limit, password reset, no signup.
Failed passwords for one account: test_login_throttle.py."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.core import mail
from django.test import Client

from polku.accounts.models import User
from polku.audit.models import AuditEvent
from tests import totp
from tests.factories import PASSWORD, make_membership, make_user

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOGIN = "/accounts/login/"
CASELOAD = "/caseload/"
MFA_STAGE = "/accounts/2fa/authenticate/"
WRONG_PASSWORD = "not-the-password-at-all-99"
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def totp_code(user: User) -> str:
    """The code the user's authenticator app shows now (waiting out the last seconds of a period)."""
    secret = decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return totp.code(secret)


def log_in(client: Client, user: User, password: str = PASSWORD):
    """Password, then the authenticator code when asked for it; returns the last response."""
    response = client.post(LOGIN, {"login": user.email, "password": password}, **EN)
    if response.status_code == 302 and response.url == MFA_STAGE:
        response = client.post(MFA_STAGE, {"code": totp_code(user)}, **EN)
    return response


def is_logged_in(client: Client) -> bool:
    return AUTH_SESSION_KEY in client.session


@pytest.fixture
def staff(worker) -> User:
    return worker.user


def test_the_login_page_asks_for_email_and_password(db):
    response = Client().get(LOGIN, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Log in to Polku" in page
    assert 'name="login"' in page
    assert 'name="password"' in page


def test_a_correct_login_takes_a_personal_worker_to_their_caseload_and_is_audited(staff):
    client = Client()
    response = log_in(client, staff)
    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(client)
    home = client.get("/", follow=True, **EN)
    assert home.redirect_chain == [(CASELOAD, 302)]
    assert home.status_code == 200
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == staff
    assert event.actor_label == staff.email


def test_the_email_is_not_case_sensitive(staff):
    client = Client()
    response = client.post(LOGIN, {"login": staff.email.upper(), "password": PASSWORD}, **EN)
    assert response.status_code == 302
    assert response.url == MFA_STAGE


def test_a_wrong_password_shows_an_error_and_is_audited_without_the_password(staff):
    client = Client()
    response = client.post(LOGIN, {"login": staff.email, "password": WRONG_PASSWORD}, **EN)
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert not is_logged_in(client)

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.details == {"email": staff.email}
    assert event.actor is None
    stored = str(event.details) + event.reason + event.object_id + event.actor_label
    assert WRONG_PASSWORD not in stored
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_login_with_an_unknown_email_shows_the_same_error(db):
    response = Client().post(LOGIN, {"login": "nobody@test.polku.example", "password": WRONG_PASSWORD}, **EN)
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()


def test_an_identity_code_typed_into_the_email_field_is_stored_masked(db):
    code = "010190-900P"  # synthetic: individual numbers 900-999 are never given to real people
    Client().post(LOGIN, {"login": code, "password": WRONG_PASSWORD}, **EN)
    Client().post(LOGIN, {"login": f"{code}@test.polku.example", "password": WRONG_PASSWORD}, **EN)
    stored = [str(event.details) for event in AuditEvent.objects.filter(action="auth.login_failed")]
    assert stored
    assert all(code not in details for details in stored)


def test_twenty_failed_attempts_from_one_address_lock_out_further_logins_from_it(staff):
    for n in range(20):
        Client().post(LOGIN, {"login": f"guess{n}@test.polku.example", "password": WRONG_PASSWORD})
    client = Client()
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert not is_logged_in(client)
    elsewhere = Client(REMOTE_ADDR="198.51.100.77")
    assert elsewhere.post(LOGIN, {"login": staff.email, "password": PASSWORD}).url == MFA_STAGE


def test_the_failed_login_limit_is_per_account(staff, colleague):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"login": staff.email, "password": WRONG_PASSWORD})
    response = log_in(Client(), colleague.user)
    assert response.status_code == 302
    assert response.url == "/"


def test_four_failed_attempts_do_not_lock_the_account(staff):
    client = Client()
    for _ in range(4):
        client.post(LOGIN, {"login": staff.email, "password": WRONG_PASSWORD})
    response = log_in(client, staff)
    assert response.status_code == 302
    assert response.url == "/"


def test_logging_out_ends_the_session_and_is_audited(staff):
    client = Client()
    log_in(client, staff)
    assert client.get(CASELOAD).status_code == 200

    response = client.post("/accounts/logout/", **EN)
    assert response.status_code == 302
    assert response.url == LOGIN
    assert not is_logged_in(client)
    home = client.get("/")
    assert home.status_code == 302
    assert home.url.startswith(LOGIN)
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor == staff


def test_an_inactive_user_cannot_log_in(db):
    user = make_user(is_active=False)
    make_membership(user=user)
    client = Client()
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD}, **EN)
    assert response.status_code == 302
    assert response.url == "/accounts/inactive/"
    assert not is_logged_in(client)
    assert client.get("/").url.startswith(LOGIN)
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_password_reset_by_email_lets_the_user_log_in_with_the_new_password(staff):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": staff.email}, **EN)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.email]
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    response = client.get(link, **EN)
    # allauth moves the key from the address into the session before showing the form.
    assert response.status_code == 302
    link = response.url
    assert link.endswith("-set-password/")
    response = client.get(link, **EN)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()

    new_password = "uusi-salasana-kesakuu-2025"
    response = client.post(link, {"password1": new_password, "password2": new_password}, **EN)
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/key/done/"

    staff.refresh_from_db()
    assert staff.check_password(new_password)
    assert not staff.check_password(PASSWORD)
    fresh = Client()
    response = fresh.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert MISMATCH in response.content.decode()
    response = log_in(fresh, staff, new_password)
    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(fresh)


def test_a_password_reset_link_works_only_once(staff):
    client = Client()
    client.post("/accounts/password/reset/", {"email": staff.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    new_password = "uusi-salasana-kesakuu-2025"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.url == "/accounts/password/reset/key/done/"

    again = Client().get(link, follow=True, **EN)
    assert again.status_code == 200
    assert 'name="password1"' not in again.content.decode()


def test_a_password_reset_for_an_unknown_email_sends_no_mail_and_reveals_nothing(db):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@test.polku.example"}, **EN)
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"
    assert mail.outbox == []


def test_signup_is_closed(db):
    before = User.objects.count()
    client = Client()
    page = client.get("/accounts/signup/", **EN).content.decode()
    assert "Sign Up Closed" in page
    assert 'name="password1"' not in page
    client.post(
        "/accounts/signup/",
        {
            "email": "new@test.polku.example",
            "password1": "pitka-salasana-2025",
            "password2": "pitka-salasana-2025",
        },
        **EN,
    )
    assert User.objects.count() == before
    assert not User.objects.filter(email="new@test.polku.example").exists()
    assert not is_logged_in(client)
