"""The product runs without its test suite: no module of the application imports `tests`, and
the package built by `pip install .` holds every app and nothing of the tests."""

import ast
import tomllib
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
APPS = ["users", "mentors", "mentees", "matching", "sessions", "evaluations", "reminders"]
APPS += ["prescribers"]
RUNTIME = [*APPS, "mentorat"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and str(node.value).startswith("tests."):
            # Dotted paths given as strings (factory-boy, import_string, Celery task names).
            names.add(node.value)
    return names


def test_no_module_of_the_application_imports_the_test_suite():
    offenders = [
        f"{path.relative_to(REPO)}: {name}"
        for package in RUNTIME
        for path in (REPO / package).rglob("*.py")
        for name in imported_modules(path)
        if name == "tests" or name.startswith("tests.")
    ]
    assert not offenders, offenders


def test_the_package_holds_every_app_and_not_the_tests():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    included = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert set(included) == {f"{package}*" for package in RUNTIME}
