"""Project code uses only public names of other code: a new release of a library may drop or change a
private (underscore) attribute without notice, as cryptography 51 did with `MultiFernet._fernets`.

The check is stricter than "another package": outside a class's own methods (`self._x`, `cls._x`) no
code reads, assigns or `getattr`s an underscore name of an object, whosever it is. The few underscore
names below are documented public API."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = [ROOT / "src" / "polku", ROOT / "bench", ROOT / "scripts", ROOT / "tests"]
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


def _external_private_names(cls: type) -> set[str]:
    """Private names the classes outside Polku that `cls` inherits from define themselves."""
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if base is object or base.__module__.startswith("polku"):
            continue
        # Enum's _sunder_ names (`_generate_next_value_`, `_missing_`) are its documented extension points.
        names |= {name for name in vars(base) if _is_private(name) and not name.endswith("_")}
    return names


def test_no_project_class_overrides_or_uses_a_private_name_it_inherits_from_another_package():
    """`self._x` is the class's own business, except where `_x` comes from a library's base class:
    overriding or calling a library's private method ties Polku to that library's internals."""
    import importlib
    import inspect
    import pkgutil

    import polku

    found = []
    for module_info in pkgutil.walk_packages(polku.__path__, "polku."):
        if ".migrations" in module_info.name or module_info.name.endswith(".wsgi"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            inherited = _external_private_names(cls)
            if not inherited:
                continue
            source = inspect.getsource(cls)
            tree = ast.parse(source.lstrip() if source[:1].isspace() else source)
            body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
            written = {item.name for item in body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)}
            written |= {
                target.id
                for item in body
                if isinstance(item, ast.Assign | ast.AnnAssign)
                for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
                if isinstance(target, ast.Name)
            }
            found += [f"{cls.__module__}.{cls.__name__} overrides {name}" for name in written & inherited]
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "self"
                    and node.attr in inherited
                    and node.attr not in written
                ):
                    found.append(f"{cls.__module__}.{cls.__name__} uses self.{node.attr}")
    assert sorted(set(found)) == []


def private_imports(source: str, filename: str = "<source>") -> list[str]:
    """Imports of another package's non-public modules: a path segment named `internal` (allauth's
    convention for "may change in any release") or starting with an underscore."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for module in modules:
            if module.split(".")[0] in {"polku", "tests", "bench", "scripts", "__future__"}:
                continue
            if any(part == "internal" or _is_private(part) for part in module.split(".")):
                found.append(f"{filename}:{node.lineno}: {module}")
    return found


def test_no_code_imports_another_packages_internal_modules():
    """allauth keeps its helpers in `*.internal.*` modules that change without notice between releases;
    the project (tests included) uses its public modules and pages only."""
    files = project_files() + sorted((ROOT / "tests").rglob("*.py"))
    found = [use for path in files for use in private_imports(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from allauth.core.internal import ratelimit",
        "from allauth.mfa.totp.internal.auth import TOTP",
        "import django.utils._os",
        "from django.db.models import _private",
    ],
)
def test_the_import_check_finds_internal_modules(source):
    assert private_imports(source) != []


def test_the_import_check_allows_public_modules():
    assert private_imports("from allauth.account.authentication import get_authentication_records") == []
