"""`mentorat/` holds the configuration; the pages, spaces, staff, privacy and demo are apps of
their own inside it, and the domain apps below never name a URL of theirs."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin

from mentorat.pages import urls as pages_urls
from mentorat.privacy.admin_urls import admin_urlpatterns as privacy_admin_urlpatterns
from mentorat.spaces import urls as spaces_urls
from mentorat.staff.admin_urls import admin_urlpatterns as staff_admin_urlpatterns

REPO = Path(settings.BASE_DIR)
CONFIGURATION_MODULES = {"__init__.py", "admin_site.py", "apps.py", "asgi.py", "celery.py"}
CONFIGURATION_MODULES |= {"manage.py", "urls.py", "wsgi.py"}
# The cache backend the settings name (CACHES), as celery.py is the app the settings configure.
CONFIGURATION_MODULES |= {"cache.py"}
UPPER_APPS = {"pages", "spaces", "staff", "privacy", "demo"}
DOMAIN_APPS = ["users", "mentors", "mentees", "matching", "sessions", "evaluations", "reminders"]
DOMAIN_APPS += ["prescribers"]


def test_the_configuration_package_holds_configuration_and_the_upper_apps_only():
    modules = {path.name for path in (REPO / "mentorat").glob("*.py")}
    packages = {path.parent.name for path in (REPO / "mentorat").glob("*/__init__.py")}

    assert modules == CONFIGURATION_MODULES
    assert packages == {"settings", *UPPER_APPS}
    for label in UPPER_APPS:
        assert apps.get_app_config(label).name == f"mentorat.{label}"


def upper_url_names() -> set[str]:
    names = {pattern.name for pattern in pages_urls.urlpatterns}
    names |= {f"{spaces_urls.app_name}:{pattern.name}" for pattern in spaces_urls.urlpatterns}
    for patterns in (staff_admin_urlpatterns(admin.site), privacy_admin_urlpatterns(admin.site)):
        names |= {f"admin:{pattern.name}" for pattern in patterns}
    return names


def test_no_domain_app_names_a_url_of_an_app_above_it():
    names = "|".join(re.escape(name) for name in upper_url_names())
    naming = re.compile(
        rf"""(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*["']({names})["']"""
        rf"""|{{%\s*url\s+["']({names})["']"""
    )
    files = [
        path
        for app in DOMAIN_APPS
        for root in (REPO / app, REPO / "templates" / app)
        for path in root.rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
    ]
    offenders = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in files
        for match in naming.finditer(path.read_text(encoding="utf-8"))
    ]

    assert files
    assert not offenders, offenders
