"""Every action the code asks about has a rule, and `manage.py rules` says where each rule lives."""

import ast
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from polku.accounts import permissions

SRC = Path(__file__).resolve().parents[2] / "src" / "polku"


def asked_actions() -> dict[str, list[str]]:
    """Every action named as a string literal where the code asks for a decision: the second argument of
    `can(...)`/`require(...)` (`permissions.can` or a bare name), and an `action="..."` passed on to
    a selector that requires it. Action -> where it is asked (file:line)."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            literals: list[ast.expr] = []
            if name in {"can", "require"} and len(node.args) >= 2:
                literals.append(node.args[1])
            literals += [keyword.value for keyword in node.keywords if keyword.arg == "action"]
            for literal in literals:
                if (
                    isinstance(literal, ast.Constant)
                    and isinstance(literal.value, str)
                    and "." in literal.value
                ):
                    where = f"{path.relative_to(SRC)}:{node.lineno}"
                    found.setdefault(literal.value, []).append(where)
    return found


def test_every_action_the_code_asks_about_has_a_rule(db):
    asked = asked_actions()
    assert len(asked) > 40  # the scan finds the calls (a broken scan would pass vacuously)
    undecided = {
        action: where for action, where in asked.items() if action not in permissions.known_actions()
    }
    assert undecided == {}


def test_the_scan_finds_an_action_nobody_decides(tmp_path, monkeypatch):
    module = tmp_path / "polku" / "example.py"
    module.parent.mkdir()
    module.write_text('permissions.require(viewer, "client.delete_everything", client)\n')
    monkeypatch.setattr(f"{__name__}.SRC", module.parent)
    assert asked_actions() == {"client.delete_everything": ["example.py:1"]}


def test_the_rules_command_names_the_module_and_function_deciding_each_action(db):
    out = StringIO()
    call_command("rules", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines()]
    decided_by = dict(lines)
    assert sorted(decided_by) == permissions.known_actions()
    assert decided_by["placement.manage"] == "polku.placements.rules.placement_manage"
    assert decided_by["client.view"] == "polku.clients.rules.client_view"
    assert decided_by["assessment.view"] == "polku.assessments.rules.assessment_view"
    assert decided_by["referral.send"] == "polku.network.rules.referral_send"
    assert decided_by["plan.view"] == "polku.plans.rules.plan_view"
    assert decided_by["workspace.view"] == "polku.accounts.permissions.workspace_view"


def test_each_domain_decides_its_own_actions_in_its_rules_module(db):
    out = StringIO()
    call_command("rules", stdout=out)
    for action, decider in (line.split() for line in out.getvalue().splitlines()):
        module = decider.rsplit(".", 1)[0]
        if action in {"workspace.view", "admin.access", "api.use"}:
            assert module == "polku.accounts.permissions", action
        else:
            assert module.endswith(".rules") and module != "polku.accounts.rules", (action, module)
