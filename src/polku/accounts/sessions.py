"""Sessions with an idle timeout that does not cost a database write on every request.

Saving every session on every request (`SESSION_SAVE_EVERY_REQUEST`) keeps the expiry exactly
`SESSION_COOKIE_AGE` after the last request, but makes every page view an UPDATE and a commit that
waits for the disk: a quarter of a page's cost in the load benchmark. Instead the session remembers,
in its own data, when it was last saved for its expiry (`TOUCHED_KEY`, Unix seconds), and
`SessionTouchMiddleware` saves it again only when that was more than `SESSION_TOUCH_SECONDS` ago; a
save pushes the stored expiry to `SESSION_COOKIE_AGE` from now. The idle timeout is then between
`SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS` and `SESSION_COOKIE_AGE`. Only public session API is used,
so any session backend works (the database one is configured).

`end_all_sessions` ends every session of a user without finding them in the store (sessions carry no
user column, and may live in Redis instead of the database): it changes the user's session hash,
which Django compares with the one each session stored at login, on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from polku.accounts.models import User

TOUCHED_KEY = "polku_touched_at"


class SessionTouchMiddleware:
    """Pushes a session's expiry on when it was last pushed too long ago (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only a session the request has read and that holds something: /healthz/ and static files never
        # load one, and an anonymous visitor's empty session is not to be created here.
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if session.modified:  # saved anyway: its expiry is pushed on now
            session[TOUCHED_KEY] = now
            return response
        touched = session.get(TOUCHED_KEY)
        if not isinstance(touched, int) or now - touched >= settings.SESSION_TOUCH_SECONDS:
            session[TOUCHED_KEY] = now  # marks it modified: SessionMiddleware saves it with a new expiry
        return response


def end_all_sessions(*, user: User) -> None:
    """End every session of the user, the one making this request included: each is emptied at its
    next request (`django.contrib.auth.get_user` finds its stored hash no longer matching) and the
    user has to log in again."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
