"""One way for an app to plug into others: `polku.core.plugins.contribute(self, ...)` from its
AppConfig.ready(). A key is one app's; the same app may contribute again (ready() run twice)."""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from polku.audit import labels
from polku.clients.extensions import CaseloadFlag, Panel
from polku.clients.timeline import TimelineKind
from polku.core import plugins

SRC = Path(__file__).resolve().parents[2] / "src" / "polku"


@dataclass(frozen=True)
class Thing:
    key: str
    value: int = 0


def test_contributions_come_back_by_kind_and_key_in_the_order_made():
    with plugins.kept():
        plugins.contribute(apps.get_app_config("core"), Thing("b", 1), Thing("a", 2))

        assert plugins.contributions(Thing) == [Thing("b", 1), Thing("a", 2)]
        assert plugins.contribution(Thing, "a") == Thing("a", 2)
        assert plugins.contribution(Thing, "c") is None
        assert plugins.contributor(Thing, "a") == "core"
    assert plugins.contributions(Thing) == []


def test_the_same_key_from_another_app_is_refused():
    with plugins.kept():
        plugins.contribute(apps.get_app_config("core"), Thing("shared"))

        with pytest.raises(ImproperlyConfigured, match="'shared' is contributed by both 'core' and 'audit'"):
            plugins.contribute(apps.get_app_config("audit"), Thing("shared"))

        assert plugins.contributions(Thing) == [Thing("shared")]


def test_an_installed_apps_key_taken_by_another_app_is_refused_at_start_up():
    with plugins.kept(), pytest.raises(ImproperlyConfigured, match="'placements'"):
        plugins.contribute(apps.get_app_config("core"), TimelineKind("placement.created", "Someone else's"))


def test_contributing_again_from_the_same_app_is_idempotent():
    before = {kind: plugins.contributions(kind) for kind in (Panel, CaseloadFlag, TimelineKind)}
    with plugins.kept():
        for config in apps.get_app_configs():
            if config.name.startswith("polku."):
                config.ready()

        assert {kind: plugins.contributions(kind) for kind in (Panel, CaseloadFlag, TimelineKind)} == before


def test_the_same_key_may_be_used_by_different_kinds():
    with plugins.kept():
        plugins.contribute(apps.get_app_config("core"), Thing("questionnaires"))

        assert plugins.contributor(Panel, "questionnaires") == "instruments"
        assert plugins.contributor(Thing, "questionnaires") == "core"


def test_each_app_contributes_what_it_adds_to_the_others():
    assert plugins.contributor(Panel, "safety_alerts") == "instruments"
    assert plugins.contributor(Panel, "questionnaires") == "instruments"
    assert plugins.contributor(Panel, "support_needs") == "screening"
    assert plugins.contributor(CaseloadFlag, "safety_alert") == "instruments"
    assert plugins.contributor(TimelineKind, "case.opened") == "clients"
    assert plugins.contributor(TimelineKind, "intake.identified") == "intake"
    with translation.override("en"):
        assert labels.label_for("referral.sent") == "Sent a referral"
        assert labels.label_for("plan.view") == "Viewed the service plan"
        assert labels.label_for("client.view") == "Viewed the client's data"


def test_the_registry_imports_no_polku_app():
    tree = ast.parse((SRC / "core" / "plugins.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }

    assert not [name for name in imported if name and name.startswith("polku")]


def test_no_module_is_imported_only_for_its_side_effects():
    kept_for_effect = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "import" in line and "noqa: F401" in line
    ]

    assert kept_for_effect == []
