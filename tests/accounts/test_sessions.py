"""Idle session timeout: a session lives SESSION_IDLE_MINUTES after the last request, then ends."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from polku.accounts.sessions import TOUCHED_KEY
from tests.conftest import client_as

WORKSPACE = "/workspace/"


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def last_pushed(client, *, expiry) -> None:
    """As if the session's expiry had last been pushed on so that it now stands at `expiry`: time
    passes for the stored expiry and for the session's own note of when it pushed it."""
    session = client.session
    session[TOUCHED_KEY] = int((expiry - timedelta(seconds=settings.SESSION_COOKIE_AGE)).timestamp())
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=expiry)


def test_the_session_age_is_the_idle_timeout():
    assert int(os.environ.get("POLKU_SESSION_IDLE_MINUTES") or 30) == settings.SESSION_IDLE_MINUTES
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def test_the_default_idle_timeout_is_thirty_minutes():
    if os.environ.get("POLKU_SESSION_IDLE_MINUTES"):
        pytest.skip("POLKU_SESSION_IDLE_MINUTES is set in this environment")
    assert settings.SESSION_COOKIE_AGE == 1800


def test_the_session_ends_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_an_idle_session_past_its_expiry_sends_the_user_to_log_in(worker):
    client = client_as(worker)
    assert client.get(WORKSPACE).status_code == 200

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(WORKSPACE)
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/workspace/"


def test_an_idle_session_past_its_expiry_gets_no_answer_from_the_api(worker):
    client = client_as(worker)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=5)
    )
    assert client.get("/api/v1/me/").status_code == 403


def test_each_request_pushes_the_expiry_forward(worker):
    client = client_as(worker)
    soon = timezone.now() + timedelta(minutes=2)
    last_pushed(client, expiry=soon)

    before = timezone.now()
    assert client.get(WORKSPACE).status_code == 200
    expiry = stored_session(client).expire_date
    assert expiry > soon
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert before + idle - timedelta(seconds=5) <= expiry <= timezone.now() + idle


def test_a_session_used_just_before_its_expiry_stays_alive(worker):
    client = client_as(worker)
    last_pushed(client, expiry=timezone.now() + timedelta(seconds=30))
    assert client.get(WORKSPACE).status_code == 200
    assert client.get(WORKSPACE).status_code == 200
    assert stored_session(client).expire_date > timezone.now() + timedelta(minutes=1)


def test_requests_within_the_touch_interval_write_no_session(worker):
    client = client_as(worker)
    assert client.get(WORKSPACE).status_code == 200
    expiry = stored_session(client).expire_date
    last_pushed(client, expiry=expiry - timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 10))
    assert client.get(WORKSPACE).status_code == 200
    assert stored_session(client).expire_date == expiry - timedelta(
        seconds=settings.SESSION_TOUCH_SECONDS - 10
    )


def test_a_request_after_the_touch_interval_pushes_the_expiry_on(worker):
    client = client_as(worker)
    assert client.get(WORKSPACE).status_code == 200
    stale = timezone.now() + timedelta(
        seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS - 1
    )
    last_pushed(client, expiry=stale)
    assert client.get(WORKSPACE).status_code == 200
    assert stored_session(client).expire_date > stale + timedelta(seconds=settings.SESSION_TOUCH_SECONDS)
