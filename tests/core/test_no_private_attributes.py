"""Project code uses only public names of other code: a new release of a library may drop or change a
private (underscore) attribute without notice, as cryptography 51 did with `MultiFernet._fernets`.

The check is stricter than "another package": outside a class's own methods (`self._x`, `cls._x`) no
code reads, assigns or `getattr`s an underscore name of an object, whosever it is. The few underscore
names below are documented public API."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = [ROOT / "src" / "polku", ROOT / "bench", ROOT / "scripts"]
# Documented: Model._meta and its managers, namedtuple's methods.
PUBLIC_UNDERSCORE_NAMES = {
    "_meta",
    "_default_manager",
    "_base_manager",
    "_replace",
    "_asdict",
    "_fields",
    "_make",
}
ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "hasattr", "delattr"}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_UNDERSCORE_NAMES


def private_uses(source: str, filename: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                continue
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_FUNCTIONS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
        ):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def project_files() -> list[Path]:
    return sorted(
        path for folder in CHECKED for path in folder.rglob("*.py") if "migrations" not in path.parts
    )


def test_no_project_code_uses_a_private_attribute_of_another_object():
    found = [
        use for path in project_files() for use in private_uses(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "fernet = keys._fernets[0]",
        "request._request.membership",
        "event._state.adding = False",
        "cached = getattr(user, '_polku_cache', None)",
        "setattr(response, '_has_been_logged', True)",
        "identity._keys()",
    ],
)
def test_the_check_finds_private_uses(source):
    assert private_uses(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "self._cache = {}",
        "cls._registry.clear()",
        "Client._meta.db_table",
        "point._replace(x=1)",
        "x.__class__",
    ],
)
def test_the_check_allows_own_and_documented_names(source):
    assert private_uses(source) == []
