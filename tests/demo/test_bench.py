"""The benchmark's machinery at tiny scale: every key page is found, requested and counted,
the operations are measured, the table gives a verdict per target. No timing is asserted, and
neither gunicorn nor wrk is started."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from mentorat.demo.bench import load, operations, report
from mentorat.demo.bench.measure import Measure
from mentorat.demo.bench.pages import (
    REGISTRATION_POST_MEDIAN_MS,
    key_pages,
    login,
    measure_page,
    select,
)
from mentorat.demo.management.commands import bench
from tests.users.staff import make_coordinator
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_programme():
    call_command("seed_demo", scale="national", mentees=60, mentors=30, stdout=StringIO())


def test_every_key_page_answers_and_has_a_query_count(tiny_programme):
    users = User.objects.count()

    measures = [measure_page(page, runs=1, warmup=1) for page in key_pages()]

    for measure in measures:
        assert all(ok for _, ok in measure.checks), measure.label
        assert measure.queries is not None and len(measure.timings) == 1
    assert {"mentor registration (POST)", "coordinator dashboard"} <= {
        measure.label for measure in measures
    }
    # Each POST registered someone, then was rolled back: the data set keeps its counts.
    assert User.objects.count() == users


def test_the_operations_are_measured_with_their_query_counts(tiny_programme):
    measures = [
        operations.suggestions(random.Random(1), count=2),
        operations.reminder_sweep(runs=1),
        *operations.programme_figures(runs=1),
    ]

    assert all(measure.timings and measure.queries for measure in measures)


def test_the_batch_fails_when_the_data_set_is_too_small_for_it(tiny_programme):
    measure = operations.batch(random.Random(1))

    assert measure.passed() is False
    assert "enough people" in measure.target()


def test_a_staff_login_passes_the_admin_and_its_second_factor_if_any(client):
    login(client, make_coordinator())

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_table_gives_a_verdict_per_target_and_compares_query_counts():
    bare = Measure("bare", timings=[0.001, 0.001])
    fast = Measure("fast page", timings=[0.002, 0.003], queries=3, p95_target_ms=100)
    slow = Measure("slow page", timings=[0.2, 0.3], queries=5, p95_target_ms=100)
    sections = [
        ("pages", [bare, fast, slow]),
        ("queries", report.query_lines([fast, slow], {"fast page": 3, "slow page": 4})),
    ]

    table = report.table(sections, bare=bare, bare_load=None)

    assert table.splitlines()[0].split() == [
        "measure", "median", "ms", "p95", "ms", "queries", "×", "bare", "target", "result"
    ]  # fmt: skip
    fast_line = next(line for line in table.splitlines() if line.startswith("fast page"))
    assert "2.5" in fast_line and "PASS" in fast_line
    assert report.failures(sections) == ["slow page", "queries constant: slow page"]


def test_the_bench_refuses_a_database_not_named_for_benchmarks():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench", stdout=StringIO())


def test_the_staff_admin_issue_holds_the_changelists_and_the_dashboard_to_its_own_target():
    changelist = Measure("admin: pairs", timings=[0.2, 0.3], p95_target_ms=100)
    dashboard = Measure("coordinator dashboard", timings=[0.6], p95_target_ms=500)
    space = Measure("mentor space", timings=[0.01], p95_target_ms=100)

    lines = report.admin_issue_lines([changelist, dashboard, space], target_ms=500)

    assert [(line.label, line.passed()) for line in lines] == [
        ("staff admin: pairs", True),
        ("staff admin: coordinator dashboard", False),
    ]


def test_only_keeps_the_pages_whose_label_contains_one_of_the_substrings(tiny_programme):
    pages = select(key_pages(), ["admin: pairs", "(POST)"])

    assert [page.label for page in pages] == [
        "mentor registration (POST)",
        "young person registration (POST)",
        "admin: pairs",
        "admin: pairs (antenne coordinator)",
    ]


@pytest.fixture
def bench_database(monkeypatch):
    """The command's name check reads the connection's settings; the open test database
    stays the one used, and no database is created for that name on PostgreSQL."""
    monkeypatch.setitem(connection.settings_dict, "NAME", "mentorat_bench_test")
    monkeypatch.setattr(bench.Command, "_ensure_database", lambda self, name: None)


def test_the_bench_with_only_measures_those_pages_and_nothing_else(tiny_programme, bench_database):
    out = StringIO()

    try:
        call_command("bench", only=["admin: pairs"], runs=1, warmup=0, stdout=out)
    except CommandError as error:  # a slow machine: timings are not this test's subject
        assert "admin: pairs" in str(error)

    lines = out.getvalue().splitlines()
    measured = [line.split("  ")[0] for line in lines if line.startswith(("admin", "bare"))]
    assert measured == [
        "bare Django view (/sante/)",
        "admin: pairs",
        "admin: pairs (antenne coordinator)",
    ]
    assert not any("small data set" in line or "operations" in line for line in lines)


def test_the_bench_with_only_refuses_a_substring_no_page_has(tiny_programme, bench_database):
    with pytest.raises(CommandError, match="No page label"):
        call_command("bench", only=["nowhere"], stdout=StringIO())


def test_the_bench_with_only_asks_for_the_national_data_set_first(bench_database):
    with pytest.raises(CommandError, match="national data set is missing"):
        call_command("bench", only=["admin"], stdout=StringIO())


def test_a_registration_form_is_held_to_a_share_of_the_bare_views_throughput():
    bare = Measure("load: bare view", value="1000 req/s", rate=1000.0)
    fast = Measure("load: young person registration form", value="250 req/s", rate=250.0)
    slow = Measure("load: mentor registration form", value="150 req/s", rate=150.0)

    for form in (fast, slow):
        load.hold_to_ratio(form, bare, ratio=load.FORM_THROUGHPUT_RATIO)

    assert (fast.passed(), slow.passed()) == (True, False)
    assert "0.2 × bare view's req/s" in slow.target()
    sections = [("throughput", [bare, fast, slow])]
    table = report.table(sections, bare=Measure("bare"), bare_load=bare)
    slow_line = next(line for line in table.splitlines() if "mentor registration" in line)
    assert "0.15" in slow_line and "FAIL" in slow_line
    assert report.failures(sections) == ["load: mentor registration form"]


def test_both_registrations_are_held_to_their_post_target(tiny_programme):
    posts = [page for page in key_pages() if page.post is not None]

    assert {page.label for page in posts} == {
        "mentor registration (POST)",
        "young person registration (POST)",
    }
    assert all(page.median_target_ms == REGISTRATION_POST_MEDIAN_MS for page in posts)
