"""Two-factor authentication: staff must set up an authenticator app; logging in asks for its code."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.test import Client
from django.urls import reverse

from polku.accounts.models import Role, User
from polku.audit.models import AuditEvent
from tests import totp
from tests.factories import PASSWORD, make_membership, make_unit, make_user

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOGIN = "/accounts/login/"
MFA_STAGE = "/accounts/2fa/authenticate/"
ACTIVATE = reverse("mfa_activate_totp")


def code_for(secret: str, shift: int = 0) -> str:
    """The code an authenticator app shows now (waiting out the last seconds of a period)."""
    if shift == 0 and 30 - time.time() % 30 < 2:
        time.sleep(2)
    return totp.code(secret, shift=shift)


def wrong_code_for(secret: str) -> str:
    valid = {code_for(secret, shift) for shift in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "123456", "999999") if code not in valid)


def secret_of(user: User) -> str:
    return decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


def is_logged_in(client: Client) -> bool:
    return AUTH_SESSION_KEY in client.session


@pytest.fixture
def newcomer(oulu) -> User:
    """An administrator who has not set up two-factor authentication yet."""
    user = make_user(with_totp=False)
    make_membership(user=user, unit=make_unit(organisation=oulu, name="Ylläpito"), role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def newcomer_client(newcomer) -> Client:
    client = Client()
    response = client.post(LOGIN, {"login": newcomer.email, "password": PASSWORD}, **EN)
    assert response.status_code == 302
    assert response.url == "/"
    return client


def test_staff_without_an_authenticator_are_sent_to_set_one_up(newcomer_client):
    response = newcomer_client.get("/", **EN)
    assert response.status_code == 302
    assert response.url == ACTIVATE


def test_right_after_login_the_set_up_page_shows_the_code_form(newcomer_client):
    response = newcomer_client.get(ACTIVATE, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page
    assert "Authenticator secret" in page


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/organisation/", "/role/"])
def test_staff_without_an_authenticator_cannot_reach_other_pages(newcomer_client, path):
    response = newcomer_client.get(path, **EN)
    assert response.status_code == 302
    assert response.url == ACTIVATE


def test_staff_without_an_authenticator_get_a_json_refusal_from_the_api(newcomer_client):
    response = newcomer_client.get("/api/v1/me/", **EN)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Set up two-factor authentication before using Polku."}


def test_staff_without_an_authenticator_can_still_log_out(newcomer_client, newcomer):
    response = newcomer_client.post("/accounts/logout/", **EN)
    assert response.status_code == 302
    assert response.url == LOGIN
    assert not is_logged_in(newcomer_client)
    assert AuditEvent.objects.filter(action="auth.logout", actor=newcomer).exists()


def test_staff_without_an_authenticator_can_still_change_the_language(newcomer_client):
    response = newcomer_client.post("/i18n/setlang/", {"language": "sv", "next": ACTIVATE})
    assert response.status_code == 302
    assert response.url == ACTIVATE


def test_after_activating_an_authenticator_the_workspace_opens(
    newcomer_client, newcomer, django_capture_on_commit_callbacks
):
    page = newcomer_client.get(ACTIVATE, **EN)
    assert page.status_code == 200
    secret = totp.secret_on_page(page.content.decode())  # for typing in when the QR code cannot be scanned

    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        response = newcomer_client.post(ACTIVATE, {"code": code_for(secret)}, **EN)
    assert response.status_code == 302
    assert response.url in (reverse("mfa_view_recovery_codes"), reverse("mfa_index"))
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action="mfa.added", actor=newcomer, details__type="totp").exists()

    home = newcomer_client.get("/", **EN)
    assert home.status_code == 200
    assert newcomer_client.get("/admin/", **EN).status_code == 200


def test_a_wrong_code_does_not_activate_the_authenticator(newcomer_client, newcomer):
    secret = totp.secret_on_page(newcomer_client.get(ACTIVATE, **EN).content.decode())
    response = newcomer_client.post(ACTIVATE, {"code": wrong_code_for(secret)}, **EN)
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=newcomer).exists()
    assert newcomer_client.get("/").url == ACTIVATE


@pytest.fixture
def staff(worker) -> User:
    return worker.user


def test_a_user_with_an_authenticator_is_asked_for_the_code_after_the_password(staff):
    client = Client()
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert response.status_code == 302
    assert response.url == MFA_STAGE
    assert not is_logged_in(client)
    assert not AuditEvent.objects.filter(action="auth.login").exists()

    page = client.get(MFA_STAGE, **EN)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()

    home = client.get("/")
    assert home.status_code == 302
    assert home.url.startswith(LOGIN)


def test_the_correct_code_completes_the_login(staff):
    client = Client()
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    response = client.post(MFA_STAGE, {"code": code_for(secret_of(staff))}, **EN)
    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(client)
    home = client.get("/", follow=True, **EN)
    assert home.redirect_chain == [("/caseload/", 302)]  # the staff user is a personal worker
    assert home.status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=staff).count() == 1


def test_a_wrong_code_is_refused_and_the_user_stays_logged_out(staff):
    client = Client()
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    response = client.post(MFA_STAGE, {"code": wrong_code_for(secret_of(staff))}, **EN)
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not is_logged_in(client)
    assert client.get("/").url.startswith(LOGIN)
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_the_code_page_cannot_be_used_without_the_password_first(staff):
    client = Client()
    response = client.post(MFA_STAGE, {"code": code_for(secret_of(staff))}, **EN)
    assert not is_logged_in(client)
    assert response.status_code in (302, 200)
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_used_code_cannot_be_used_again(staff):
    code = code_for(secret_of(staff))
    first = Client()
    first.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert first.post(MFA_STAGE, {"code": code}).url == "/"

    second = Client()
    second.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    response = second.post(MFA_STAGE, {"code": code}, **EN)
    assert response.status_code == 200
    assert not is_logged_in(second)


def test_without_require_mfa_staff_without_an_authenticator_are_not_redirected(settings, newcomer_client):
    settings.REQUIRE_MFA = False
    response = newcomer_client.get("/", **EN)
    assert response.status_code == 200
    assert newcomer_client.get("/api/v1/me/").status_code == 200


def test_a_user_without_any_membership_is_not_forced_to_set_up_an_authenticator(db):
    user = make_user(with_totp=False)
    client = Client()
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/role/")


def test_a_wrong_code_is_audited_without_the_code(staff):
    client = Client()
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    wrong = wrong_code_for(secret_of(staff))

    client.post(MFA_STAGE, {"code": wrong}, **EN)
    client.post(MFA_STAGE, {"code": wrong}, **EN)

    events = list(AuditEvent.objects.filter(action="auth.mfa_failed"))
    assert len(events) == 2
    assert all(event.actor == staff for event in events)
    assert events[0].details == {"type": "totp", "reauthentication": False}
    assert all(wrong not in str(event.details) + event.reason + event.object_id for event in events)


def test_the_right_code_is_not_audited_as_a_failure(staff):
    client = Client()
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    client.post(MFA_STAGE, {"code": code_for(secret_of(staff))}, **EN)
    assert is_logged_in(client)
    assert not AuditEvent.objects.filter(action="auth.mfa_failed").exists()


def log_in_with_code(user: User) -> Client:
    client = Client()
    client.post(LOGIN, {"login": user.email, "password": PASSWORD}, **EN)
    assert client.post(MFA_STAGE, {"code": code_for(secret_of(user))}, **EN).url == "/"
    return client


def test_removing_ones_own_authenticator_ends_the_sessions_on_every_device(staff):
    totp.activate_recovery_codes(staff)  # allauth removes these with the app
    laptop = Client()
    laptop.force_login(staff)
    assert laptop.get("/workspace/").status_code == 200
    phone = log_in_with_code(staff)

    response = phone.post(reverse("mfa_deactivate_totp"), **EN)
    assert response.url.startswith("/accounts/reauthenticate/")
    # allauth carries out the removal once the password has been typed again.
    response = phone.post(response.url, {"password": PASSWORD}, **EN)

    assert response.url == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    for device in (laptop, phone):
        assert device.get("/workspace/").url.startswith(LOGIN)
    assert AuditEvent.objects.filter(action="mfa.removed", actor=staff).exists()
    assert not Authenticator.objects.filter(user=staff).exists()
    ended = AuditEvent.objects.filter(action="auth.sessions_ended", object_id=str(staff.public_id))
    assert ended.count() == 1

    # Logging in again works, and asks for a new authenticator before anything else.
    again = Client()
    response = again.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert response.url == "/"
    assert again.get("/workspace/").url == ACTIVATE
