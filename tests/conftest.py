import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache

# The real Celery worker fixture, for every test that asks for it.
pytest_plugins = ["tests.workers"]

IN_CI = os.environ.get("CI", "").lower() == "true"

# `MENTORAT_TEST_TODAY=2028-02-29 pytest …` runs the tests on that day (at 10:00 in Paris, the
# programme's time zone): `make test` runs the date-dependent ones on 1 January and on
# 29 February too, so that they pass on any day of the year. The clock ticks from there, so
# timeouts and waits behave; a test that freezes or moves the clock itself still does.
TEST_TODAY = os.environ.get("MENTORAT_TEST_TODAY", "")
_test_day_travel = None


def pytest_configure(config):
    """Travel before collection, so that dates computed when a test module is imported are on
    the chosen day too."""
    global _test_day_travel
    if not TEST_TODAY:
        return
    day = datetime.date.fromisoformat(TEST_TODAY)
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    _test_day_travel = time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=paris), tick=True
    )
    _test_day_travel.start()


def pytest_unconfigure(config):
    if _test_day_travel is not None:
        _test_day_travel.stop()


def pytest_report_header(config):
    if TEST_TODAY:
        return f"clock: MENTORAT_TEST_TODAY={TEST_TODAY} (10:00, Europe/Paris)"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a test skipped for a missing service or browser is a failure, never a pass; so is
    an expected failure (an xfail marker would hide a broken behaviour)."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped:
        why = "xfail" if hasattr(report, "wasxfail") else "Skipped"
        report.outcome = "failed"
        report.longrepr = f"{why} in CI, which must run everything: {report.longrepr}"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache: each test starts with a fresh budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    from tests.users.factories import UserFactory

    return UserFactory(superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    from tests.users.staff import login_staff

    return login_staff(client, admin_user)


@pytest.fixture(autouse=True)
def _default_questionnaire(request):
    """The default and closure questionnaires and the priority publics come from data migrations; a
    transactional test (browser, worker, concurrency) flushes the tables after it runs, so
    later tests would find none. Put them back whenever a test that uses the database finds
    them missing."""
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
    import_module(
        "evaluations.migrations.0007_closure_questionnaires"
    ).create_closure_questionnaires(apps, None)
    # The priority publics are seeded by a data migration too (mentees/0003).
    from mentees.models import PriorityPublic

    if not PriorityPublic.objects.exists():
        import_module("mentees.migrations.0003_seed_priority_publics").seed_publics(apps)
