"""Sessions with an idle timeout that does not cost a database write on every request.

Saving every session on every request (`SESSION_SAVE_EVERY_REQUEST`) keeps the expiry exactly
`SESSION_COOKIE_AGE` after the last request, but makes every page view an UPDATE and a commit that
waits for the disk: a quarter of a page's cost in the load benchmark (bench/README.md). Here the
store remembers the expiry it read, and `SessionTouchMiddleware` marks the session for saving only
when that expiry was last pushed on more than `SESSION_TOUCH_SECONDS` ago. The idle timeout is then
between `SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS` and `SESSION_COOKIE_AGE`.

`end_all_sessions` ends every session of a user without finding them in the store (sessions carry no
user column, and may live in Redis instead of the database): it changes the user's session hash,
which Django compares with the one each session stored at login, on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from polku.accounts.models import User


class SessionStore(DatabaseSessionStore):
    stored_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        # Django's own read, keeping the expiry it finds (expiry_is_stale).
        stored = (
            Session.objects.filter(session_key=self.session_key, expire_date__gt=timezone.now()).first()
            if self.session_key
            else None
        )
        if stored is None:
            self._session_key = None
        self.stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def expiry_is_stale(self) -> bool:
        """Whether the stored expiry was set longer ago than the touch interval (or never read)."""
        self._get_session()  # type: ignore[attr-defined]  # reads the stored session (and its expiry) unless already read
        if not self.session_key or self.stored_expiry is None:
            return False
        pushed_on_at = self.stored_expiry - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        return timezone.now() - pushed_on_at >= timedelta(seconds=settings.SESSION_TOUCH_SECONDS)


class SessionTouchMiddleware:
    """Pushes a session's expiry on when it has gone stale (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only a session the request has read: /healthz/ and static files never load one.
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and session.accessed and not session.modified:
            session.modified = session.expiry_is_stale()
        return response


def end_all_sessions(*, user: User) -> None:
    """End every session of the user, the one making this request included: each is emptied at its
    next request (`django.contrib.auth.get_user` finds its stored hash no longer matching) and the
    user has to log in again."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
