"""Where other apps add to the client pages without the clients app importing them: a panel on the
client overview and a flag on the personal worker's caseload. Apps register from AppConfig.ready, as
they do export sections (export.register_section)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from polku.accounts.models import Membership
from polku.clients.models import Case, Client

PanelContext = Callable[[Client, Case | None, Membership], dict[str, Any] | None]
CaseIds = Callable[[Membership, list[Case]], set[int]]


@dataclass(frozen=True)
class Panel:
    """A section of the client overview. `context(client, current_case, viewer)` reads what the viewer
    may see (scoped selectors only) and returns the template's context, or None to leave the panel out.
    The template gets it as `panel`."""

    key: str
    template: str
    context: PanelContext
    order: int


@dataclass(frozen=True)
class CaseloadFlag:
    """A flag on caseload rows. `case_ids(viewer, cases)` returns which of the page's cases carry it, in
    one query whatever the page size (the caseload's query count is pinned by tests)."""

    key: str
    label: Any
    case_ids: CaseIds
    alert: bool


_PANELS: dict[str, Panel] = {}
_FLAGS: dict[str, CaseloadFlag] = {}


def register_panel(key: str, *, template: str, context: PanelContext, order: int = 100) -> None:
    _PANELS[key] = Panel(key, template, context, order)


def register_caseload_flag(key: str, *, label: Any, case_ids: CaseIds, alert: bool = False) -> None:
    _FLAGS[key] = CaseloadFlag(key, label, case_ids, alert)


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    panel: dict[str, Any]


def panels_for(client: Client, current: Case | None, *, viewer: Membership) -> list[RenderedPanel]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(client, current, viewer)
        if context is not None:
            rendered.append(RenderedPanel(panel.key, panel.template, context))
    return rendered


def flags_for(cases: list[Case], *, viewer: Membership) -> dict[int, list[CaseloadFlag]]:
    """Each case's registered flags, by case id. Nothing is asked when the page is empty."""
    flagged: dict[int, list[CaseloadFlag]] = {}
    if not cases:
        return flagged
    for flag in _FLAGS.values():
        for case_id in flag.case_ids(viewer, cases):
            flagged.setdefault(case_id, []).append(flag)
    return flagged
