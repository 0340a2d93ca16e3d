"""The differences between two versions of a plan, field by field, goal by goal and action by action
(goals and actions matched by their key across versions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from polku.plans.models import (
    Goal,
    PlanAction,
    PlanVersion,
)

__all__ = ["Change", "version_diff"]


@dataclass
class Change:
    """One difference: `kind` is added, removed or changed; `fields` the (label, before, after) changed."""

    kind: str
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    actions: list[Change] = field(default_factory=list)


def _field_changes(model: Any, old: Any, new: Any, names: tuple[str, ...]) -> list[tuple[str, str, str]]:
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if (before or "") != (after or ""):
            model_field = model._meta.get_field(name)
            if model_field.choices:
                before = dict(model_field.choices).get(before, before)
                after = dict(model_field.choices).get(after, after)
            changes.append((str(model_field.verbose_name), _shown(before), _shown(after)))
    return changes


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        from django.utils.formats import date_format

        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


GOAL_DIFF_FIELDS = (
    "text",
    "level_minus_2",
    "level_minus_1",
    "level_0",
    "level_plus_1",
    "level_plus_2",
    "baseline_level",
    "weight",
)
ACTION_DIFF_FIELDS = (
    "what",
    "responsible",
    "responsible_name",
    "service",
    "service_name",
    "due_on",
    "status",
)
VERSION_DIFF_FIELDS = ("summary", "review_interval_weeks")


def version_diff(old: PlanVersion, new: PlanVersion) -> tuple[list[tuple[str, str, str]], list[Change]]:
    """What changed from `old` to `new` (both with content prefetched): the version's own fields, and
    goals (with their levels) and actions added, removed or changed, matched by their key."""
    plan_fields = _field_changes(PlanVersion, old, new, VERSION_DIFF_FIELDS)
    old_goals = {g.key: g for g in old.goals.all()}
    new_goals = {g.key: g for g in new.goals.all()}
    changes: list[Change] = []
    for key, goal in new_goals.items():
        before = old_goals.get(key)
        if before is None:
            changes.append(
                Change("added", goal.text, _all_fields(Goal, goal, GOAL_DIFF_FIELDS), _actions(None, goal))
            )
            continue
        fields = _field_changes(Goal, before, goal, GOAL_DIFF_FIELDS)
        actions = _actions(before, goal)
        if fields or actions:
            changes.append(Change("changed", goal.text, fields, actions))
    for key, goal in old_goals.items():
        if key not in new_goals:
            changes.append(Change("removed", goal.text))
    return plan_fields, changes


def _all_fields(model: Any, obj: Any, names: tuple[str, ...]) -> list[tuple[str, str, str]]:
    empty = model()
    for name in names:
        setattr(empty, name, None)
    return _field_changes(model, empty, obj, names)


def _actions(old_goal: Goal | None, new_goal: Goal) -> list[Change]:
    old = {a.key: a for a in old_goal.actions.all()} if old_goal else {}
    new = {a.key: a for a in new_goal.actions.all()}
    changes = []
    for key, action in new.items():
        if key not in old:
            changes.append(Change("added", action.what, _all_fields(PlanAction, action, ACTION_DIFF_FIELDS)))
        else:
            fields = _field_changes(PlanAction, old[key], action, ACTION_DIFF_FIELDS)
            if fields:
                changes.append(Change("changed", action.what, fields))
    changes.extend(Change("removed", action.what) for key, action in old.items() if key not in new)
    return changes
