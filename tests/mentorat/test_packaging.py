"""`pip install .` into a clean virtualenv gives a working application, run from a directory
outside the checkout: every app, template, static file and migration is in the package, the
`mentorat` command replaces manage.py, and the embedded default writes its database and its
collected static files in the working directory, never in site-packages.

The checkout is copied first (without .git, virtualenvs, node_modules, caches and build
leftovers, as .dockerignore does): an in-tree build would write build/ and *.egg-info into the
checkout, and a stale build/lib could hide a file missing from the source. Installing takes a
minute or so (pip's cache keeps it short)."""

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "__pycache__",
    "*.pyc",
    "staticfiles",
    "build",
    "dist",
    "*.egg-info",
    ".ruff_cache",
    "test-artifacts",
    "db.sqlite3",
    ".env",
)
# What the subprocesses inherit: enough to reach the package index, nothing of this process's
# Django configuration (settings module, DATABASE_URL, REDIS_URL, PYTHONPATH…).
INHERITED = {
    *("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR"),
    # pip finds its configuration and its cache there when they are set.
    *("XDG_CONFIG_HOME", "XDG_CACHE_HOME"),
}

PROBE = """
import json, os, sysconfig

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings.dev")
import django

django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.test.utils import setup_test_environment

import mentorat

setup_test_environment()
client = Client()
pages = {}
for url in ["/", "/mentors/inscription/", "/jeunes/inscription/", "/sante/"]:
    response = client.get(url)
    pages[url] = {"status": response.status_code, "html": response.content.decode()}
print(json.dumps({
    "mentorat": mentorat.__file__,
    "site_packages": sysconfig.get_paths()["purelib"],
    "database": str(settings.DATABASES["default"]["NAME"]),
    "static_root": str(settings.STATIC_ROOT),
    "found_static": finders.find("css/site.css"),
    "pages": pages,
}))
"""


def clean_environment(**extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name in INHERITED
        or name.startswith("PIP_")
        or name.lower().endswith("_proxy")
        or name == "REQUESTS_CA_BUNDLE"
    }
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def run(command: list, cwd: Path, **extra: str) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_environment(**extra),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def packaged_names() -> list[str]:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The checkout installed (not editable) in a fresh virtualenv; the database migrated and
    the static files collected from an empty working directory outside the checkout."""
    root = tmp_path_factory.mktemp("packaging")
    source, venv, workdir = root / "source", root / "venv", root / "work"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    workdir.mkdir()
    run([sys.executable, "-m", "venv", venv], cwd=root)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", "-c", source / "constraints.txt", source], cwd=root)
    command = venv / "bin" / "mentorat"
    # Python's own warnings as errors, as the test suite does.
    strict = {"PYTHONWARNINGS": "error"}
    check = run([command, "check"], cwd=workdir, **strict)
    run([command, "migrate", "--noinput"], cwd=workdir, **strict)
    run([command, "collectstatic", "--noinput"], cwd=workdir, **strict)
    probe = json.loads(run([python, "-c", PROBE], cwd=workdir, **strict).splitlines()[-1])
    return SimpleNamespace(
        source=source,
        workdir=workdir,
        check=check,
        probe=probe,
        site_packages=Path(probe["site_packages"]),
    )


def test_the_installed_command_passes_the_system_checks(installed):
    assert "System check identified no issues" in installed.check


def test_the_application_is_imported_from_the_virtualenv_not_the_checkout(installed):
    module = Path(installed.probe["mentorat"])
    assert module.is_relative_to(installed.site_packages)
    assert not module.is_relative_to(REPO)


def test_every_app_file_template_static_file_and_migration_is_installed(installed):
    expected = {
        path.relative_to(installed.source)
        for name in packaged_names()
        for path in (installed.source / name).rglob("*")
        if path.is_file()
    } | {
        Path("mentorat/_site") / path.relative_to(installed.source)
        for name in ("templates", "static")
        for path in (installed.source / name).rglob("*")
        if path.is_file()
    }
    assert any(path.parts[1] == "migrations" for path in expected)
    missing = sorted(str(p) for p in expected if not (installed.site_packages / p).is_file())
    assert not missing, missing


def test_the_database_and_collected_files_go_to_the_working_directory(installed):
    assert Path(installed.probe["database"]) == installed.workdir / "db.sqlite3"
    assert (installed.workdir / "db.sqlite3").is_file()
    assert Path(installed.probe["static_root"]) == installed.workdir / "staticfiles"
    venv = installed.site_packages.parents[2]
    assert not list(venv.rglob("db.sqlite3"))
    # The only copy of the stylesheet in the virtualenv is the packaged one, not a collected one.
    assert [path.relative_to(installed.site_packages) for path in venv.rglob("site.css")] == [
        Path("mentorat/_site/static/css/site.css")
    ]


def test_the_pages_render_from_the_installed_templates_with_their_static_files(installed):
    pages = installed.probe["pages"]
    assert {url: page["status"] for url, page in pages.items()} == dict.fromkeys(pages, 200)
    assert "Un mentor pour avancer" in pages["/"]["html"]
    assert "Devenir mentor" in pages["/mentors/inscription/"]["html"]
    assert 'name="birth_date"' in pages["/jeunes/inscription/"]["html"]
    assert "En service" in pages["/sante/"]["html"]
    found = Path(installed.probe["found_static"])
    assert found.is_relative_to(installed.site_packages / "mentorat" / "_site" / "static")
    stylesheets = re.findall(r'href="/static/([^"]+\.css)"', pages["/"]["html"])
    assert "css/site.css" in stylesheets
    for name in stylesheets:
        assert (installed.workdir / "staticfiles" / name).is_file(), name
