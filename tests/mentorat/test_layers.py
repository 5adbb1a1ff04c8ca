"""Imports point one way (README, Architecture): an app imports its own modules and those of the
layers below it, never a higher layer's, and no app imports the configuration package."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)

# From the bottom up.
LAYERS = [
    ["users"],
    ["mentors", "mentees"],
    ["matching"],
    # A referral's stage reads the pairs; a prescriber never reads sessions or evaluations.
    ["prescribers"],
    ["sessions", "evaluations"],
    ["reminders"],
    ["mentorat.pages", "mentorat.spaces", "mentorat.staff", "mentorat.privacy", "mentorat.demo"],
]
# Apps of one layer stay apart, except these edges, each a decision: the demo seeds and
# benchmarks what every page shows; the staff pages and the spaces trace the RGPD exports.
SIBLINGS = {
    "mentorat.demo": {"mentorat.pages", "mentorat.spaces", "mentorat.staff", "mentorat.privacy"},
    "mentorat.staff": {"mentorat.privacy"},
    "mentorat.spaces": {"mentorat.privacy"},
}
CONFIGURATION = "mentorat"
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def app_of(module: str) -> str | None:
    for app in sorted([*LEVEL, CONFIGURATION], key=len, reverse=True):
        if module == app or module.startswith(f"{app}."):
            return app
    return None


def imported_modules(path: Path, repo: Path) -> set[str]:
    package = ".".join(path.relative_to(repo).parent.parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            # `from mentorat import demo` imports mentorat.demo, not the configuration.
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def may_import(importer: str, imported: str) -> bool:
    if imported == importer:
        return True
    if imported == CONFIGURATION:
        return False
    return LEVEL[imported] < LEVEL[importer] or imported in SIBLINGS.get(importer, set())


def upward_imports(app: str, repo: Path = REPO) -> list[str]:
    root = repo.joinpath(*app.split("."))
    return [
        f"{path.relative_to(repo)} imports {name}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for name in sorted(imported_modules(path, repo))
        if (target := app_of(name)) and not may_import(app, target)
    ]


def test_every_project_app_has_its_layer():
    installed = {
        app_of(entry.removesuffix(".apps.MentoringSessionsConfig"))
        for entry in settings.INSTALLED_APPS
    }
    assert installed - {None, CONFIGURATION} == set(LEVEL)


@pytest.mark.parametrize("app", LEVEL)
def test_an_app_imports_only_its_own_layer_and_those_below(app):
    assert upward_imports(app) == []


def test_the_check_catches_an_upward_import_and_one_of_the_configuration(tmp_path):
    (tmp_path / "matching").mkdir()
    (tmp_path / "matching" / "selectors.py").write_text(
        "from mentorat.spaces import overview\n"
        "from mentorat import settings\n"
        "from users import roles\n"
    )

    assert upward_imports("matching", repo=tmp_path) == [
        "matching/selectors.py imports mentorat.settings",
        "matching/selectors.py imports mentorat.spaces.overview",
    ]
