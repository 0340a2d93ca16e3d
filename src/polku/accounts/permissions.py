"""The one place that answers "may this membership do this action on this object".

Deny by default: an action nobody has written a rule for is refused, and so is everything for a user
without an active membership. Later apps add their rules here with `@rule("action")`, next to the
ones that already exist, so that every access decision in Polku can be read in one file.
"""

from __future__ import annotations

from collections.abc import Callable
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


def can(membership: Membership | None, action: str, obj: Any = None) -> bool:
    if membership is None or not membership.is_active_on():
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
    from polku.audit.services import record_despite_rollback

    error: Exception = Http404() if hide else PermissionDenied()
    record_despite_rollback(error, actor, "permission.refused", obj, details={"action": action})
    raise error


def is_administrator(user: User) -> bool:
    """Whether the user holds an active administrator membership (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached: bool | None = getattr(user, "_polku_is_administrator", None)
    if cached is None:
        cached = user.active_memberships().filter(role=Role.ADMINISTRATOR).exists()
        user._polku_is_administrator = cached  # type: ignore[attr-defined]
    return cached


def must_use_mfa(user: User) -> bool:
    """Staff (anyone with a membership, current or not) must use two-factor authentication."""
    return user.is_authenticated and user.memberships.exists()


# --- Rules -------------------------------------------------------------------------------------------


@rule("workspace.view")
def _workspace_view(membership: Membership, obj: Any) -> bool:
    # An external work trial host sees only the feedback form sent to them (ARCHITECTURE.md, Roles).
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("admin.access")
def _admin_access(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("api.use")
def _api_use(membership: Membership, obj: Any) -> bool:
    return not membership.has_role(Role.WORK_TRIAL_HOST)
