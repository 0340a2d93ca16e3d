"""Wrong passwords for one account slow the address they come from; they never lock the account's owner
out (accounts/README.md, "Failed logins")."""

import time

import pytest
from django.test import Client

from polku.audit.models import AuditEvent
from tests.accounts.test_login import (
    EN,
    LOGIN,
    MFA_STAGE,
    MISMATCH,
    TOO_MANY,
    WRONG_PASSWORD,
    is_logged_in,
    log_in,
)
from tests.factories import PASSWORD

GUESSER = "203.0.113.9"
OWNER = "198.51.100.7"
WAIT = "Too many failed logins to this account from here. Try again in"


@pytest.fixture
def staff(worker):
    return worker.user


@pytest.fixture
def clock(monkeypatch):
    """Moves time on for the throttle and the cache alike (both read time.time)."""
    real = time.time
    offset = [0.0]
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])

    def later(seconds: float) -> None:
        offset[0] += seconds

    return later


def guess(user, address: str, times: int = 1):
    response = None
    for _ in range(times):
        response = Client(REMOTE_ADDR=address).post(
            LOGIN, {"login": user.email, "password": WRONG_PASSWORD}, **EN
        )
    return response


def test_wrong_passwords_from_elsewhere_do_not_keep_the_owner_out(staff):
    guess(staff, GUESSER, times=12)

    client = Client(REMOTE_ADDR=OWNER)
    response = log_in(client, staff)

    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(client)


def test_below_the_accounts_limit_nobody_waits(staff):
    guess(staff, GUESSER, times=4)
    response = Client(REMOTE_ADDR=GUESSER).post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert response.url == MFA_STAGE
    assert not AuditEvent.objects.filter(action="auth.login_throttled").exists()


def test_past_the_accounts_limit_the_guessing_address_must_wait_even_with_the_right_password(staff):
    guess(staff, GUESSER, times=5)

    client = Client(REMOTE_ADDR=GUESSER)
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{WAIT} 4 minutes." in page  # 15 s doubled for each of its 5 failures after the first
    assert MISMATCH not in page
    assert not is_logged_in(client)
    assert client.session.get("account_login") is None
    event = AuditEvent.objects.get(action="auth.login_throttled")
    assert event.details == {"email": staff.email, "wait_seconds": 240}
    assert str(event.ip) == GUESSER
    assert PASSWORD not in str(event.details)


def test_a_waiting_address_has_its_password_left_unchecked(staff):
    guess(staff, GUESSER, times=5)
    failures = AuditEvent.objects.filter(action="auth.login_failed").count()
    guess(staff, GUESSER, times=3)
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == failures
    assert AuditEvent.objects.filter(action="auth.login_throttled").count() == 3


def test_after_its_wait_an_address_may_try_again_and_the_next_wait_is_twice_as_long(staff, clock):
    guess(staff, GUESSER, times=5)
    clock(241)

    response = guess(staff, GUESSER)
    assert MISMATCH in response.content.decode()
    assert f"{WAIT} 8 minutes." in guess(staff, GUESSER).content.decode()

    clock(481)
    client = Client(REMOTE_ADDR=GUESSER)
    assert log_in(client, staff).url == "/"


def test_waits_stop_growing_at_the_window(staff, clock):
    guess(staff, GUESSER, times=5)
    clock(241)
    guess(staff, GUESSER)
    clock(481)
    guess(staff, GUESSER)  # its seventh failure: 16 minutes, cut to the 15-minute window
    assert f"{WAIT} 15 minutes." in guess(staff, GUESSER).content.decode()


def test_the_owners_typo_while_under_attack_costs_seconds_not_minutes(staff, clock):
    guess(staff, GUESSER, times=8)

    response = guess(staff, OWNER)
    assert MISMATCH in response.content.decode()
    client = Client(REMOTE_ADDR=OWNER)
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert f"{WAIT} 15 seconds." in response.content.decode()

    clock(16)
    assert log_in(client, staff).url == "/"


def test_the_right_password_forgives_its_address_its_failures(staff, clock):
    guess(staff, GUESSER, times=5)
    guess(staff, OWNER, times=2)
    clock(31)
    assert log_in(Client(REMOTE_ADDR=OWNER), staff).url == "/"

    response = guess(staff, OWNER)
    assert MISMATCH in response.content.decode()
    blocked = Client(REMOTE_ADDR=OWNER).post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert f"{WAIT} 15 seconds." in blocked.content.decode()


def test_unknown_accounts_are_throttled_alike_so_the_wait_reveals_nothing(db):
    nobody = type("Nobody", (), {"email": "nobody@test.polku.example"})()
    guess(nobody, GUESSER, times=5)
    assert f"{WAIT} 4 minutes." in guess(nobody, GUESSER).content.decode()


def test_the_per_address_limit_still_refuses_everything_from_that_address(staff):
    for n in range(20):
        Client(REMOTE_ADDR=GUESSER).post(
            LOGIN, {"login": f"guess{n}@test.polku.example", "password": WRONG_PASSWORD}
        )
    response = Client(REMOTE_ADDR=GUESSER).post(LOGIN, {"login": staff.email, "password": PASSWORD}, **EN)
    assert TOO_MANY in response.content.decode()
    assert log_in(Client(REMOTE_ADDR=OWNER), staff).url == "/"


def test_five_wrong_codes_refuse_further_codes_for_the_user(staff):
    """Only someone who knows the password reaches the code; they get five guesses, not a million."""
    from tests.accounts.test_mfa import code_for, secret_of, wrong_code_for

    client = Client(REMOTE_ADDR=GUESSER)
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    wrong = wrong_code_for(secret_of(staff))
    for _ in range(5):
        client.post(MFA_STAGE, {"code": wrong})
    response = client.post(MFA_STAGE, {"code": code_for(secret_of(staff))}, **EN)
    assert not is_logged_in(client)
    assert TOO_MANY in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "Yritä uudelleen 4 minuutin kuluttua."), ("sv", "Försök igen om 4 minuter.")],
)
def test_the_wait_is_told_in_the_users_language(staff, language, expected):
    guess(staff, GUESSER, times=5)
    response = Client(REMOTE_ADDR=GUESSER).post(
        LOGIN, {"login": staff.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert expected in response.content.decode()
