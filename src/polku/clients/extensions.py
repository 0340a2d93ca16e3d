"""Where other apps add to the client pages without the clients app importing them: a panel on the
client overview and a flag on the personal worker's caseload. An app contributes them from its own
`AppConfig.ready()` (`polku.core.plugins.contribute(self, Panel(...), CaseloadFlag(...))`).

Also the clients' anonymous answers on the service (`FeedbackSource`): the portal, which stores them,
contributes one, and the insights, which count them, read it; the two apps do not import each other."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.core import plugins

PanelContext = Callable[[Client, Case | None, Membership], dict[str, Any] | None]
PanelIsEmpty = Callable[[dict[str, Any]], bool]
CaseIds = Callable[[Membership, list[Case]], set[int]]

# The overview's own sections and where they stand among the panels: a panel comes before the first of
# them whose order is above its own (order 25: between the case and the team); from 70 on, at the end.
OVERVIEW_SECTIONS = (("basic", 10), ("case", 20), ("team", 30), ("consents", 60), ("timeline", 70))
# The caseload's own flags, likewise: a flag ordered 10 comes before "Overdue".
OVERDUE_FLAG_ORDER, NO_RECENT_CONTACT_FLAG_ORDER, INTERPRETER_FLAG_ORDER = 20, 25, 30


@dataclass(frozen=True)
class Panel:
    """A section of the client overview. `context(client, current_case, viewer)` reads what the viewer
    may see (scoped selectors only) and returns the template's context, or None to leave the panel out.
    The template gets it as `panel`. Panels are shown by `order` (then key) among the overview's own
    sections (OVERVIEW_SECTIONS).

    `title` and `anchor` (the id of the template's heading) list the panel in the overview's in-page
    navigation; a panel without a title (the safety alerts at the top) is not listed. `is_empty(context)`
    says that the panel has nothing to show but its "none" line and its action links: the overview then
    draws it as one line instead of a card."""

    key: str
    template: str
    context: PanelContext
    order: int = 50  # after the team and the support needs, before the consents
    title: Any = None
    anchor: str = ""
    is_empty: PanelIsEmpty | None = None


@dataclass(frozen=True)
class NothingIn:
    """A panel's `is_empty`: the context holds nothing under `key` (or in that value's `attribute`).
    A value, not a lambda, so that contributing the same panel again compares equal."""

    key: str
    attribute: str = ""

    def __call__(self, panel: dict[str, Any]) -> bool:
        value = panel.get(self.key)
        if self.attribute and value is not None:
            value = getattr(value, self.attribute)
        return not value


@dataclass(frozen=True)
class CaseloadFlag:
    """A flag on caseload rows. `case_ids(viewer, cases)` returns which of the page's cases carry it, in
    one query whatever the page size (the caseload's query count is pinned by tests). Flags are shown by
    `order`, then in the order the apps contributed them, among the caseload's own flags
    (OVERDUE_FLAG_ORDER, INTERPRETER_FLAG_ORDER)."""

    key: str
    label: Any
    case_ids: CaseIds
    alert: bool = False
    order: int = 100


# An answer: its id, the organisation, the occasion, the month (its first day), "I was heard" (1-5),
# "I knew who was responsible for my matters", "The service was useful to me" (1-5). Nothing else: no
# client, case or worker.
FeedbackAnswer = tuple[int, int, str, date, int, bool, int]


@dataclass(frozen=True)
class FeedbackSource:
    """Clients' answers on the service for the figures: `answers(after_id)` returns the answers with a
    larger id, in id order (answers are never edited); `occasions` lists (value, label) of the occasions
    asked (after the plan was agreed, after a review, at the end of the service)."""

    key: str
    answers: Callable[[int], Iterable[FeedbackAnswer]]
    occasions: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    panel: dict[str, Any]
    title: Any = None
    anchor: str = ""
    is_empty: bool = False


@dataclass(frozen=True)
class Section:
    """A link of the overview's in-page navigation: a section present on the page, in the page's order."""

    anchor: str
    title: Any
    is_empty: bool = False


def panels_for(client: Client, current: Case | None, *, viewer: Membership) -> dict[str, list[RenderedPanel]]:
    """The panels to show, by the overview section each comes before ("end": after them all)."""
    placed: dict[str, list[RenderedPanel]] = {name: [] for name, _ in OVERVIEW_SECTIONS}
    placed["end"] = []
    for panel in sorted(plugins.contributions(Panel), key=lambda p: (p.order, p.key)):
        context = panel.context(client, current, viewer)
        if context is not None:
            before = next((name for name, order in OVERVIEW_SECTIONS if panel.order < order), "end")
            placed[before].append(
                RenderedPanel(
                    panel.key,
                    panel.template,
                    context,
                    title=panel.title,
                    anchor=panel.anchor,
                    is_empty=bool(panel.is_empty and panel.is_empty(context)),
                )
            )
    return placed


def contents(placed: dict[str, list[RenderedPanel]], own: dict[str, Section | None]) -> list[Section]:
    """The overview's in-page navigation, in the order the page shows its sections: before each of its
    own sections (`own`, by OVERVIEW_SECTIONS name; None: not on the page) the titled panels placed
    before it; at the end `own["end"]` (the list of all cases), then the last panels."""

    def listed(name: str) -> list[Section]:
        return [Section(r.anchor, r.title, r.is_empty) for r in placed.get(name, []) if r.title and r.anchor]

    sections: list[Section] = []
    for name, _order in OVERVIEW_SECTIONS:
        sections += listed(name)
        section = own.get(name)
        if section is not None:
            sections.append(section)
    last = own.get("end")
    return [*sections, *([last] if last is not None else []), *listed("end")]


def flags_for(cases: list[Case], *, viewer: Membership) -> dict[int, list[CaseloadFlag]]:
    """Each case's contributed flags in their order, by case id. Nothing is asked when the page is empty."""
    flagged: dict[int, list[CaseloadFlag]] = {}
    if not cases:
        return flagged
    for flag in sorted(plugins.contributions(CaseloadFlag), key=lambda f: f.order):
        for case_id in flag.case_ids(viewer, cases):
            flagged.setdefault(case_id, []).append(flag)
    return flagged
