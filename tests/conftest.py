import os

import pytest
from django.core.cache import cache

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a test skipped for a missing service or browser is a failure, never a pass."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must run everything: {report.longrepr}"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache: each test starts with a fresh budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    from tests.users.factories import UserFactory

    return UserFactory(staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    from tests.users.staff import login_staff

    return login_staff(client, admin_user)


@pytest.fixture(autouse=True)
def _default_questionnaire(request):
    """The default questionnaire comes from a data migration; a transactional test (browser,
    worker, concurrency) flushes the tables after it runs, so later tests would find none.
    Put it back whenever a test that uses the database finds it missing."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("db")
    from importlib import import_module

    from django.apps import apps

    migration = import_module("evaluations.migrations.0002_default_questionnaire")
    migration.create_default(apps, None)
