"""The mechanism that answers "may this membership do this action on this object".

Deny by default: an action nobody has written a rule for is refused, and so is everything for a user
without an active membership. Each app decides its own actions in its `rules.py` with
`@rule("action")` (`placements/rules.py` decides `placement.*`); `AccountsConfig.ready` imports every
app's `rules` module, and `manage.py rules` lists which function decides each action. This module
holds only the mechanism and the rules that belong to no domain (the workspace, the admin, the API).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404

from polku.accounts.models import Membership, Role

if TYPE_CHECKING:
    from polku.accounts.models import User

Rule = Callable[[Membership, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        if action in _RULES:
            raise RuntimeError(f"Permission rule {action!r} is defined twice.")
        _RULES[action] = check
        return check

    return register


def known_actions() -> list[str]:
    return sorted(_RULES)


def deciders() -> dict[str, Rule]:
    """Every known action and the function that decides it (for `manage.py rules`)."""
    return dict(sorted(_RULES.items()))


_decided: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("polku_decided", default=None)


@contextmanager
def decided_once() -> Iterator[None]:
    """Within the block (or the decorated view), each fact about a viewer and a client or case is read
    from the database once: a page that asks several rules about the same client (may view, edit,
    export, record a contact) pays for each fact once, and the facts about the viewer and one client
    are read together (`clients.access.ClientFacts`). Only for pages that change no access on the way:
    an answer stays as it was first read until the block ends."""
    token = _decided.set({})
    try:
        yield
    finally:
        _decided.reset(token)


def deciding_once() -> bool:
    """Whether the caller runs within `decided_once`, where facts read together are remembered."""
    return _decided.get() is not None


def remembered(key: tuple[Any, ...], read: Callable[[], Any]) -> Any:
    """`read()`, read once per key within `decided_once`; outside it, read every time."""
    decided = _decided.get()
    if decided is None:
        return read()
    if key not in decided:
        decided[key] = read()
    return decided[key]


def once(key: tuple[Any, ...], decide: Callable[[], bool]) -> bool:
    """A yes-or-no fact, decided once per key within `decided_once`."""
    return bool(remembered(key, decide))


def can(membership: Membership | None, action: str, obj: Any = None) -> bool:
    # Whether the membership is in force today, read once a request (`remembered`): a client overview
    # asks `can` about twenty times.
    if membership is None or not once(("membership_active", membership.pk), membership.is_active_on):
        return False
    check = _RULES.get(action)
    if check is None:
        return False
    return bool(check(membership, obj))


def require(membership: Membership | None, action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Return quietly when allowed; otherwise audit the refusal and raise.

    `hide=True` answers 404 instead of 403, for objects the user may not know exist.
    """
    if can(membership, action, obj):
        return
    refuse(membership, action, obj, hide=hide)


def refuse(actor: Membership | User | None, action: str, obj: Any = None, *, hide: bool = False) -> NoReturn:
    """Audit the refusal and raise. The audit event survives the rollback of any open transaction."""
    from polku.audit import basis
    from polku.audit.services import record_despite_rollback

    error: Exception = Http404() if hide else PermissionDenied()
    record_despite_rollback(
        error,
        actor,
        "permission.refused",
        obj,
        client=client_in(obj),
        details={"action": action},
        basis=basis.refused(action),
    )
    raise error


# The client a refused object is about, so that the refusal shows in the client's access report. The
# clients app, which knows what a client is, registers the finder (`ClientsConfig.ready`); accounts sits
# below it and does not import it.
ClientFinder = Callable[[Any], Any]
_client_finders: list[ClientFinder] = []


def find_clients_with(finder: ClientFinder) -> None:
    """Register the function that returns the client an object is about (or None)."""
    if finder not in _client_finders:
        _client_finders.append(finder)


def client_in(obj: Any) -> Any:
    """The client whose data a refused request was about, or None."""
    if obj is None:
        return None
    for finder in _client_finders:
        client = finder(obj)
        if client is not None:
            return client
    return None


def is_administrator(user: User) -> bool:
    """Whether the user holds an active administrator membership (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.holds_administrator_membership


def must_use_mfa(user: User) -> bool:
    """Staff (anyone with a membership, current or not) must use two-factor authentication."""
    return user.is_authenticated and user.memberships.exists()


# --- Rules of no domain ----------------------------------------------------------------------------


@rule("workspace.view")
def workspace_view(membership: Membership, obj: Any) -> bool:
    # An external work trial host sees only the feedback form sent to them (ARCHITECTURE.md, Roles).
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("admin.access")
def admin_access(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("api.use")
def api_use(membership: Membership, obj: Any) -> bool:
    return not membership.has_role(Role.WORK_TRIAL_HOST)
