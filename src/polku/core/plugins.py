"""How an app adds to other apps: one call, `contribute(self, ...)`, from its own `AppConfig.ready()`.

An app that offers an extension point (a panel on the client overview, a timeline kind, a label in the
access report) defines a frozen dataclass for it with a `key`; an app that uses the point passes
instances of it here; the owning app reads its own kind back with `contributions(Kind)` or
`contribution(Kind, key)`. Nothing is registered at import time and no app edits another app's dict.

This module imports no Polku app: every app may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class Contribution(Protocol):
    """Anything an app contributes: its `key` is unique among the contributions of its kind (its type)."""

    @property
    def key(self) -> str: ...


C = TypeVar("C", bound=Contribution)

# kind -> key -> (the contributing app's label, the contribution), in the order they were contributed.
_contributed: dict[type, dict[str, tuple[str, Any]]] = {}


def contribute(app_config: AppConfig, *contributions: Contribution) -> None:
    """Store what `app_config`'s app adds to other apps. Calling it again for the same app and key
    replaces the earlier contribution (`ready()` may run more than once); the same key from another app
    is an error at start-up, since one of the two would silently lose."""
    for contribution in contributions:
        of_kind = _contributed.setdefault(type(contribution), {})
        earlier = of_kind.get(contribution.key)
        if earlier is not None and earlier[0] != app_config.label:
            raise ImproperlyConfigured(
                f"{type(contribution).__name__} {contribution.key!r} is contributed by both "
                f"{earlier[0]!r} and {app_config.label!r}."
            )
        of_kind[contribution.key] = (app_config.label, contribution)


def contributions(kind: type[C]) -> list[C]:
    """Every contribution of this kind, in the order the apps made them (INSTALLED_APPS order)."""
    return [contribution for _, contribution in _contributed.get(kind, {}).values()]


def contribution(kind: type[C], key: str) -> C | None:
    """The contribution of this kind with this key, if an app made one."""
    found = _contributed.get(kind, {}).get(key)
    return found[1] if found is not None else None


def contributor(kind: type, key: str) -> str | None:
    """The label of the app that contributed this key, if any."""
    found = _contributed.get(kind, {}).get(key)
    return found[0] if found is not None else None


@contextmanager
def kept() -> Iterator[None]:
    """Within the block, contributions may be added freely; at its end the registry is as it was before
    (tests that add a panel or a flag of their own)."""
    saved = {kind: dict(of_kind) for kind, of_kind in _contributed.items()}
    try:
        yield
    finally:
        _contributed.clear()
        _contributed.update(saved)
