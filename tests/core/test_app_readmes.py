"""Each app's README says which Polku apps it may call and which call it, in a "## Dependencies" section
of two lines:

    May call: accounts, audit, clients, core.
    Called by: assessments, network.

The lines must equal the import graph of the code (every `import polku.<app>` and `from polku.<app>`
anywhere in the app, inside functions too), so the READMEs cannot drift from the code. The project's
own modules (urls, settings, wsgi, formats) are not apps and are not listed."""

import ast
import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "polku"
APPS = sorted(path.parent.name for path in SOURCE.glob("*/apps.py"))
SECTION = re.compile(r"^## Dependencies\n+May call: (?P<calls>.*)\nCalled by: (?P<callers>.*)$", re.M)


def imported_apps(app: str) -> set[str]:
    found = set()
    for path in (SOURCE / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "polku" and len(parts) > 1 and parts[1] in APPS and parts[1] != app:
                    found.add(parts[1])
    return found


def graph() -> dict[str, set[str]]:
    return {app: imported_apps(app) for app in APPS}


def listed(text: str) -> set[str]:
    words = re.findall(r"[a-z_]+", text.replace("nothing", "").replace("nobody", ""))
    return set(words)


@pytest.mark.parametrize("app", APPS)
def test_the_readme_names_exactly_the_apps_this_app_calls_and_is_called_by(app):
    readme = SOURCE / app / "README.md"
    assert readme.exists(), f"{app} has no README.md"
    match = SECTION.search(readme.read_text())
    assert match, f"{app}/README.md has no '## Dependencies' section with 'May call:' and 'Called by:' lines"
    imports = graph()
    assert listed(match["calls"]) == imports[app], f"{app}/README.md 'May call:'"
    callers = {other for other, calls in imports.items() if app in calls}
    assert listed(match["callers"]) == callers, f"{app}/README.md 'Called by:'"


def test_the_check_reads_the_section_as_written():
    text = "# x\n\n## Dependencies\n\nMay call: accounts, audit.\nCalled by: nothing.\n"
    match = SECTION.search(text)
    assert match and listed(match["calls"]) == {"accounts", "audit"} and listed(match["callers"]) == set()
