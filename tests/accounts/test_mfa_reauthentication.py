"""First-time MFA set-up right after login does not ask the password again; later changes do."""

from django.test import Client

from tests.factories import PASSWORD, make_membership, make_user


def log_in_with_password(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_new_staff_member_goes_from_login_straight_to_authenticator_set_up(db):
    user = make_membership(user=make_user(with_totp=False)).user
    client = log_in_with_password(user)

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    assert "Authenticator secret" in response.content.decode()


def test_removing_an_existing_authenticator_still_asks_for_the_password(db):
    user = make_membership(user=make_user(with_totp=True)).user
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # the authenticator existed before this session began

    response = client.get("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")


def test_without_a_recent_password_login_set_up_asks_for_the_password(db):
    user = make_membership(user=make_user(with_totp=False)).user
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # no password login recorded in this session

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
